import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, type FakePayload, startFakeGitHubServer } from '@stride/testkit/fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { runAllSyncs } from './run-all-syncs.ts';

// A library released from tags, with a release branch: v1.0.1 is a bugfix cut from release/1.0
// after main had moved on. Every tag has a SHA and every compare is answered, so the commits each
// release shipped are known (docs/metrics.md, Change): the time fallback must not apply.
const REPO = 'acme/lib';
const GITHUB = { repositories: [REPO], repositoryRules: { [REPO]: { source: 'tags' } } };
const sha = (name: string) => createHash('sha1').update(name).digest('hex');
const at = (day: number, hour = 12) => new Date(Date.UTC(2025, 2, day, hour)).toISOString();

type Json = FakePayload;
const commit = (name: string, day: number, parents: string[]): Json => ({
  sha: sha(name),
  commit: {
    author: { name: 'ada', email: 'ada@example.com', date: at(day) },
    committer: { name: 'ada', email: 'ada@example.com', date: at(day) },
    message: name,
  },
  author: { login: 'ada', id: 7, type: 'User' },
  parents: parents.map((p) => ({ sha: sha(p), url: '' })),
  html_url: `https://github.com/${REPO}/commit/${sha(name)}`,
});
const pull = (number: number, base: string, mergedDay: number): Json => ({
  id: 5000 + number,
  number,
  title: `PR ${number}`,
  user: { login: 'ada', id: 7, type: 'User' },
  state: 'closed',
  draft: false,
  created_at: at(mergedDay - 1),
  updated_at: at(mergedDay),
  closed_at: at(mergedDay),
  merged_at: at(mergedDay),
  merge_commit_sha: sha(`merge-${number}`),
  base: { ref: base },
  head: { ref: `feature/${number}` },
  labels: [],
  html_url: `https://github.com/${REPO}/pull/${number}`,
  body: null,
});
const tag = (name: string, target: string): Json => ({
  name,
  commit: { sha: sha(target), url: '' },
  node_id: `T_${name}`,
});

describe('a release branch: changes are linked by time only where the deployed commits are unknown', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  let ctx: ReturnType<typeof createSyncTestContext>;
  const data = () => server.repos.get(REPO)!;
  const linkOf = async (number: number) =>
    t.db
      .selectFrom('deployment_changes as dc')
      .innerJoin('pull_requests as pr', 'pr.id', 'dc.pull_request_id')
      .innerJoin('deployments as d', 'd.id', 'dc.deployment_id')
      .select(['d.ref', 'dc.attribution'])
      .where('pr.number', '=', number)
      .executeTakeFirst();

  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({ fixturesDir: null });
    // main:        c0 ── merge-1 ── merge-2 ─────────── (merge-4, later)
    //                        └── release/1.0: merge-3 (bugfix)
    // tags:        v0.9.0 = c0 (3 Mar), v1.0.0 = merge-1 (5 Mar), v1.0.1 = merge-3 (8 Mar)
    const commits = [
      commit('c0', 3, []),
      commit('merge-9', 2, []),
      commit('merge-1', 5, ['c0']),
      commit('merge-2', 6, ['merge-1']),
      commit('merge-3', 8, ['merge-1']),
    ];
    server.repos.set(REPO, {
      repo: {
        id: 777,
        name: 'lib',
        full_name: REPO,
        owner: { login: 'acme', id: 1, type: 'Organization' },
        default_branch: 'main',
        archived: false,
        html_url: `https://github.com/${REPO}`,
        created_at: at(1),
        updated_at: at(8),
      },
      pulls: [pull(9, 'main', 2), pull(1, 'main', 5), pull(2, 'main', 6), pull(3, 'release/1.0', 8)],
      pullCommits: {},
      pullReviews: {},
      runs: [],
      issues: [],
      deployments: [],
      deploymentStatuses: {},
      tags: [tag('v1.0.1', 'merge-3'), tag('v1.0.0', 'merge-1'), tag('v0.9.0', 'c0')],
      commits: Object.fromEntries(commits.map((c) => [c.sha, c])),
    });
    ctx = createSyncTestContext(t.db, server.url, GITHUB);
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('a PR merged on main after the release branch was cut is not shipped by the bugfix release', async () => {
    const reports = await runAllSyncs(ctx);
    expect(reports.filter((r) => r.error)).toEqual([]);
    // v1.0.0's commits are known (compare v0.9.0...v1.0.0): PR 1 exactly.
    expect(await linkOf(1)).toEqual({ ref: 'v1.0.0', attribution: 'commit' });
    // v1.0.1 (8 Mar) is the first release after PR 2's merge (6 Mar), but its commits are known
    // (compare v1.0.0...v1.0.1 = the bugfix only): PR 2 is not yet deployed.
    expect(await linkOf(2)).toBeUndefined();
    // The first release has no previous SHA to compare with: what it shipped is unknown, so the
    // PR merged before it is linked by time (the fallback where the commits cannot be known).
    expect(await linkOf(9)).toEqual({ ref: 'v0.9.0', attribution: 'time' });
    // The bugfix itself (merged into the release branch) is what v1.0.1 shipped.
    expect(await linkOf(3)).toEqual({ ref: 'v1.0.1', attribution: 'commit' });
  });

  it('the next release from main ships it, exactly', async () => {
    data().commits![sha('merge-4')] = commit('merge-4', 10, ['merge-2']);
    data().commits![sha('v1.1.0-bump')] = commit('v1.1.0-bump', 11, ['merge-4', 'merge-3']);
    data().pulls.push(pull(4, 'main', 10));
    data().tags!.unshift(tag('v1.1.0', 'v1.1.0-bump'));
    const reports = await runAllSyncs(ctx);
    expect(reports.filter((r) => r.error)).toEqual([]);
    expect(await linkOf(2)).toEqual({ ref: 'v1.1.0', attribution: 'commit' });
    expect(await linkOf(4)).toEqual({ ref: 'v1.1.0', attribution: 'commit' });
  });

  it('a deployment whose compare fails falls back to time', async () => {
    // v1.2.0 points at a commit of an unrelated history: GitHub's compare answers 404 (no common
    // ancestor), so what it shipped is unknown.
    data().pulls.push(pull(5, 'main', 12));
    data().commits![sha('merge-5')] = commit('merge-5', 12, ['v1.1.0-bump']);
    const orphan = commit('orphan', 13, []);
    data().commits![orphan.sha] = orphan;
    data().tags!.unshift(tag('v1.2.0', 'orphan'));
    await runAllSyncs(ctx);
    expect(await linkOf(5)).toEqual({ ref: 'v1.2.0', attribution: 'time' });
  });
});
