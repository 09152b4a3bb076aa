// GitHub sync end to end: the real collector against the local fake GitHub API (seeded generated
// volume) into a fresh PostgreSQL database, through the REST history path and the GraphQL one
// (`github.history`). Prints per path: API calls (REST requests + GraphQL queries) per merged PR,
// GraphQL points and the hours one token's 5,000 points an hour would take for 1,000,000 PRs,
// the write path's rows per second (rows over the time its writing statements and batch writes took) against COPY
// of the same rows, the end-to-end rows per second, the collector's peak RSS (the fake runs in its
// own process), the shared rate budget's statements (apart from the write path), and the
// re-sync's calls, rate-limited calls and time as ratios of the first sync's.
// Options: `--prs N` PRs in all (default 600, 3 repositories), `--history rest|graphql|both`;
// BENCH_LOG=warn shows the collector's warnings (e.g. a GraphQL page shrunk after a timeout).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGitHubClient, linkDerived, loadCollectorConfig, syncGitHub } from '@stride/collector';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { sql } from 'kysely';
import pino from 'pino';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const size = Number(arg('prs') ?? 600);
const which = arg('history') ?? 'both';
const repositories = Math.max(3, Math.ceil(size / 2000));
const pullsPerRepository = Math.ceil(size / repositories);
/** Every table a GitHub sync writes: the COPY comparison copies the same rows. */
const TABLES = [
  'repositories',
  'pull_requests',
  'pull_request_commits',
  'pull_request_reviews',
  'deployments',
  'deployment_changes',
  'incidents',
  'raw_payloads',
];

/**
 * The collector's production heap limit: the V8 flags of `npm run collect` (root package.json).
 * This process hosts the collector, so it runs again under them when started without (the fake
 * GitHub, a child process, keeps the defaults).
 */
const collectScript = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts.collect!;
const heapFlags = collectScript.match(/--max-old-space-size=\d+/g) ?? [];
if (heapFlags.some((flag) => !process.execArgv.includes(flag))) {
  const child = spawn(process.execPath, [...heapFlags, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  const code = await new Promise<number>((done) => child.once('exit', (c) => done(c ?? 1)));
  process.exit(code);
}
console.log(`collector's V8 flags as \`npm run collect\` sets them: ${heapFlags.join(' ') || 'none'}`);

const env = loadCollectorConfig();
const pg = await startScratchPostgres(env.DATABASE_URL, 'stride-bench-');
const { adminUrl } = pg;

/**
 * The fake GitHub in its own process (its data and work are not the collector's: the RSS and CPU
 * measured here are the collector's alone), serving a generated organisation.
 */
async function startFake(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, '../../packages/testkit/src/fakes/serve-fake-github.ts'),
      ...['--owner', 'bench', '--repositories', String(repositories)],
      ...['--pulls-per-repository', String(pullsPerRepository), '--seed', '2026'],
      // the fake's budgets are not what is measured here
      ...['--rate-limit', '10000000', '--graphql-rate-limit', '10000000'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await new Promise<string>((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`fake GitHub exited (${code}) before listening`)));
  });
  return { url: first.trim(), child };
}

const fake = await startFake();
console.log(
  `${repositories} repositories × ${pullsPerRepository} PRs = ${repositories * pullsPerRepository} PRs (generated, seed 2026); ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${new Date().toISOString().slice(0, 16)}Z`,
);

/** Statements of the write path: writes and the transactions around them (a commit waits for the WAL flush). */
const WRITE = /^\s*(insert|update|delete|begin|commit|with\b[\s\S]*\b(insert|update|delete)\b)/i;
/**
 * The shared rate budget's bookkeeping (`github_rate_budgets`: a take before and a record after
 * every API call) writes, but belongs to fetching, not to storing what was fetched: counted apart.
 */
const RATE_BUDGET = /\bgithub_rate_budgets\b/;

