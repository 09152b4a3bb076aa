// Overview benchmark: the org overview of 50 teams fully drawn in headless Chromium (every table
// cell, sparkline and org trend chart), served by the real API on this machine over a seeded
// organisation. Prints the time to fully drawn (cold: empty browser cache; warm: a reload with
// the immutable assets cached) against the 1.5 s target, the first page's JS (entry chunk and
// its static imports, gzip and brotli) against all the dashboard's JS, and the batched
// `GET /api/teams/dora` against one `GET /api/teams/:team/dora` per team.
// Size: `npm run bench -- overview --teams=50 --days=180`.
// Uses DATABASE_URL's server, or an embedded PostgreSQL in a temporary directory.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { buildApp, loadApiConfig } from '@stride/api';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { sql } from 'kysely';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const teamCount = Number(flag('teams') ?? 50);
const days = Number(flag('days') ?? 180);
const runs = Number(flag('runs') ?? 5);
const TARGET_MS = 1500;
const webRoot = resolve(import.meta.dirname, '../../apps/web');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const server = await startScratchPostgres(process.env.DATABASE_URL, 'stride-bench-overview-');
const name = `stride_bench_${randomBytes(4).toString('hex')}`;
const outDir = await mkdtemp(join(tmpdir(), 'stride-bench-web-'));
await ensureDatabase(server.adminUrl, name);
const db = createDb(withDatabaseName(server.adminUrl, name), 10);
try {
  await migrateToLatest(db);
  const end = new Date(Date.UTC(2026, 10, 2)); // a Monday
  const org = generateOrg({ teams: teamCount, membersPerTeam: 6, reposPerTeam: 2, days, end, seed: 2026 });
  const t0 = performance.now();
  await seedOrg(db, org);
  await sql`analyze`.execute(db);
  console.log(
    `${teamCount} teams, ${org.pullRequests.length} PRs, ${org.deployments.length} deployments, ${org.incidents.length} incidents seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // The production build, as `npm start` serves it.
  await build({
    root: webRoot,
    configFile: join(webRoot, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  const manifest = JSON.parse(await readFile(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    { file: string; isEntry?: boolean; imports?: string[] }
  >;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const firstFiles = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (firstFiles.has(chunk.file)) return;
    firstFiles.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entryKey);
  const sizes = async (files: Iterable<string>) => {
    let raw = 0;
    let gz = 0;
    let br = 0;
    for (const file of files) {
      const bytes = await readFile(join(outDir, file));
      raw += bytes.length;
      gz += gzipSync(bytes, { level: 9 }).length;
      br += brotliCompressSync(bytes).length;
    }
    return { raw, gz, br };
  };
  const allJs = [...new Set(Object.values(manifest).map((c) => c.file))].filter((f) => f.endsWith('.js'));
  const first = await sizes(firstFiles);
  const all = await sizes(allJs);
  console.log(
    `\nfirst page JS (${firstFiles.size} files): ${kb(first.raw)} raw, ${kb(first.gz)} gzip, ${kb(first.br)} brotli`,
  );
  console.log(
    `all dashboard JS (${allJs.length} files): ${kb(all.raw)} raw, ${kb(all.gz)} gzip; first page = ${((first.gz / all.gz) * 100).toFixed(0)} % of it (gzip)`,
  );

  const app = await buildApp({
    db,
    config: loadApiConfig({ WEB_DIST_DIR: outDir, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' }),
    strideConfig: parseStrideConfig({ teams: org.teams }),
    logger: false,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const period = 'period=custom&from=2026-08-03&to=2026-11-02&granularity=week';
  const apiQuery = 'from=2026-08-03&to=2026-11-02&granularity=week';

  // The batched request against one request per team (6 at a time, as a browser would).
  const batched: number[] = [];
  const perTeam: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    let s = performance.now();
    const res = await fetch(`${url}/api/teams/dora?${apiQuery}`, { headers: { 'accept-encoding': 'br' } });
    await res.arrayBuffer();
    if (i > 0) batched.push(performance.now() - s);
    s = performance.now();
    const slugs = org.teams.map((t) => t.slug);
    for (let k = 0; k < slugs.length; k += 6) {
      await Promise.all(
        slugs
          .slice(k, k + 6)
          .map(async (slug) => (await fetch(`${url}/api/teams/${slug}/dora?${apiQuery}`)).arrayBuffer()),
      );
    }
    if (i > 0) perTeam.push(performance.now() - s);
  }
  console.log(
    `\nall teams' DORA: one GET /api/teams/dora ${median(batched).toFixed(0)} ms vs ${teamCount} GET /api/teams/:team/dora ${median(perTeam).toFixed(0)} ms (x${(median(perTeam) / median(batched)).toFixed(1)})`,
  );

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    // Fully drawn: every team row's cells, no chart still loading, the five org trend charts and
    // every sparkline with data drawn as SVG. Time since the navigation started (performance.now).
    const fullyDrawn = () => {
      const rows = document.querySelectorAll('[data-testid=dora-table] tbody tr').length;
      const busy = document.querySelectorAll('[aria-busy=true], .state-loading').length;
      const charts = document.querySelectorAll('.chart-card svg.recharts-surface .recharts-line').length;
      return rows > 0 && busy === 0 && charts >= 5 ? performance.now() : false;
    };
    let breakdown: string[] = [];
    const measure = async (cold: boolean) => {
      const times: number[] = [];
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      for (let i = 0; i < runs + 1; i++) {
        if (cold) await context.clearCookies();
        const p = cold
          ? await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
          : page;
        await p.goto(`${url}/?${period}`, { waitUntil: 'commit' });
        const handle = await p.waitForFunction(fullyDrawn, undefined, { timeout: 60_000, polling: 'raf' });
        const ms = (await handle.jsonValue()) as number;
        const rows = await p.locator('[data-testid=dora-table] tbody tr').count();
        if (rows !== teamCount + 1) throw new Error(`expected ${teamCount + 1} rows, saw ${rows}`);
        if (i > 0) times.push(ms); // the first run warms the API's plans
        if (cold && i === runs) {
          // Where the last cold load spent its time: when each request's answer had arrived.
          breakdown = await p.evaluate(() =>
            performance
              .getEntriesByType('resource')
              .map((e) => e as PerformanceResourceTiming)
              .filter((e) => /\/api\/|\/assets\/.*\.js/.test(e.name))
              .map(
                (e) =>
                  `${new URL(e.name).pathname.replace(/-[\w-]{8}\.js$/, '.js')} ${Math.round(e.responseEnd)} ms`,
              ),
          );
        }
        if (cold) await p.context().close();
      }
      await context.close();
      return times;
    };
    const cold = await measure(true);
    const warm = await measure(false);
    const line = (label: string, xs: number[]) =>
      console.log(
        `  ${label.padEnd(38)} ${median(xs).toFixed(0).padStart(6)} ms median of ${xs.length} (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}); target ${TARGET_MS} ms: x${(median(xs) / TARGET_MS).toFixed(2)}`,
      );
    console.log(`\noverview of ${teamCount} teams fully drawn (Chromium 1440x900, API on this machine):`);
    line('cold (empty cache)', cold);
    line('warm (reload, assets cached)', warm);
    console.log(`  last cold load, answers received at: ${breakdown.join(', ')}`);
  } finally {
    await browser.close();
    await app.close();
  }
} finally {
  await db.destroy();
  const admin = createDb(server.adminUrl, 1);
  await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
  await admin.destroy();
  await server.stop();
  await rm(outDir, { recursive: true, force: true });
}
