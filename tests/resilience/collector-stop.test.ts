import { loadCollectorConfig, runAllSyncs } from '@stride/collector';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess } from '../support/child-process.ts';
import {
  type Fault,
  type FaultProxy,
  startFaultProxy,
  waitForProxiedRequest,
} from '../support/fault-proxy.ts';

// SIGTERM to the collector worker (`npm run collect`, and `npm start`'s worker through the same
// stop function): the chunk of PRs in hand is fetched and stored, then the sync stops with its run
// `interrupted` and its cursors saved, before the database is closed; the next run resumes.
const OWNER = 'stopping';
const REPO = `${OWNER}/service-1`;
const GITHUB = {
  repositories: [REPO],
  deployments: { source: 'github_deployments', environment: '^production$' },
};

const count = async (t: TestDatabase, query: ReturnType<typeof sql<{ n: string }>>) =>
  Number((await query.execute(t.db)).rows[0]!.n);

describe('collector stop (SIGTERM) mid-sync', () => {
  let server: FakeGitHubServer;
  let proxy: FaultProxy;
  let t: TestDatabase;
  beforeAll(async () => {
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: OWNER, repositories: 1, pullsPerRepository: 40, seed: 5 },
    });
    // A slow server: every PR's commits take 1.5 s to answer.
    proxy = await startFaultProxy(
      server.url,
      ({ path }): Fault => (/\/pulls\/\d+\/commits/.test(path) ? { delayMs: 1500 } : 'pass'),
    );
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
    await t?.destroy();
  });

  it('stores the chunk in hand, ends the run interrupted, exits 0; the next run resumes', async () => {
    const child = await startCollectorProcess({
      databaseUrl: t.url,
      github: GITHUB,
      apiUrl: proxy.url,
      token: 'token-stopping',
    });
    const commitsPath = /\/pulls\/(\d+)\/commits/;
    let inFlight: number;
    try {
      const first = await waitForProxiedRequest(proxy, (r) => commitsPath.test(r.path), child);
      inFlight = Number(commitsPath.exec(first.path)![1]);
      process.kill(child.child.pid!, 'SIGTERM');
      expect(await child.exited).toBe(0);
    } finally {
      child.kill();
    }
    const merged = server.repos.get(REPO)!.pulls.filter((p) => p.merged_at);
    // The PR whose commits were being fetched at SIGTERM was stored with them (not cut off).
    const commitsOf = (n: number) =>
      count(
        t,
        sql<{ n: string }>`select count(*)::text as n from pull_request_commits c
          join pull_requests pr on pr.id = c.pull_request_id where pr.number = ${n}`,
      );
    expect(await commitsOf(inFlight)).toBeGreaterThan(0);
    // It stopped there: not every merged PR was synced, and its run says so.
    const withCommits = await count(
      t,
      sql<{ n: string }>`select count(distinct pull_request_id)::text as n from pull_request_commits`,
    );
    expect(withCommits).toBeLessThan(merged.length);
    const runs = await t.db.selectFrom('sync_runs').select(['scope', 'status', 'error']).execute();
    expect(runs.find((r) => r.scope === REPO)).toMatchObject({ status: 'interrupted' });
    expect(runs.some((r) => r.status === 'running')).toBe(false);

    // The next run resumes and completes: every merged PR with its commits.
    const reports = await runAllSyncs({
      db: t.db,
      config: parseStrideConfig({ github: GITHUB, sync: { backfillDays: 20_000, intervalMinutes: 15 } }),
      env: loadCollectorConfig({ GITHUB_API_URL: server.url, GITHUB_TOKEN: 'token-2', LOG_LEVEL: 'silent' }),
      logger: pino({ level: 'silent' }),
      waitUnitMs: 10,
    });
    expect(reports.filter((r) => r.error)).toEqual([]);
    expect(
      await count(
        t,
        sql<{ n: string }>`select count(distinct pull_request_id)::text as n from pull_request_commits`,
      ),
    ).toBe(
      merged.filter((p) => (server.repos.get(REPO)!.pullCommits[String(p.number)] ?? []).length > 0).length,
    );
  }, 150_000);
});
