// AI impact (docs/metrics.md, "AI impact"), two parts:
// 1. `compareAiGroups` alone (packages/metrics): one AI-assisted vs other comparison with its 95 %
//    bootstrap intervals (1,000 resamples, every figure and PR-size band) by the number of changes
//    compared; the ratio column is time per change relative to the smallest size (near 1: linear).
// 2. The answers end to end: the demo organisation (8 teams, 2 years, AI adoption and Copilot
//    metrics) loaded into a scratch database, ANALYZEd, then GET /api/ai-impact over 90 days and one
//    year and GET /api/teams/:team/ai-impact over one year through the real API (app.inject):
//    samples SQL + one comparison for the org and two per team + Copilot usage + serialisation.
//    Medians of 5 runs after 2 warm-ups. `--skip-api` runs part 1 only.
// Uses DATABASE_URL's server, or an embedded PostgreSQL in a temporary directory.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { buildApp, loadApiConfig } from '@stride/api';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { type AiChangeSample, compareAiGroups, mulberry32 } from '@stride/metrics';
import { parseStrideConfig } from '@stride/shared/config';
import { DEMO_SEED, DEMO_SIZE, ensureDemoOrg } from '@stride/testkit/demo';
import { sql } from 'kysely';

const random = mulberry32(3);
const changes = (n: number, aiClass: 'assisted' | 'none'): AiChangeSample[] =>
  Array.from({ length: n }, () => ({
    mergedAt: new Date(Date.UTC(2026, 0, 1)),
    aiClass,
    codingSeconds: random() * 100_000,
    pickupSeconds: random() * 10_000,
    reviewSeconds: random() * 100_000,
    deploySeconds: random() < 0.8 ? random() * 10_000 : null,
    size: Math.round(random() * 800),
    changesRequested: random() < 0.2 ? 1 : 0,
    reverted: random() < 0.02,
    failedDeployment: random() < 0.1,
  }));

const load = () => loadavg()[0]!.toFixed(1);
let base = 0;
console.log(`compareAiGroups (load ${load()})`);
console.log('changes compared | ms per comparison | µs per change | ratio');
for (const n of [500, 2_000, 5_000, 20_000]) {
  const group = changes(Math.round(n * 0.4), 'assisted');
  const baseline = changes(n - group.length, 'none');
  const started = performance.now();
  compareAiGroups(group, baseline, { minSamples: 10 });
  const ms = performance.now() - started;
  const perChange = (ms * 1000) / n;
  if (base === 0) base = perChange;
  console.log(`${n} | ${ms.toFixed(0)} | ${perChange.toFixed(1)} | ${(perChange / base).toFixed(2)}`);
}

if (!process.argv.includes('--skip-api')) {
  const server = await startScratchPostgres(process.env.DATABASE_URL, 'stride-bench-ai-');
  const name = `stride_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(server.adminUrl, name);
  const db = createDb(withDatabaseName(server.adminUrl, name), 10);
  try {
    await migrateToLatest(db);
    const end = new Date();
    const t0 = performance.now();
    const demo = await ensureDemoOrg(db, { seed: DEMO_SEED, ...DEMO_SIZE, end, force: true });
    await sql`analyze`.execute(db);
    console.log(
      `\ndemo organisation loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${demo.load?.total ?? 0} rows)`,
    );
    const app = await buildApp({
      db,
      config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '100000' }),
      strideConfig: parseStrideConfig({ teams: demo.teams }),
      logger: false,
    });
    const day = (d: number) => new Date(end.getTime() - d * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(end.getTime() + 86_400_000).toISOString().slice(0, 10);
    const team = demo.teams[0]!.slug;
    const routes: [string, string][] = [
      ['org, 90 days, weekly', `/api/ai-impact?from=${day(90)}&to=${to}&granularity=week`],
      ['org, one year, weekly', `/api/ai-impact?from=${day(365)}&to=${to}&granularity=week`],
      ['org, one year, CSV', `/api/ai-impact.csv?from=${day(365)}&to=${to}&granularity=week`],
      [`team ${team}, one year`, `/api/teams/${team}/ai-impact?from=${day(365)}&to=${to}&granularity=week`],
    ];
    console.log(`route | median ms of 5 (min–max) | load`);
    for (const [label, url] of routes) {
      const runs: number[] = [];
      let merged = 0;
      for (let i = 0; i < 7; i++) {
        const s = performance.now();
        const res = await app.inject({ method: 'GET', url });
        if (i >= 2) runs.push(performance.now() - s);
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        if (i === 0 && !url.includes('.csv'))
          merged = (res.json() as { adoption: { merged: number } }).adoption.merged;
      }
      runs.sort((a, b) => a - b);
      console.log(
        `${label}${merged ? ` (${merged} merged PRs)` : ''} | ${runs[2]!.toFixed(0)} (${runs[0]!.toFixed(0)}–${runs[4]!.toFixed(0)}) | ${load()}`,
      );
    }
    await app.close();
  } finally {
    await db.destroy();
    const admin = createDb(server.adminUrl, 1);
    await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
    await admin.destroy();
    await server.stop();
  }
}
