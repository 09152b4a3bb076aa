// Overview benchmark: the org overview of 50 (or 300) teams in headless Chromium, served by the
// real API on this machine over a seeded organisation. Two moments, since navigation started:
// - first screen drawn: the 1440x900 viewport is final: every team row in it has its five cells
//   (rows out of view draw when scrolled to), nothing in it still loading;
// - all charts drawn: the same, plus the five organisation trend charts (below the fold).
// Cold = empty browser cache, warm = a reload with the immutable assets cached. For cold loads
// the renderer main thread's CPU time up to the first screen (Chrome trace, top-level tasks) is
// printed too: on this shared machine wall times swing with the load, CPU time much less.
// Also prints the first page's JS (entry chunk and its static imports, gzip and brotli) against
// its 150 KB gzip budget, and the batched `GET /api/teams/dora` (time and size on the wire)
// against one `GET /api/teams/:team/dora` per team.
// Size: `npm run bench -- overview --teams=50 --days=180 [--runs=5]`; `--teams=300` for the
// organisation-scale figure.
// Uses DATABASE_URL's server, or an embedded PostgreSQL in a temporary directory.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
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
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const teamCount = Number(flag('teams') ?? 50);
const days = Number(flag('days') ?? 180);
const runs = Number(flag('runs') ?? 5);
// `--ab=<another apps/web directory>` (e.g. /work/main/apps/web): builds it too and alternates
// cold loads of both builds (same API, same database), printing each one's figures: A = that
// build, B = this one. On a shared machine only an interleaved comparison says which is faster.
const abRoot = flag('ab');
// `--screenshots=<dir>`: this build's overview as drawn (first screen, a screen in the middle of
// the table after scrolling there, the whole page), to look at.
const shotsDir = flag('screenshots');
// `--trace=0`: cold loads without the Chrome trace (no CPU figures): shows what tracing itself
// costs the wall times (its categories make the renderer record every task).
const traced = flag('trace') !== '0';
const TARGET_MS = 1500;
const FIRST_PAGE_BUDGET_GZIP = 150 * 1024;
const webRoot = resolve(import.meta.dirname, '../../apps/web');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'toplevel',
  'blink.user_timing',
  'v8.execute',
];
interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}
interface Cpu {
  total: number;
  script: number;
  render: number;
}
const SCRIPT = new Set([
  'EvaluateScript',
  'v8.compile',
  'FunctionCall',
  'TimerFire',
  'EventDispatch',
  'FireAnimationFrame',
  'RunMicrotasks',
  'v8.callFunction',
  'V8.Execute',
  'v8.run',
]);
const RENDER = new Set([
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'UpdateLayer',
  'Commit',
]);

/**
 * CPU time (ms, the trace's `tdur`) of the renderer main threads' top-level tasks from the trace's
 * start to `untilMs` after the last navigation start: total, script and rendering (outermost
 * events only, so forced layout inside script counts as script).
 */
