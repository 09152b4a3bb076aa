import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FakeRepoData } from '@stride/testkit/fakes';
import { type FakeGitHubServer, type FakePayload, startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingCheckPaths } from '../testing/pending-check-paths.ts';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { runAllSyncs } from './run-all-syncs.ts';
import type { SyncReport } from './sync-context.ts';
import { syncGitHub } from './sync-github.ts';

type Json = FakePayload;
const OWNER = 'stride-gen';
const ONE_REPO = {
  repositories: [`${OWNER}/service-1`],
  deployments: { source: 'github_deployments', environment: '^production$' },
  incidentLabel: 'incident',
};
const WHOLE_ORG = { orgs: [OWNER], incidentLabel: 'incident' };

const count = async (t: TestDatabase, table: string, where = sql`true`) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(t.db))
      .rows[0]!.n,
  );
const total = (reports: SyncReport[], field: 'requests' | 'notModified') =>
  reports.reduce((n, r) => n + r[field], 0);

/** What a complete sync of the served data must store, counted from the served payloads. */
function expectedRows(repos: Iterable<FakeRepoData>) {
  let prs = 0;
  let merged = 0;
  let commits = 0;
  let reviews = 0;
  let deployments = 0;
  let incidents = 0;
  for (const data of repos) {
    prs += data.pulls.length;
    for (const p of data.pulls.filter((x) => x.merged_at)) {
      merged += 1;
      commits += (data.pullCommits[String(p.number)] ?? []).length;
    }
    // Merged and open PRs come with their reviews and conversation comments (kind 'comment').
    for (const p of data.pulls.filter((x) => x.merged_at || x.state === 'open')) {
      reviews += (data.pullReviews[String(p.number)] ?? []).length;
      reviews += (data.issueComments?.[String(p.number)] ?? []).length;
    }
    deployments += data.deployments.length;
    incidents += data.issues.filter((i: Json) =>
      i.labels.some((l: Json) => l.name.toLowerCase() === 'incident'),
    ).length;
  }
  return { prs, merged, commits, reviews, deployments, incidents };
}

async function expectComplete(t: TestDatabase, repos: Iterable<FakeRepoData>) {
  const e = expectedRows(repos);
  expect(await count(t, 'pull_requests')).toBe(e.prs);
  expect(await count(t, 'pull_requests', sql`state = 'merged' and additions is not null`)).toBe(e.merged);
  expect(await count(t, 'pull_request_commits')).toBe(e.commits);
  expect(await count(t, 'pull_request_reviews')).toBe(e.reviews);
  expect(await count(t, 'deployments', sql`status = 'success'`)).toBe(e.deployments);
  expect(await count(t, 'incidents')).toBe(e.incidents);
}

