import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, type FakePayload, startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingCheckPaths } from '../testing/pending-check-paths.ts';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { issuesSinceOf } from './github/sync-incidents.ts';
import { syncGitHub } from './sync-github.ts';

const OWNER = 'resync';
const config = {
  orgs: [OWNER],
  deployments: { source: 'github_deployments', environment: '^production$' },
  history: 'graphql',
};
/** The backfill horizon of a run: now minus `sync.backfillDays`, so each run's is a little later. */
const HORIZON = Date.parse('2020-03-04T05:06:07Z');

describe('GitHub re-sync (GraphQL history): nothing new costs no rate-limited request but the pending checks', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  let run = 0;
  /** One sync whose horizon is `run` seconds later than the first's, as the clock moves between runs. */
  const sync = async () => {
    const from = server.requests.length;
    const ctx = {
      ...createSyncTestContext(t.db, server.url, config),
      since: new Date(HORIZON + run * 7_000),
    };
    run += 1;
    const reports = await syncGitHub(ctx);
    expect(reports.filter((r) => r.error)).toEqual([]);
    return server.requests.slice(from);
  };
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: OWNER, repositories: 3, pullsPerRepository: 60, seed: 11 },
    });
    // More incident issues than one page (100) holds: the listing has a `Link` header, which
    // names the URL, its `since` included.
    const data = server.repos.get(`${OWNER}/service-1`)!;
    const first = data.issues[0]!;
    for (let i = 1; i <= 150; i += 1)
      data.issues.push({ ...first, id: Number(first.id) + i * 1000, number: Number(first.number) + i });
    await sync();
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('keeps the issues listing URL the same all day (the horizon at the start of its UTC day)', () => {
    expect(issuesSinceOf(new Date('2020-03-04T05:06:07.890Z'))).toBe('2020-03-04T00:00:00Z');
    expect(issuesSinceOf(new Date('2020-03-04T23:59:59Z'))).toBe('2020-03-04T00:00:00Z');
  });

  it('asks every REST listing conditionally (all 304) and GraphQL only for the check runs still running', async () => {
    const pending = await pendingCheckPaths(t.db);
    // running checks in more than one repository: asked in one query all the same
    expect(new Set(pending.map((p) => p.split('/').slice(2, 4).join('/'))).size).toBeGreaterThan(1);
    const requests = await sync();
    const rateLimited = requests.filter((q) => q.status !== 304);
    expect(rateLimited.map((q) => q.operation ?? q.path)).toEqual(
      Array.from({ length: Math.ceil(pending.length / 83) }, () => 'StrideCheckRuns'),
    );
    // the repositories, pull requests, deployments and issues of each repository, the org's list
    expect(requests.filter((q) => q.status === 304).length).toBe(1 + 3 * 4);
  });

  it('finds what did change: an updated pull request and a new incident issue', async () => {
    const data = server.repos.get(`${OWNER}/service-1`)!;
    const pr = data.pulls.find((p) => p.state === 'open')!;
    Object.assign(pr, { title: 'Retitled after the first sync', updated_at: '2031-01-01T00:00:00Z' });
    const issue = data.issues[0]!;
    data.issues.unshift({
      ...issue,
      id: 9_999_999,
      number: 99_999,
      title: 'Outage after the first sync',
      created_at: '2031-01-01T00:00:00Z',
      updated_at: '2031-01-01T00:00:00Z',
      closed_at: '2031-01-01T01:00:00Z',
    } as FakePayload);
    const requests = await sync();
    expect(requests.some((q) => q.operation === 'StridePullRequests')).toBe(true);
    const title = await sql<{ title: string }>`
      select title from pull_requests where number = ${pr.number as number}
        and repository_id = (select id from repositories where full_name = ${`${OWNER}/service-1`})`.execute(
      t.db,
    );
    expect(title.rows.map((r) => r.title)).toEqual(['Retitled after the first sync']);
    const incidents = await sql<{ n: string }>`
      select count(*) as n from incidents where external_id like '%99999%' or title = 'Outage after the first sync'`.execute(
      t.db,
    );
    expect(Number(incidents.rows[0]!.n)).toBe(1);
  });
});