function mainThreadCpu(trace: Buffer, untilMs: number): Cpu {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const navStart = Math.max(...events.filter((e) => e.name === 'navigationStart').map((e) => e.ts));
  const until = navStart + untilMs * 1000;
  const onMain = events
    .filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`) && e.ts <= until)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const sum = (names: (n: string) => boolean) => {
    let end = 0;
    let total = 0;
    for (const e of onMain) {
      if (!names(e.name) || e.ts < end) continue;
      end = e.ts + (e.dur ?? 0);
      total += e.tdur ?? e.dur ?? 0;
    }
    return total / 1000;
  };
  return {
    total: sum((n) => n === 'RunTask' || n === 'ThreadControllerImpl::RunTask'),
    script: sum((n) => SCRIPT.has(n)),
    render: sum((n) => RENDER.has(n)),
  };
}

const server = await startScratchPostgres(process.env.DATABASE_URL, 'stride-bench-overview-');
const name = `stride_bench_${randomBytes(4).toString('hex')}`;
const outDir = await mkdtemp(join(tmpdir(), 'stride-bench-web-'));
const abDir = abRoot ? await mkdtemp(join(tmpdir(), 'stride-bench-web-a-')) : undefined;
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
  if (abRoot && abDir) {
    await build({
      root: abRoot,
      configFile: join(abRoot, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir: abDir, emptyOutDir: true },
    });
  }
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
    `\nfirst page JS (${firstFiles.size} files): ${kb(first.raw)} raw, ${kb(first.gz)} gzip, ${kb(first.br)} brotli; budget 150 KB gzip: x${(first.gz / FIRST_PAGE_BUDGET_GZIP).toFixed(2)}`,
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
  const appA = abDir
    ? await buildApp({
        db,
        config: loadApiConfig({ WEB_DIST_DIR: abDir, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' }),
        strideConfig: parseStrideConfig({ teams: org.teams }),
        logger: false,
      })
    : undefined;
  const urlA = appA ? await appA.listen({ host: '127.0.0.1', port: 0 }) : undefined;
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
  const plain = await fetch(`${url}/api/teams/dora?${apiQuery}`, {
    headers: { 'accept-encoding': 'identity' },
  });
  const rawBytes = (await plain.arrayBuffer()).byteLength;
  const onWire = (path: string) =>
    new Promise<number>((done, fail) => {
      // Node's fetch decodes: count the compressed bytes as they come off the socket.
      get(`${url}${path}?${apiQuery}`, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
        });
        res.on('end', () => done(n));
      }).on('error', fail);
    });
  const wire = await onWire('/api/teams/dora');
  console.log(
    `\nGET /api/teams/dora of ${teamCount} teams: ${kb(rawBytes)} JSON, ${kb(wire)} on the wire (brotli)`,
  );
  // The overview's compact form of the same figures (what the page asks for).
  const compactRaw = (
    await (
      await fetch(`${url}/api/teams/dora-overview?${apiQuery}`, {
        headers: { 'accept-encoding': 'identity' },
      })
    ).arrayBuffer()
  ).byteLength;
  console.log(
    `GET /api/teams/dora-overview of ${teamCount} teams: ${kb(compactRaw)} JSON (x${(compactRaw / rawBytes).toFixed(2)}), ${kb(await onWire('/api/teams/dora-overview'))} on the wire (brotli)`,
  );
  console.log(
    `all teams' DORA: one GET /api/teams/dora ${median(batched).toFixed(0)} ms vs ${teamCount} GET /api/teams/:team/dora ${median(perTeam).toFixed(0)} ms (x${(median(perTeam) / median(batched)).toFixed(1)})`,
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
    // First screen drawn: every team row intersecting the viewport has its five cells (or its
    // error), and nothing in the viewport is still loading. Rows below the fold draw as they are
    // scrolled to, so they are not waited for. Time since the navigation started (performance.now).
    // (No inner named functions: the bench's transpiler would wrap them in a helper the page lacks.)
    const firstScreen = () => {
      const vh = window.innerHeight;
      const rows = Array.from(document.querySelectorAll('[data-testid=dora-table] tbody tr'));
      if (rows.length === 0) return false;
      for (const row of rows) {
        const b = row.getBoundingClientRect();
        const inView = b.height > 0 && b.bottom > 0 && b.top < vh;
        if (inView && row.querySelectorAll('.metric-cell, .state-error').length === 0) return false;
      }
      for (const el of Array.from(document.querySelectorAll('[aria-busy=true], .state-loading'))) {
        const b = el.getBoundingClientRect();
        if (b.height > 0 && b.bottom > 0 && b.top < vh) return false;
      }
      return performance.now();
    };
    // All charts drawn: the first screen, plus the five organisation trend charts (below the fold).
    const allCharts = () =>
      document.querySelectorAll('.chart-card svg.recharts-surface .recharts-line').length >= 5
        ? performance.now()
        : false;
    let breakdown: string[] = [];
    let pendingRows = '';
    interface Load {
      first: number;
      all: number;
      cpu?: Cpu;
    }
    const viewport = { width: 1440, height: 900 };
    /** One load of the overview at `base`: cold in a new context (traced), or a reload of `warm`. */
    const load = async (base: string, warm?: Page, last = false): Promise<Load> => {
      const p = warm ?? (await (await browser.newContext({ viewport })).newPage());
      if (!warm && traced) await browser.startTracing(p, { categories: TRACE_CATEGORIES });
      await p.goto(`${base}/?${period}`, { waitUntil: 'commit' });
      const shown = (await (
        await p.waitForFunction(firstScreen, undefined, { timeout: 180_000, polling: 'raf' })
      ).jsonValue()) as number;
      const trace = warm || !traced ? undefined : await browser.stopTracing();
      const drawn = (await (
        await p.waitForFunction(allCharts, undefined, { timeout: 180_000, polling: 'raf' })
      ).jsonValue()) as number;
      const rows = await p.locator('[data-testid=dora-table] tbody tr').count();
      if (rows !== teamCount + 1) throw new Error(`expected ${teamCount + 1} rows, saw ${rows}`);
      if (last) {
        // Where the last cold load spent its time: when each request's answer had arrived.
        breakdown = await p.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .map((e) => e as PerformanceResourceTiming)
            .filter((e) => /\/api\/|\/assets\/.*\.js/.test(e.name))
            // Where each request waited: asked (startTime), sent (requestStart: after any wait
            // for a connection), first byte (responseStart: the server's time), last byte.
            .map(
              (e) =>
                `${new URL(e.name).pathname.replace(/-[\w-]{8}\.js$/, '.js')} ${Math.round(e.startTime)}/${Math.round(e.requestStart)}/${Math.round(e.responseStart)}/${Math.round(e.responseEnd)} ms`,
            ),
        );
        pendingRows = await p.evaluate(
          () =>
            `${document.querySelectorAll('[data-testid=dora-table] tbody tr .metric-cell').length / 5} of ${document.querySelectorAll('[data-testid=dora-table] tbody tr').length} rows drawn`,
        );
      }
      if (!warm) await p.context().close();
      return {
        first: shown,
        all: Math.max(shown, drawn),
        cpu: trace ? mainThreadCpu(trace, shown) : undefined,
      };
    };
    const variants = urlA
      ? [
          { name: 'A', base: urlA },
          { name: 'B', base: url },
        ]
      : [{ name: '', base: url }];
    const cold = new Map<string, Load[]>(variants.map((v) => [v.name, []]));
    // Cold loads, interleaved between the builds; the first round warms the API's plans.
    for (let i = 0; i < runs + 1; i++) {
      for (const v of variants) {
        const result = await load(v.base, undefined, i === runs && v === variants.at(-1));
        if (i > 0) cold.get(v.name)!.push(result);
      }
    }
    const warm = new Map<string, Load[]>(variants.map((v) => [v.name, []]));
    for (const v of variants) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      for (let i = 0; i < runs + 1; i++) {
        const result = await load(v.base, page);
        if (i > 0) warm.get(v.name)!.push(result);
      }
      await context.close();
    }
    if (shotsDir) {
      await mkdir(shotsDir, { recursive: true });
      const p = await (await browser.newContext({ viewport })).newPage();
      await p.goto(`${url}/?${period}`);
      await p.waitForFunction(firstScreen, undefined, { timeout: 180_000, polling: 'raf' });
      await p.screenshot({ path: join(shotsDir, `overview-${teamCount}-first-screen.png`) });
      await p
        .locator('[data-testid=dora-table] tbody tr')
        .nth(Math.floor(teamCount / 2))
        .scrollIntoViewIfNeeded();
      await p.waitForFunction(firstScreen, undefined, { timeout: 180_000, polling: 'raf' });
      await p.screenshot({ path: join(shotsDir, `overview-${teamCount}-middle.png`) });
      await p.screenshot({ path: join(shotsDir, `overview-${teamCount}-full.png`), fullPage: true });
      await p.context().close();
      console.log(`screenshots in ${shotsDir}`);
    }
    const line = (label: string, xs: number[], target = true) =>
      console.log(
        `  ${label.padEnd(44)} ${median(xs).toFixed(0).padStart(6)} ms median of ${xs.length} (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})${target ? `; target ${TARGET_MS} ms: x${(median(xs) / TARGET_MS).toFixed(2)}` : ''}`,
      );
    for (const v of variants) {
      const c = cold.get(v.name)!;
      const w = warm.get(v.name)!;
      const cpu = c.flatMap((l) => (l.cpu ? [l.cpu] : []));
      console.log(
        `\noverview of ${teamCount} teams (Chromium 1440x900, API on this machine)${v.name ? `, build ${v.name}: ${v.name === 'A' ? abRoot : webRoot}` : ''}:`,
      );
      line(
        'cold, first screen drawn',
        c.map((l) => l.first),
      );
      line(
        'cold, all charts drawn',
        c.map((l) => l.all),
      );
      line(
        'warm, first screen drawn',
        w.map((l) => l.first),
      );
      line(
        'warm, all charts drawn',
        w.map((l) => l.all),
      );
      if (cpu.length === 0) continue;
      line(
        'cold, main-thread CPU to first screen',
        cpu.map((x) => x.total),
        false,
      );
      line(
        '  of which script (outermost)',
        cpu.map((x) => x.script),
        false,
      );
      line(
        '  of which style, layout, paint',
        cpu.map((x) => x.render),
        false,
      );
    }
    console.log(
      `  last cold load, per request asked/sent/first byte/last byte since navigation: ${breakdown.join(', ')}`,
    );
    console.log(`  last cold load at all charts drawn: ${pendingRows} (the rest draw when scrolled to)`);
  } finally {
    await browser.close();
    await app.close();
    await appA?.close();
  }
} finally {
  await db.destroy();
  const admin = createDb(server.adminUrl, 1);
  await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
  await admin.destroy();
  await server.stop();
  await rm(outDir, { recursive: true, force: true });
  if (abDir) await rm(abDir, { recursive: true, force: true });
}