async function run(history: 'rest' | 'graphql'): Promise<void> {
  const name = `stride_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  // The write path's time: the duration of every statement that writes, as Kysely measured it.
  let writeMs = 0;
  let batchMs = 0;
  let batches = 0;
  let freshBatches = 0;
  let stageMs = 0;
  let mergeMs = 0;
  let budgetMs = 0;
  let budgetStatements = 0;
  let writing = true;
  const db = createDb(withDatabaseName(adminUrl, name), 4, {
    log: (event) => {
      if (!writing || event.level !== 'query') return;
      if (RATE_BUDGET.test(event.query.sql)) {
        budgetMs += event.queryDurationMillis;
        budgetStatements += 1;
      } else if (WRITE.test(event.query.sql)) writeMs += event.queryDurationMillis;
    },
  });
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
      env: { ...env, GITHUB_API_URL: fake.url },
      logger: pino({ level: process.env.BENCH_LOG ?? 'error' }),
      // Octokit spaces GraphQL queries one wait unit apart (a second against GitHub); the fake
      // answers at once, so the bench measures the collector, not that spacing.
      waitUnitMs: 1,
      // Batch writes (COPY into staging, then the merge) run on a raw connection Kysely does not
      // log: their wall-clock time, connection included, is added here.
      onBulkWrite: (
        result: { seconds: { stage: number; merge: number }; fresh?: boolean },
        seconds: number,
      ) => {
        if (!writing) return;
        if (result.fresh) freshBatches += 1;
        stageMs += result.seconds.stage * 1000;
        mergeMs += result.seconds.merge * 1000;
        writeMs += seconds * 1000;
        batchMs += seconds * 1000;
        batches += 1;
      },
    };
    const sync = async () => {
      const client = createGitHubClient(ctx);
      const reports = await syncGitHub(ctx, { client });
      reports.push(await linkDerived(ctx));
      return { reports, stats: { ...client.stats } };
    };
    let peakRss = process.memoryUsage().rss;
    // What the RSS is made of at its peak: V8's heap in use and memory outside it (Buffers).
    let atPeak = process.memoryUsage();
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      if (now.rss > peakRss) {
        peakRss = now.rss;
        atPeak = now;
      }
    }, 100);
    writeMs = 0;
    batchMs = 0;
    batches = 0;
    freshBatches = 0;
    stageMs = 0;
    mergeMs = 0;
    budgetMs = 0;
    budgetStatements = 0;
    const t0 = performance.now();
    const first = await sync();
    const firstSeconds = (performance.now() - t0) / 1000;
    const firstWriteSeconds = writeMs / 1000;
    clearInterval(sampler);
    writing = false;
    const errors = first.reports.filter((r) => r.error);
    // The re-sync's calls as the collector sent them (global fetch, which its client calls):
    // the rate-limited ones (not answered 304) are listed by route below.
    const resyncCalls = new Map<string, number>();
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      if (response.status !== 304) {
        const url = new URL(
          typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
        );
        const body = typeof init?.body === 'string' ? init.body : '';
        const operation = /query\s+(\w+)/.exec(body)?.[1];
        const route = `${init?.method ?? 'GET'} ${url.pathname.replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{repo}')}${operation ? ` ${operation}` : ''} ${response.status}`;
        resyncCalls.set(route, (resyncCalls.get(route) ?? 0) + 1);
      }
      return response;
    };
    const t1 = performance.now();
    const again = await sync().finally(() => {
      globalThis.fetch = realFetch;
    });
    const againSeconds = (performance.now() - t1) / 1000;
    await sql`analyze`.execute(db);
    const counted = await sql<{
      prs: string;
      merged: string;
    }>`select count(*) as prs, count(merged_at) as merged from pull_requests`.execute(db);
    const prs = Number(counted.rows[0]!.prs);
    const merged = Number(counted.rows[0]!.merged);
    const rawBytes = await sql<{ kind: string; n: string; stored: string; text: string }>`
      select kind, count(*) as n, sum(pg_column_size(payload)) as stored, sum(octet_length(payload::text)) as text
      from raw_payloads group by kind order by sum(pg_column_size(payload)) desc`.execute(db);
    const rawTable = await sql<{ bytes: string }>`
      select pg_total_relation_size('raw_payloads') as bytes`.execute(db);
    const allTables = await sql<{ bytes: string }>`
      select sum(pg_total_relation_size(c.oid)) as bytes from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'`.execute(db);
    const copy = await copyRate(db);
    const calls = first.stats.requests;
    const queries = first.stats.graphqlQueries;
    const points = first.stats.graphqlPoints;
    const perPr = (n: number) => (n / merged).toFixed(3);
    console.log(
      `\n### history: ${history}${errors.length ? ` (${errors.length} repositories failed: ${errors[0]!.error})` : ''}`,
    );
    console.log(`${prs} PRs stored, ${merged} merged`);
    console.log(
      `first sync: ${calls} API calls (${calls - queries} REST, ${queries} GraphQL) in ${firstSeconds.toFixed(1)} s: ` +
        `${perPr(calls)} calls per merged PR (target ≤ 0.05)`,
    );
    if (queries)
      console.log(
        `GraphQL points: ${points} (${(points / prs).toFixed(4)} a PR): 1,000,000 PRs = ` +
          `${((points / prs) * 1e6).toFixed(0)} points = ` +
          `${((points / prs) * 200).toFixed(1)} hours of one token's 5,000 points an hour (target < 10)`,
      );
    const rate = copy.rows / copy.seconds;
    console.log(
      `write path: ${copy.rows} rows (raw payloads ${copy.byTable.raw_payloads}) written in ${firstWriteSeconds.toFixed(1)} s of statements = ` +
        `${Math.round(copy.rows / firstWriteSeconds)} rows/s; COPY of the same rows: ${Math.round(rate)} rows/s; ` +
        `ratio ${(copy.rows / firstWriteSeconds / rate).toFixed(2)}x COPY (target ≥ 0.5x); ` +
        `COPY into the tables themselves (foreign keys, rollup triggers): ${Math.round(copy.rows / copy.intoTables)} rows/s, ` +
        `ratio ${(copy.rows / firstWriteSeconds / (copy.rows / copy.intoTables)).toFixed(2)}x; ` +
        `of which ${batches} batch writes ${(batchMs / 1000).toFixed(1)} s (${freshBatches} of them new keys copied ` +
        `straight into the tables; staging or copying ${(stageMs / 1000).toFixed(1)} s, merging or deriving ` +
        `${(mergeMs / 1000).toFixed(1)} s), other statements ` +
        `(cursors, sync runs, links) ${((writeMs - batchMs) / 1000).toFixed(1)} s`,
    );
    console.log(
      `shared rate budget (not in the write path: a take before and a record after each API call): ` +
        `${budgetStatements} statements, ${(budgetMs / 1000).toFixed(1)} s`,
    );
    const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
    console.log(
      `raw payloads: ${mb(Number(rawTable.rows[0]!.bytes))} MB on disk (table, TOAST, indexes) of ` +
        `${mb(Number(allTables.rows[0]!.bytes))} MB for all tables; by kind (rows, stored payload bytes, as JSON text): ` +
        rawBytes.rows
          .map((r) => `${r.kind} ${r.n}, ${mb(Number(r.stored))} MB (${mb(Number(r.text))} MB)`)
          .join('; '),
    );
    console.log(
      `end to end: ${Math.round(copy.rows / firstSeconds)} rows/s (${(copy.rows / firstSeconds / rate).toFixed(3)}x COPY; fetching included)`,
    );
    console.log(
      `peak RSS of the collector (the fake runs in its own process): ${Math.round(peakRss / 1048576)} MB (target ≤ 300 MB); ` +
        `at that moment V8 heap ${Math.round(atPeak.heapUsed / 1048576)} MB used of ${Math.round(atPeak.heapTotal / 1048576)} MB, ` +
        `external ${Math.round(atPeak.external / 1048576)} MB (array buffers ${Math.round(atPeak.arrayBuffers / 1048576)} MB)`,
    );
    console.log(
      `re-sync with nothing new: ${again.stats.requests} requests (${again.stats.notModified} answered 304, ` +
        `${again.stats.graphqlQueries} GraphQL) in ${againSeconds.toFixed(2)} s: ` +
        `${((100 * again.stats.requests) / calls).toFixed(2)} % of the first sync's calls, ` +
        `${((100 * (again.stats.requests - again.stats.notModified)) / calls).toFixed(2)} % of its rate-limited calls (a 304 costs none), ` +
        `${((100 * againSeconds) / firstSeconds).toFixed(2)} % of its time (target ≤ 2 %)`,
    );
    console.log(
      `re-sync's rate-limited calls by route: ${
        [...resyncCalls]
          .sort((a, b) => b[1] - a[1])
          .map(([route, n]) => `${route} ×${n}`)
          .join('; ') || 'none'
      }`,
    );
  } finally {
    await db.destroy();
    const admin = createDb(adminUrl, 1);
    await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
    await admin.destroy();
  }
}