describe('GitHub sync of generated volume through rate limits and server errors', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  let first: SyncReport[];
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: OWNER, repositories: 1, pullsPerRepository: 120, seed: 7 },
      faults: [
        { kind: 'rate-limit', atRequest: 30, resetAfterSeconds: 1 },
        { kind: 'secondary-rate-limit', atRequest: 120 },
        { kind: 'server-error', atRequest: 200, times: 2 },
      ],
    });
    first = await runAllSyncs(createSyncTestContext(t.db, server.url, ONE_REPO));
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('waits out the 403s, retries the 502s and stores everything once', async () => {
    expect(first.filter((r) => r.error)).toEqual([]);
    const statuses = server.requests.map((r) => r.status);
    expect(statuses.filter((s) => s === 403)).toHaveLength(2);
    expect(statuses.filter((s) => s === 502)).toHaveLength(2);
    // The failed requests were repeated, not skipped.
    const failed = server.requests.filter((r) => r.status >= 500 || r.status === 403);
    for (const f of failed) {
      expect(server.requests.some((r) => r.path === f.path && r.query === f.query && r.status === 200)).toBe(
        true,
      );
    }
    await expectComplete(t, server.repos.values());
  });

  it('pickup ends at the first review or conversation comment by someone other than the author', async () => {
    const data = [...server.repos.values()][0]!;
    const rows = await t.db.selectFrom('pull_requests').select(['number', 'first_review_at']).execute();
    let byComment = 0;
    for (const p of data.pulls.filter((x) => x.merged_at)) {
      const times = [
        ...(data.pullReviews[String(p.number)] ?? []).map((r) => ({
          login: r.user.login,
          at: r.submitted_at,
        })),
        ...(data.issueComments?.[String(p.number)] ?? []).map((c) => ({
          login: c.user.login,
          at: c.created_at,
        })),
      ]
        .filter((x) => x.login !== p.user.login)
        .map((x) => x.at as string)
        .sort();
      const row = rows.find((r) => r.number === p.number)!;
      expect(row.first_review_at?.toISOString() ?? null).toBe(
        times[0] ? new Date(times[0]).toISOString() : null,
      );
      if (times[0] && data.issueComments?.[String(p.number)]?.[0]?.created_at === times[0]) byComment += 1;
    }
    expect(byComment).toBeGreaterThan(0);
  });

  it('links changes to deployments exactly through the compare API, the rest by time', async () => {
    for (const [fullName, data] of server.repos) {
      const repo = await t.db
        .selectFrom('repositories')
        .select('id')
        .where('full_name', '=', fullName)
        .executeTakeFirstOrThrow();
      const links = await t.db
        .selectFrom('deployment_changes as dc')
        .innerJoin('pull_requests as pr', 'pr.id', 'dc.pull_request_id')
        .innerJoin('deployments as d', 'd.id', 'dc.deployment_id')
        .select(['pr.number', 'd.external_id', 'dc.attribution'])
        .where('pr.repository_id', '=', repo.id)
        .execute();
      // Expected: merges in time order; deployment i ships the merges after deployment i-1's SHA up to its own.
      const merged = data.pulls
        .filter((p) => p.merged_at)
        .sort((a, b) => a.merged_at.localeCompare(b.merged_at));
      const deploys = [...data.deployments].sort((a, b) => a.updated_at.localeCompare(b.updated_at));
      const deployedAt = (d: Json) =>
        data.deploymentStatuses[String(d.id)]!.find((s) => s.state === 'success')!.created_at as string;
      deploys.sort((a, b) => deployedAt(a).localeCompare(deployedAt(b)));
      const position = (sha: string) => merged.findIndex((p) => p.merge_commit_sha === sha);
      const expected = new Map<number, [string, 'commit' | 'time']>();
      deploys.forEach((d, i) => {
        if (i === 0) return;
        for (let k = position(deploys[i - 1]!.sha) + 1; k <= position(d.sha); k += 1) {
          expected.set(merged[k]!.number, [String(d.id), 'commit']);
        }
      });
      // By time only to a deployment whose shipped commits are unknown: here the first (no
      // previous SHA to compare with); a change merged after a compared deployment's SHA but
      // before it finished is not yet deployed (docs/metrics.md, Change).
      for (const p of merged) {
        if (expected.has(p.number)) continue;
        const d = deploys.find((x, i) => i === 0 && deployedAt(x) >= p.merged_at);
        if (d) expected.set(p.number, [String(d.id), 'time']);
      }
      expect(new Map(links.map((l) => [l.number, [l.external_id, l.attribution]]))).toEqual(expected);
      expect([...expected.values()].filter(([, a]) => a === 'commit').length).toBeGreaterThan(
        merged.length / 2,
      );
    }
  });

  it('a re-sync with nothing new costs under 2 % of the first sync’s requests', async () => {
    const before = server.requests.length;
    const again = await runAllSyncs(createSyncTestContext(t.db, server.url, ONE_REPO));
    const ratio = total(again, 'requests') / total(first, 'requests');
    console.log(
      `first sync ${total(first, 'requests')} requests; re-sync ${total(again, 'requests')} requests ` +
        `(${total(again, 'notModified')} answered 304), ratio ${(ratio * 100).toFixed(2)} %`,
    );
    expect(ratio).toBeLessThan(0.02);
    // The check runs of PRs whose checks were pending are asked again, conditionally: 304 too.
    const pending = await pendingCheckPaths(t.db);
    expect(pending.length).toBeGreaterThan(0);
    expect(total(again, 'requests') - total(again, 'notModified')).toBe(0);
    const seen = server.requests.slice(before);
    expect(seen.filter((r) => r.status !== 304)).toEqual([]);
    expect(
      seen
        .filter((r) => r.path.endsWith('/check-runs'))
        .map((r) => r.path)
        .sort(),
    ).toEqual(pending);
    await expectComplete(t, server.repos.values());
  });
});

describe('a sync that crashes mid-way resumes where it stopped', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  const controller = new AbortController();
  let crashAt = Number.POSITIVE_INFINITY;
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: OWNER, repositories: 1, pullsPerRepository: 130, seed: 11 },
      onRequest: (_record, n) => {
        if (n >= crashAt) controller.abort(new Error('simulated crash'));
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('stores nothing twice and loses nothing', async () => {
    const data = [...server.repos.values()][0]!;
    const mergedCount = data.pulls.filter((p) => p.merged_at).length;
    const openCount = data.pulls.filter((p) => p.state === 'open').length;
    // Requests per PR: merged 5 (detail, commits, reviews, comments, timeline), open 4 (reviews,
    // comments, timeline, check runs).
    const fullSync = mergedCount * 5 + openCount * 4;
    // Crash on page 2 of the PR list (after page 1's 100 PRs and their sub-requests).
    crashAt = 3 + Math.round(fullSync * 0.9);
    const crashing = { ...createSyncTestContext(t.db, server.url, WHOLE_ORG), signal: controller.signal };
    await expect(syncGitHub(crashing)).rejects.toThrow();
    const partial = await count(t, 'pull_requests');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(data.pulls.length);
    const failedRun = await t.db
      .selectFrom('sync_runs')
      .select('status')
      .where('source', '=', 'github')
      .execute();
    expect(failedRun.map((r) => r.status)).toEqual(['failed']);
    // Page 1 was stored and its cursor says so: the walk is pending at page 2.
    const cursor = await t.db
      .selectFrom('sync_cursors')
      .select('cursor')
      .where('endpoint', '=', 'pulls')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(cursor.cursor!).pending.page).toBe(2);

    const beforeResume = server.requests.length;
    crashAt = Number.POSITIVE_INFINITY;
    const resumed = await runAllSyncs(createSyncTestContext(t.db, server.url, WHOLE_ORG));
    expect(resumed.filter((r) => r.error)).toEqual([]);
    await expectComplete(t, server.repos.values());
    // Each merged PR’s commits were fetched once, but for the chunk (10 PRs) in flight at the crash.
    const commitFetches = server.requests.filter(
      (r) => /\/pulls\/\d+\/commits$/.test(r.path) && r.status === 200,
    );
    expect(commitFetches.length).toBeLessThanOrEqual(mergedCount + 10);
    // The resumed run did not start over: it fetched fewer than a full sync would.
    expect(server.requests.length - beforeResume).toBeLessThan(1 + fullSync);
  });
});
