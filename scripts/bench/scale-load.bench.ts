// Scale loading: the organisation model of a bench size (`--size small|large|xl`, @stride/testkit
// BENCH_SIZES) streamed into PostgreSQL through the bulk write path (`bulkLoadOrgModel`: COPY into
// staging tables while the model generates, one merge per table, then `deriveLinks` incremental,
// then ANALYZE), against a plain COPY of the same rows into an empty copy of the schema, measured in
// the same run. Prints rows per table, generate+load seconds, rows/s, the COPY baseline and the
// ratio (target ≥ 0.5x), peak RSS (target ≤ 1 GB at xl), link/attribution seconds.
//
// Database: a fresh scratch database on DATABASE_URL's server (or an embedded PostgreSQL), dropped
// at the end. To leave a dataset for API benchmarks, name it and keep it:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     npm run bench -- scale-load --size large --database stride_large --keep
// loads into database `stride_large` (created and migrated; refused if it already holds PRs) and
// leaves it there: point the API at postgres://postgres@127.0.0.1:5432/stride_large. The data ends
// on 2026-11-23T12:00:00Z (seed 2026). `--no-baseline` skips the COPY baseline.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  connectRawClient,
  createDb,
  type Db,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import {
  BENCH_SIZES,
  benchSizeModelOptions,
  bulkLoadOrgModel,
  createOrgModel,
  parseBenchSize,
} from '@stride/testkit';
import { sql } from 'kysely';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

const argv = process.argv;
const size = parseBenchSize(argv);
const named = (() => {
  const i = argv.indexOf('--database');
  return i >= 0 ? argv[i + 1] : undefined;
})();
const keep = argv.includes('--keep');
const baseline = !argv.includes('--no-baseline');
if (named !== undefined && !/^[a-z_][a-z0-9_]*$/.test(named)) {
  throw new Error(`--database must be a plain lower-case database name (got '${named}')`);
}
const END = new Date('2026-11-23T12:00:00Z');
const TABLES = [
  'repositories',
  'pull_requests',
  'pull_request_commits',
  'pull_request_reviews',
  'deployments',
  'deployment_changes',
  'jira_issues',
  'jira_issue_transitions',
  'incidents',
];

const server = await startScratchPostgres(process.env.DATABASE_URL, 'stride-bench-');
const admin = server.adminUrl;
const dropAfter: string[] = [];
const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function freshDatabase(name: string): Promise<Db> {
  await ensureDatabase(admin, name);
  const db = createDb(withDatabaseName(admin, name), 4);
  await migrateToLatest(db);
  return db;
}

/** Seconds to COPY the loaded rows (dumped to files first) into an empty migrated database. */
async function copyBaseline(from: Db): Promise<{ seconds: number; rows: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'stride-copy-'));
  const name = `stride_bench_copy_${randomBytes(4).toString('hex')}`;
  dropAfter.push(name);
  const to = await freshDatabase(name);
  try {
    const source = await connectRawClient(from);
    try {
      for (const table of ['teams', ...TABLES]) {
        await pipeline(source.query(copyTo(`copy ${table} to stdout`)), createWriteStream(join(dir, table)));
      }
    } finally {
      source.release();
    }
    const target = await connectRawClient(to);
    let rows = 0;
    const t0 = performance.now();
    try {
      for (const table of ['teams', ...TABLES]) {
        if ((await stat(join(dir, table))).size === 0) continue;
        const stream = target.query(copyFrom(`copy ${table} from stdin`));
        await pipeline(createReadStream(join(dir, table)), stream);
        rows += stream.rowCount;
      }
    } finally {
      target.release();
    }
    return { seconds: (performance.now() - t0) / 1000, rows };
  } finally {
    await to.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

try {
  const name = named ?? `stride_bench_${randomBytes(4).toString('hex')}`;
  if (!keep) dropAfter.push(name);
  const db = await freshDatabase(name);
  try {
    const existing = await sql<{ n: string }>`select count(*) as n from pull_requests`.execute(db);
    if (Number(existing.rows[0]!.n) > 0) {
      throw new Error(`database ${name} already holds pull requests: drop it or name another (--database)`);
    }
    const model = createOrgModel(benchSizeModelOptions(size, END));
    const people = model.config.reduce((n, t) => n + t.members.length, 0);
    console.log(
      `size ${size}: ${BENCH_SIZES[size].teams} teams, ${model.repositories.length} repositories, ${people} memberships, ${BENCH_SIZES[size].years} years, load average ${loadavg()[0]!.toFixed(1)} (${new Date().toISOString()})`,
    );
    let lastReport = performance.now();
    const result = await bulkLoadOrgModel(db, model, {
      onProgress: (done, all) => {
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          console.log(
            `  … ${done}/${all} repositories staged, RSS ${fmt(process.memoryUsage().rss / 2 ** 20)} MB`,
          );
        }
      },
    });
    const s = result.seconds;
    const loadSeconds = s.stage + s.merge;
    const activityRows = TABLES.filter((t) => t !== 'repositories').reduce(
      (n, t) => n + (result.rows[t] ?? 0),
      0,
    );
    for (const table of TABLES)
      console.log(`  ${table.padEnd(24)} ${fmt(result.rows[table] ?? 0).padStart(11)} rows`);
    console.log(`  refused rows: ${result.rejectedCount}`);
    console.log(
      `generate+load ${s.stage.toFixed(1)} s stage (of which generating ${s.generate.toFixed(1)} s) + ${s.merge.toFixed(1)} s merge = ${loadSeconds.toFixed(1)} s: ${fmt(activityRows / loadSeconds)} rows/s`,
    );
    console.log(
      `link + flags + attribution ${s.link.toFixed(1)} s, ANALYZE ${s.analyze.toFixed(1)} s; total ${s.total.toFixed(1)} s (target at xl ≤ 600 s)`,
    );
    console.log(
      `peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB of the whole bench process (run scale-load alone for its own; target at xl ≤ 1,024 MB)`,
    );
    if (baseline) {
      const copy = await copyBaseline(db);
      console.log(
        `plain COPY of the same ${fmt(copy.rows)} rows into an empty schema: ${copy.seconds.toFixed(1)} s, ${fmt(copy.rows / copy.seconds)} rows/s`,
      );
      console.log(
        `ratio loader/COPY: ${(copy.seconds / loadSeconds).toFixed(2)}x end to end (generation included), ${(copy.seconds / (loadSeconds - s.generate)).toFixed(2)}x without generation (target ≥ 0.5x)`,
      );
    }
    if (keep) console.log(`kept: ${withDatabaseName(admin, name).replace(/:[^:@/]+@/, ':***@')}`);
  } finally {
    await db.destroy();
  }
} finally {
  const a = createDb(admin, 1);
  for (const name of dropAfter) await sql.raw(`drop database if exists "${name}" with (force)`).execute(a);
  await a.destroy();
  await server.stop();
}
