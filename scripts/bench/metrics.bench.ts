// Metrics API benchmark: seeds a generated organisation of two sizes through the collector's
// upserts, then times the DORA, team-health and drill-down routes end to end (app.inject: SQL
// aggregation in PostgreSQL + assembly + serialisation). Prints figures, medians of repeated
// runs and the large/small ratios (how the queries scale with the data).
// Size: `npm run bench -- metrics --teams=4,16 --days=365` (the defaults: small,large teams).
// Uses DATABASE_URL's server, or an embedded PostgreSQL in a temporary directory.

import { randomBytes } from 'node:crypto';
import { buildApp, loadApiConfig } from '@stride/api';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, parseBenchSize, seedOrg } from '@stride/testkit';
import { sql } from 'kysely';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
// `--size small` (CI) proves the bench runs on one small organisation.
const small = parseBenchSize(process.argv) === 'small';
const teamSizes = (flag('teams') ?? (small ? '2' : '4,16')).split(',').map(Number);
const days = Number(flag('days') ?? (small ? 60 : 365));
const databaseUrl = process.env.DATABASE_URL;
const server = await startScratchPostgres(databaseUrl, 'stride-bench-metrics-');
const { adminUrl } = server;
const end = new Date(Date.UTC(2026, 10, 1));
const q90 = `from=${new Date(end.getTime() - 90 * 86_400_000).toISOString().slice(0, 10)}&to=2026-11-01`;
const q365 = `from=${new Date(end.getTime() - 365 * 86_400_000).toISOString().slice(0, 10)}&to=2026-11-01`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: { teams: number; rows: number; seedSeconds: number; timings: Map<string, number> }[] = [];

try {
  for (const teams of teamSizes) {
    const name = `stride_bench_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(adminUrl, name);
    const db = createDb(withDatabaseName(adminUrl, name), 10);
    try {
      await migrateToLatest(db);
      const org = generateOrg({ teams, membersPerTeam: 6, reposPerTeam: 3, days, end, seed: 2026 });
      const rows =
        org.pullRequests.length +
        org.pullRequests.reduce((s, p) => s + p.commits.length + p.reviews.length, 0) +
        org.deployments.length +
        org.incidents.length +
        org.jiraIssues.length;
      const t0 = performance.now();
      await seedOrg(db, org);
      const seedSeconds = (performance.now() - t0) / 1000;
      await sql`analyze`.execute(db); // fresh statistics, as autovacuum would give

      const app = await buildApp({
        db,
        config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '100000' }),
        strideConfig: parseStrideConfig({ teams: org.teams }),
        logger: false,
      });
      const repo = encodeURIComponent(org.repositories[0]!.fullName);
      const routes: [string, string][] = [
        ['org DORA 90d weekly', `/api/org/dora?${q90}&granularity=week`],
        ['org DORA 365d daily', `/api/org/dora?${q365}&granularity=day`],
        ['team DORA 90d weekly', `/api/teams/team-1/dora?${q90}`],
        ['repository DORA 90d', `/api/repositories/${repo}/dora?${q90}`],
        ['team health 90d', `/api/teams/team-1/health?${q90}`],
        ['deployments page (org, 365d)', `/api/deployments?${q365}&pageSize=50`],
        [
          'changes lead-time page (org)',
          `/api/changes?${q90}&dateField=deployed&withLeadTime=true&sort=leadTime`,
        ],
        ['org DORA 365d CSV', `/api/org/dora.csv?${q365}`],
      ];
      const timings = new Map<string, number>();
      let figures = '';
      for (const [label, url] of routes) {
        const runs: number[] = [];
        for (let i = 0; i < 7; i++) {
          const s = performance.now();
          const res = await app.inject({ method: 'GET', url });
          runs.push(performance.now() - s);
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
          if (i === 0 && label === 'org DORA 90d weekly') {
            const m = res.json().metrics;
            figures = `deployments ${m.deploymentFrequency.value} (${m.deploymentFrequency.level}), lead time p50 ${(m.changeLeadTime.p50 / 3600).toFixed(1)} h n=${m.changeLeadTime.n} (${m.changeLeadTime.level}), CFR ${(m.changeFailureRate.value * 100).toFixed(1)} % (${m.changeFailureRate.level}), recovery p50 ${(m.failedDeploymentRecoveryTime.p50 / 3600).toFixed(1)} h n=${m.failedDeploymentRecoveryTime.n}, rework ${(m.deploymentReworkRate.value * 100).toFixed(1)} %`;
          }
        }
        timings.set(label, median(runs.slice(2))); // the first runs warm caches and plans
      }
      await app.close();
      results.push({ teams, rows, seedSeconds, timings });
      console.log(
        `\n${teams} teams x ${days} days: ${rows} rows seeded in ${seedSeconds.toFixed(1)} s (${Math.round(rows / seedSeconds)} rows/s)`,
      );
      console.log(`  org figures (last 90 days): ${figures}`);
      for (const [label, ms] of timings)
        console.log(`  ${label.padEnd(32)} ${ms.toFixed(1).padStart(8)} ms (median of 5)`);
    } finally {
      await db.destroy();
      const admin = createDb(adminUrl, 1);
      await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
      await admin.destroy();
    }
  }
  if (results.length === 2) {
    const [small, large] = results as [(typeof results)[0], (typeof results)[0]];
    console.log(`\nratio ${large.teams}/${small.teams} teams: data x${(large.rows / small.rows).toFixed(1)}`);
    for (const [label, ms] of large.timings) {
      console.log(`  ${label.padEnd(32)} x${(ms / small.timings.get(label)!).toFixed(2)}`);
    }
  }
} finally {
  await server.stop();
}