/**
 * COPY of the rows the sync stored: into empty copies of their tables (`like … including all`:
 * indexes and defaults, no foreign keys, no triggers), and into the tables themselves emptied in
 * a transaction that is rolled back (their foreign keys and DORA rollup marking triggers run, as
 * they must for the collector). Seconds of each.
 */
async function copyRate(db: ReturnType<typeof createDb>): Promise<{
  rows: number;
  seconds: number;
  intoTables: number;
  byTable: Record<string, number>;
}> {
  let rows = 0;
  let seconds = 0;
  const byTable: Record<string, number> = {};
  const files = new Map<string, string>();
  try {
    for (const table of TABLES) {
      const file = join(tmpdir(), `stride-bench-${randomBytes(4).toString('hex')}.copy`);
      files.set(table, file);
      await sql.raw(`copy ${table} to '${file}'`).execute(db);
      await sql.raw(`create table bench_copy_${table} (like ${table} including all)`).execute(db);
      const t = performance.now();
      await sql.raw(`copy bench_copy_${table} from '${file}'`).execute(db);
      seconds += (performance.now() - t) / 1000;
      const counted = await sql<{
        n: string;
      }>`select count(*) as n from ${sql.table(`bench_copy_${table}`)}`.execute(db);
      byTable[table] = Number(counted.rows[0]!.n);
      rows += byTable[table]!;
    }
    const intoTables = await db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      try {
        await sql.raw(`truncate ${TABLES.join(', ')} cascade`).execute(conn);
        const t = performance.now();
        for (const table of TABLES) await sql.raw(`copy ${table} from '${files.get(table)}'`).execute(conn);
        return (performance.now() - t) / 1000;
      } finally {
        await sql`rollback`.execute(conn);
      }
    });
    return { rows, seconds, intoTables, byTable };
  } finally {
    for (const file of files.values()) await rm(file, { force: true }).catch(() => {});
  }
}

try {
  for (const history of ['rest', 'graphql'] as const)
    if (which === 'both' || which === history) await run(history);
} finally {
  fake.child.kill('SIGTERM');
  await pg.stop();
}
