// GitHub sync end to end: the real collector against the local fake GitHub API (seeded generated
// volume) into a fresh PostgreSQL database, through the REST history path and the GraphQL one
// (`github.history`). Prints per path: API calls (REST requests + GraphQL queries) per merged PR,
// GraphQL points and the hours one token's 5,000 points an hour would take for 1,000,000 PRs,
// rows per second against COPY of the same rows, peak RSS, and the re-sync's requests as a ratio
// of the first sync's (target under 2 %).
// Options: `--size N` PRs in all (default 600, 3 repositories), `--history rest|graphql|both`.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCollectorConfig, runAllSyncs, type SyncReport } from '@stride/collector';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import pino from 'pino';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const size = Number(arg('size') ?? 600);
const which = arg('history') ?? 'both';
const repositories = Math.max(3, Math.ceil(size / 2000));
const pullsPerRepository = Math.ceil(size / repositories);
const TABLES = [
  'pull_requests',
  'pull_request_commits',
  'pull_request_reviews',
  'deployments',
  'deployment_changes',
];

const env = loadCollectorConfig();
const pg = await startScratchPostgres(env.DATABASE_URL, 'stride-bench-');
const { adminUrl } = pg;
const server = await startFakeGitHubServer({
  fixturesDir: null,
  generated: { owner: 'bench', repositories, pullsPerRepository, seed: 2026 },
  // the fake's budgets are not what is measured here
  rateLimit: 10_000_000,
  graphqlRateLimit: 10_000_000,
});
const merged = [...server.repos.values()].reduce((n, d) => n + d.pulls.filter((p) => p.merged_at).length, 0);
console.log(
  `${repositories} repositories × ${pullsPerRepository} PRs = ${repositories * pullsPerRepository} PRs, ${merged} merged (generated, seed 2026)`,
);
const sum = (reports: SyncReport[], field: 'requests' | 'notModified' | 'itemsUpserted') =>
  reports.reduce((n, r) => n + r[field], 0);

async function run(history: 'rest' | 'graphql'): Promise<void> {
  const name = `stride_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const db = createDb(withDatabaseName(adminUrl, name), 4);
  try {
    await migrateToLatest(db);
    const ctx = {
      db,
      config: parseStrideConfig({
        github: {
          orgs: ['bench'],
          deployments: { source: 'github_deployments', environment: '^production$' },
          history,
        },
        sync: { backfillDays: 5000, intervalMinutes: 15 },
      }),
      env: { ...env, GITHUB_API_URL: server.url },
      logger: pino({ level: 'error' }),
      // Octokit spaces GraphQL queries one wait unit apart (a second against GitHub); the fake
      // answers at once, so the bench measures the collector, not that spacing.
      waitUnitMs: 1,
    };
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 100);
    const from = server.requests.length;
    const t0 = performance.now();
    const first = await runAllSyncs(ctx);
    const firstSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const calls = server.requests.slice(from);
    const queries = calls.filter((q) => q.path.endsWith('/graphql'));
    const points = queries.reduce((n, q) => n + (q.graphqlCost ?? 0), 0);
    const errors = first.filter((r) => r.error);
    const t1 = performance.now();
    const again = await runAllSyncs(ctx);
    const againSeconds = (performance.now() - t1) / 1000;
    await sql`analyze`.execute(db);
    const copy = await copyRate(db);
    const rows = sum(first, 'itemsUpserted');
    const perPr = (n: number) => (n / merged).toFixed(3);
    const pullCalls = calls.filter((q) => /\/pulls|\/issues\/\d+\/|\/check-runs/.test(q.path));
    console.log(
      `\n### history: ${history}${errors.length ? ` (${errors.length} repositories failed: ${errors[0]!.error})` : ''}`,
    );
    console.log(
      `first sync: ${calls.length} API calls (${calls.length - queries.length} REST, ${queries.length} GraphQL) in ${firstSeconds.toFixed(1)} s: ` +
        `${perPr(calls.length)} calls per merged PR (target ≤ 0.05), of which pull request history ` +
        `${perPr(pullCalls.length + queries.length)} (${pullCalls.length} REST + ${queries.length} GraphQL), deployments, releases, incidents and compare ${perPr(calls.length - pullCalls.length - queries.length)}`,
    );
    if (queries.length)
      console.log(
        `GraphQL points: ${points} (${(points / (repositories * pullsPerRepository)).toFixed(4)} a PR): 1,000,000 PRs = ` +
          `${((points / (repositories * pullsPerRepository)) * 1e6).toFixed(0)} points = ` +
          `${((points / (repositories * pullsPerRepository)) * 200).toFixed(1)} hours of one token's 5,000 points an hour (target < 10)`,
      );
    console.log(
      `writes: ${rows} rows in ${firstSeconds.toFixed(1)} s = ${Math.round(rows / firstSeconds)} rows/s; COPY of the same ` +
        `${copy.rows} rows: ${Math.round(copy.rows / copy.seconds)} rows/s; ratio ${(rows / firstSeconds / (copy.rows / copy.seconds)).toFixed(3)}x COPY (target ≥ 0.5x)`,
    );
    console.log(
      `peak RSS of the bench process (collector and fake server together): ${Math.round(peakRss / 1048576)} MB (target ≤ 300 MB for the collector)`,
    );
    console.log(
      `re-sync: ${sum(again, 'requests')} requests (${sum(again, 'notModified')} answered 304) in ${againSeconds.toFixed(2)} s; ` +
        `ratio ${((100 * sum(again, 'requests')) / calls.length).toFixed(2)} % of the first sync's calls (target ≤ 2 %)`,
    );
  } finally {
    await db.destroy();
    const admin = createDb(adminUrl, 1);
    await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
    await admin.destroy();
  }
}

/** COPY of the rows the sync stored (main tables, raw payloads aside) into empty copies: rows/s. */
async function copyRate(db: ReturnType<typeof createDb>): Promise<{ rows: number; seconds: number }> {
  let rows = 0;
  let seconds = 0;
  for (const table of TABLES) {
    const file = join(tmpdir(), `stride-bench-${randomBytes(4).toString('hex')}.copy`);
    await sql.raw(`copy ${table} to '${file}'`).execute(db);
    await sql.raw(`create table bench_copy_${table} (like ${table} including all)`).execute(db);
    const t = performance.now();
    await sql.raw(`copy bench_copy_${table} from '${file}'`).execute(db);
    seconds += (performance.now() - t) / 1000;
    const counted = await sql<{
      n: string;
    }>`select count(*) as n from ${sql.table(`bench_copy_${table}`)}`.execute(db);
    rows += Number(counted.rows[0]!.n);
    await rm(file, { force: true }).catch(() => {});
  }
  return { rows, seconds };
}

try {
  for (const history of ['rest', 'graphql'] as const)
    if (which === 'both' || which === history) await run(history);
} finally {
  await server.close();
  await pg.stop();
}
