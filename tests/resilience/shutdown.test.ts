import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startEmbeddedPostgres,
  withDatabaseName,
} from '@stride/db';
import { seedDashboardOrg } from '@stride/testkit';
import { type FakeGitHubServer, startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningChild, repoRoot, startTsx } from '../support/child-process.ts';
import { type FaultProxy, startFaultProxy, waitForProxiedRequest } from '../support/fault-proxy.ts';

const startScript = join(repoRoot, 'scripts/start.ts');

/** Whether a process with this pid is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// npm start runs the API, the collector worker and the embedded PostgreSQL in one process: at
// SIGTERM, requests in flight are answered, then the collector stores the page it is fetching (a
// slow GitHub: every PR's commits take 1.5 s) and ends its run interrupted, then PostgreSQL stops.
const OWNER = 'shutdown';
const REPO = `${OWNER}/service-1`;

describe('SIGTERM to npm start on the embedded database', () => {
  let dir = '';
  let child: RunningChild | undefined;
  let github: FakeGitHubServer | undefined;
  let proxy: FaultProxy | undefined;
  afterAll(async () => {
    child?.kill();
    await proxy?.close();
    await github?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('drains in-flight requests, lets the collector store its page, stops the database last and exits 0', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stride-sigterm-'));
    await chmod(dir, 0o755);
    const dataDir = join(dir, 'data');
    // An organisation in the embedded data directory, so requests do real work.
    const seedServer = await startEmbeddedPostgres(join(dataDir, 'pg'));
    let teams: unknown;
    try {
      await ensureDatabase(seedServer.adminUrl, 'stride');
      const db = createDb(withDatabaseName(seedServer.adminUrl, 'stride'), 2);
      await migrateToLatest(db);
      teams = (await seedDashboardOrg(db, { days: 60, teamCount: 3 })).teams;
      await db.destroy();
    } finally {
      await seedServer.stop();
    }
    github = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: OWNER, repositories: 1, pullsPerRepository: 60, seed: 7 },
    });
    proxy = await startFaultProxy(github.url, ({ path }) =>
      /\/pulls\/\d+\/commits/.test(path) ? { delayMs: 1500 } : 'pass',
    );
    const configPath = join(dir, 'stride.config.yaml');
    await writeFile(
      configPath,
      JSON.stringify({
        teams,
        github: {
          repositories: [REPO],
          deployments: { source: 'github_deployments', environment: '^production$' },
        },
        sync: { backfillDays: 20_000 },
      }),
    );

    child = startTsx(startScript, {
      STRIDE_CONFIG: configPath,
      STRIDE_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000000',
      GITHUB_API_URL: proxy.url,
      GITHUB_TOKEN: 'token-shutdown',
    });
    const running = await child.waitFor(/Stride is running: (http:\/\/127\.0\.0\.1:\d+)\//);
    const base = running[1]!;
    // The collector is fetching a page of PRs (commits in flight) when the signal comes.
    const commitsPath = /\/pulls\/(\d+)\/commits/;
    const firstCommits = await waitForProxiedRequest(proxy, (r) => commitsPath.test(r.path), child);
    const inFlight = Number(commitsPath.exec(firstCommits.path)![1]);
    const postmaster = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(alive(postmaster)).toBe(true);

    const paths = ['/api/org/dora', '/api/teams/platform/health', '/api/teams/payments/dora', '/api/changes'];
    const total = 24;
    let sigtermAt = 0;
    const requests = Array.from({ length: total }, async (_, i) => {
      try {
        const response = await fetch(`${base}${paths[i % paths.length]}`);
        await response.arrayBuffer();
        return { status: response.status, at: Date.now() };
      } catch (error) {
        return { status: 0, at: Date.now(), error: String((error as Error).cause ?? error) };
      }
    });
    // Every request has reached the API (logged) before the signal: they are in flight.
    await child.waitUntil((output) => (output.match(/incoming request/g) ?? []).length >= total, 30_000);
    sigtermAt = Date.now();
    process.kill(child.child.pid!, 'SIGTERM');
    const outcomes = await Promise.all(requests);
    const code = await child.exited;

    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    expect(outcomes.some((o) => o.at >= sigtermAt)).toBe(true);
    expect(code, child.output().slice(-3000)).toBe(0);
    expect(child.output()).toContain('SIGTERM: stopping');
    // The database was stopped too (cleanly: no pid file left), not orphaned.
    expect(alive(postmaster)).toBe(false);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    // What the collector left: the page in hand stored, its run interrupted, the rest for the next run.
    const after = await startEmbeddedPostgres(join(dataDir, 'pg'));
    const db = createDb(withDatabaseName(after.adminUrl, 'stride'), 2);
    try {
      const count = async (query: ReturnType<typeof sql<{ n: string }>>) =>
        Number((await query.execute(db)).rows[0]!.n);
      const repositoryId = sql`(select id from repositories where full_name = ${REPO})`;
      expect(
        await count(sql<{ n: string }>`select count(*)::text as n from pull_request_commits c
          join pull_requests pr on pr.id = c.pull_request_id
          where pr.repository_id = ${repositoryId} and pr.number = ${inFlight}`),
        child.output().slice(-3000),
      ).toBeGreaterThan(0);
      const synced = await count(sql<{ n: string }>`select count(distinct c.pull_request_id)::text as n
        from pull_request_commits c join pull_requests pr on pr.id = c.pull_request_id
        where pr.repository_id = ${repositoryId}`);
      const merged = github.repos.get(REPO)!.pulls.filter((p) => p.merged_at).length;
      expect(synced).toBeLessThan(merged);
      const runs = await db.selectFrom('sync_runs').select(['scope', 'status']).execute();
      expect(runs.find((r) => r.scope === REPO)).toMatchObject({ status: 'interrupted' });
      expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    } finally {
      await db.destroy();
      await after.stop();
    }
  }, 300_000);
});
