// API load benchmark: `npm run bench -- api-load --database-url=postgres://…/db [--seconds 20]`.
// Starts the API server (apps/api/src/server.ts, built and run as compiled JS like the Dockerfile
// does; `--tsx` through tsx; `--node-args="…"` flags for its node, e.g. --cpu-prof) in its own process on the organisation loaded in
// that database (api-latency.bench.ts says how to load one), then drives it with autocannon, 50
// connections for 20 s, half on `GET /api/org/dora` and half on `GET /api/teams/dora-overview` (the overview's batched request; a quarter,
// by week), while a collector-like writer ingests: every 250 ms a merged PR and the production
// deployment shipping it for a random repository, upserted and then linked with `deriveLinks`
// (which refreshes the rollups), as a sync does. Prints requests/s, latency percentiles, errors,
// the API process's peak RSS, and what the writer did. Targets (at xl, the scale goal): >= 200 req/s,
// p99 < 1 s, 0 errors, RSS <= 250 MB. Without --database-url it is skipped (npm run bench runs every suite).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createDb, upsertDeployments, upsertPullRequests } from '@stride/db';
import { deriveLinks } from '@stride/ingest';
import autocannon from 'autocannon';
import { sql } from 'kysely';

const flag = (name: string) => {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = process.argv[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1];
};
const url = flag('database-url');
if (!url) {
  // `npm run bench` runs every suite: without an organisation to load, this one says so and stops.
  console.log('api-load: skipped (give --database-url=postgres://… of a loaded organisation)');
} else {
  await runLoad(url);
}

async function runLoad(url: string): Promise<void> {
  const seconds = Number(flag('seconds') ?? 20);
  const port = Number(flag('port') ?? 3917);
  const DAY = 86_400_000;

  const db = createDb(url, 4);
  const end = await sql<{ d: Date }>`select max(deployed_at) as d from deployments`.execute(db);
  const to = new Date(Math.floor(end.rows[0]!.d.getTime() / DAY) * DAY + DAY);
  const from = new Date(to.getTime() - 91 * DAY);
  const query = `from=${from.toISOString().slice(0, 10)}&to=${to.toISOString().slice(0, 10)}&granularity=week`;
  const repositories = (
    await sql<{ id: string; full_name: string }>`
  select r.id, r.full_name from repositories r join team_repositories tr on tr.repository_id = r.id`.execute(
      db,
    )
  ).rows;

  const root = resolve(import.meta.dirname, '../..');
  // The API as production runs it (Dockerfile): the compiled server, built now from this checkout.
  // `--tsx` runs the sources through tsx instead (its loader thread costs ~70 MB of RSS).
  const viaTsx = process.argv.includes('--tsx');
  if (!viaTsx) execFileSync('npm', ['run', 'build', '-w', '@stride/api'], { cwd: root, stdio: 'ignore' });
  const serverArgs = viaTsx ? ['--import', 'tsx', 'apps/api/src/server.ts'] : ['apps/api/dist/server.js'];
  const api: ChildProcess = spawn(
    process.execPath,
    [...(flag('node-args')?.split(' ') ?? []), ...serverArgs],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url,
        PORT: String(port),
        RATE_LIMIT_PER_MINUTE: '10000000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    if (i > 600) throw new Error('api-load: the API did not start');
    await new Promise((r) => setTimeout(r, 200));
  }

  // Steady state, not a cold start: each URL answered once before the load (the first answer of
  // a cold cache is computed while every connection waits for it).
  for (const path of [`/api/org/dora?${query}`, `/api/teams/dora-overview?${query}`]) {
    const res = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    if (!res.ok) throw new Error(`api-load: ${path} answered ${res.status}`);
    await res.arrayBuffer();
  }

  const rssMb = () => {
    const status = readFileSync(`/proc/${api.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  };
  let peakRss = rssMb();
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb());
  }, 250);

  // The collector-like writer: one merged PR and its deployment per tick, linked as a sync links.
  let writes = 0;
  let writing = true;
  const writeTimes: number[] = [];
  const writer = (async () => {
    let n = 0;
    while (writing) {
      const repo = repositories[n % repositories.length]!;
      const now = new Date(to.getTime() - DAY / 2 + (n % 1000) * 1000);
      const s = performance.now();
      await upsertPullRequests(db, [
        {
          repository_id: repo.id,
          external_id: `bench-load:${repo.full_name}#${900_000 + n}`,
          number: 900_000 + n,
          title: 'bench: load-time change',
          author_login: 'bench-writer',
          state: 'merged',
          base_branch: null,
          created_at: new Date(now.getTime() - 3_600_000),
          first_commit_at: new Date(now.getTime() - 7_200_000),
          merged_at: new Date(now.getTime() - 600_000),
          source_updated_at: now,
          additions: 10,
          deletions: 2,
          labels: [],
          linked_issue_keys: [],
        },
      ]);
      await upsertDeployments(db, [
        {
          repository_id: repo.id,
          source: 'webhook',
          external_id: `bench-load:${repo.full_name}:${n}`,
          environment: 'production',
          is_production: true,
          status: 'success',
          created_at: now,
          deployed_at: now,
          source_updated_at: now,
        },
      ]);
      await deriveLinks(db, { repositoryIds: [repo.id], attributionWindowDays: 7 });
      writeTimes.push(performance.now() - s);
      writes++;
      n++;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  const result = await autocannon({
    url: base,
    connections: 50,
    duration: seconds,
    // As the dashboard's browser asks (Chromium sends gzip, deflate, br, zstd): the all-teams
    // answer is ~2 MB of JSON at xl, ~0.1 MB in brotli.
    headers: { 'accept-encoding': 'gzip, deflate, br' },
    requests: [
      { method: 'GET', path: `/api/org/dora?${query}` },
      { method: 'GET', path: `/api/teams/dora-overview?${query}` },
    ],
  });
  writing = false;
  await writer;
  clearInterval(rssTimer);

  const non2xx = result.non2xx;
  console.log(
    `\napi-load: ${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}; ${repositories.length} repositories; 50 connections, ${seconds} s, /api/org/dora + /api/teams/dora-overview (quarter, what the overview requests)`,
  );
  console.log(
    `  requests/s ${result.requests.average.toFixed(1)} (target >= 200); latency p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms (target < 1000), max ${result.latency.max} ms`,
  );
  console.log(
    `  errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${non2xx} (target 0); API peak RSS ${peakRss.toFixed(0)} MB (target <= 250)`,
  );
  const sorted = [...writeTimes].sort((a, b) => a - b);
  console.log(
    `  writer: ${writes} PR+deployment writes, each linked and rolled up (deriveLinks + refreshRollups): p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`,
  );

  api.kill('SIGTERM');
  await new Promise((r) => api.once('exit', r));
  // The writer's rows are removed (their days are queued and rebuilt by the refresh).
  await sql`delete from deployments where external_id like 'bench-load:%'`.execute(db);
  await sql`delete from pull_requests where external_id like 'bench-load:%'`.execute(db);
  await deriveLinks(db, { repositoryIds: [], attributionWindowDays: 7 });
  await db.destroy();
}
