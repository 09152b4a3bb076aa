import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, type FakeRepoData, startFakeGitHubServer } from '@stride/testkit/fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { runAllSyncs } from './run-all-syncs.ts';

// Open PRs with their reviews, requested reviewers, draft state and CI, and the moment a draft
// was marked ready for review (issue timeline), served by the fake GitHub in GitHub's REST shapes.
const REPO = 'acme/shop';
const user = (login: string) => ({ login, id: login.length, type: 'User' });
const base = (number: number, extra: Record<string, unknown>) => ({
  id: 9000 + number,
  number,
  title: `PR ${number}`,
  user: user('ada'),
  state: 'open',
  draft: false,
  created_at: '2026-11-02T09:00:00Z',
  updated_at: '2026-11-05T09:00:00Z',
  closed_at: null,
  merged_at: null,
  merge_commit_sha: null,
  base: { ref: 'main', sha: 'b'.repeat(40) },
  head: { ref: `feature-${number}`, sha: `${number}`.padStart(40, 'a') },
  labels: [],
  requested_reviewers: [],
  requested_teams: [],
  html_url: `https://github.com/${REPO}/pull/${number}`,
  ...extra,
});
const review = (id: number, login: string, state: string, at: string) => ({
  id,
  user: user(login),
  state,
  submitted_at: at,
  body: '',
  html_url: `https://github.com/${REPO}/pull/1#pullrequestreview-${id}`,
});
const event = (name: string, at: string) => ({
  id: at.length,
  event: name,
  created_at: at,
  actor: user('ada'),
});

const data: FakeRepoData = {
  repo: {
    id: 77,
    name: 'shop',
    full_name: REPO,
    default_branch: 'main',
    html_url: `https://github.com/${REPO}`,
    owner: user('acme'),
    private: false,
  },
  pulls: [
    // Opened as a draft on the 2nd, marked ready on the 3rd, reviewed on the 4th, merged the 5th.
    base(1, {
      state: 'closed',
      merged_at: '2026-11-05T09:00:00Z',
      closed_at: '2026-11-05T09:00:00Z',
      merge_commit_sha: 'c'.repeat(40),
    }),
    // Open, waiting: two reviewers and a team requested, one review asking for changes, CI running.
    base(2, {
      requested_reviewers: [user('bo'), user('cy')],
      requested_teams: [{ id: 1, slug: 'payments', name: 'Payments' }],
    }),
    // Still a draft.
    base(3, { draft: true }),
    // Opened ready, converted to a draft and back: its opening stays its creation.
    base(4, {}),
  ],
  pullCommits: { 1: [] },
  pullReviews: {
    1: [review(101, 'bo', 'APPROVED', '2026-11-04T09:00:00Z')],
    2: [review(201, 'dee', 'CHANGES_REQUESTED', '2026-11-04T12:00:00Z')],
  },
  issueComments: {},
  issueTimelines: {
    1: [event('ready_for_review', '2026-11-03T09:00:00Z'), event('reviewed', '2026-11-04T09:00:00Z')],
    3: [],
    4: [event('convert_to_draft', '2026-11-02T10:00:00Z'), event('ready_for_review', '2026-11-02T11:00:00Z')],
  },
  checkRuns: {
    ['2'.padStart(40, 'a')]: [
      { id: 1, name: 'build', status: 'completed', conclusion: 'success' },
      { id: 2, name: 'test', status: 'in_progress', conclusion: null },
    ],
    ['4'.padStart(40, 'a')]: [{ id: 3, name: 'build', status: 'completed', conclusion: 'failure' }],
  },
  runs: [],
  issues: [],
  deployments: [],
  deploymentStatuses: {},
};

describe('GitHub sync of open pull requests', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({ fixturesDir: null });
    server.repos.set(REPO, structuredClone(data));
    const reports = await runAllSyncs(
      createSyncTestContext(t.db, server.url, { repositories: [REPO], repositoryRules: {} }),
    );
    expect(reports.filter((r) => r.error)).toEqual([]);
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  const row = (number: number) =>
    t.db.selectFrom('pull_requests').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

  it('dates a draft’s opening at its ready_for_review event, so pickup starts there', async () => {
    const pr = await row(1);
    expect(pr.ready_for_review_at?.toISOString()).toBe('2026-11-03T09:00:00.000Z');
    expect(pr.first_review_at?.toISOString()).toBe('2026-11-04T09:00:00.000Z');
    // A PR converted to a draft after opening ready keeps its creation as its opening.
    expect((await row(4)).ready_for_review_at).toBeNull();
  });

  it('stores open PRs with their reviews, requested reviewers and teams, draft state and CI', async () => {
    const waiting = await row(2);
    expect(waiting).toMatchObject({
      state: 'open',
      draft: false,
      requested_reviewers: ['bo', 'cy'],
      requested_teams: ['payments'],
      head_sha: '2'.padStart(40, 'a'),
      ci_state: 'pending',
    });
    expect(waiting.first_review_at?.toISOString()).toBe('2026-11-04T12:00:00.000Z');
    const reviews = await t.db
      .selectFrom('pull_request_reviews')
      .select(['reviewer_login', 'state'])
      .where('pull_request_id', '=', waiting.id)
      .execute();
    expect(reviews).toEqual([{ reviewer_login: 'dee', state: 'CHANGES_REQUESTED' }]);
    expect((await row(3)).draft).toBe(true);
    expect((await row(3)).ci_state).toBeNull();
    expect((await row(4)).ci_state).toBe('failure');
  });

  it('asks for the timeline of each PR and the check runs of open PRs only', async () => {
    const paths = server.requests.map((r) => r.path);
    for (const n of [1, 2, 3, 4]) expect(paths).toContain(`/repos/${REPO}/issues/${n}/timeline`);
    expect(paths.filter((p) => p.includes('/check-runs'))).toHaveLength(3);
    expect(paths.some((p) => p.includes('c'.repeat(40)))).toBe(false);
  });

  it('asks again for the checks of a PR whose checks were running, though the PR itself did not change', async () => {
    const head = '2'.padStart(40, 'a');
    server.repos.get(REPO)!.checkRuns![head] = [
      { id: 1, name: 'build', status: 'completed', conclusion: 'success' },
      { id: 2, name: 'test', status: 'completed', conclusion: 'success' },
    ];
    const before = server.requests.length;
    await runAllSyncs(createSyncTestContext(t.db, server.url, { repositories: [REPO], repositoryRules: {} }));
    expect((await row(2)).ci_state).toBe('success');
    const paths = server.requests.slice(before).map((r) => r.path);
    // Only the PR whose checks were pending is asked again; the unchanged PRs are not walked.
    expect(paths.filter((p) => p.includes('/check-runs'))).toEqual([
      `/repos/${REPO}/commits/${head}/check-runs`,
    ]);
    expect(paths.some((p) => /\/pulls\/\d+|\/timeline/.test(p))).toBe(false);
    // Settled: the next sync does not ask again.
    const settled = server.requests.length;
    await runAllSyncs(createSyncTestContext(t.db, server.url, { repositories: [REPO], repositoryRules: {} }));
    expect(server.requests.slice(settled).some((r) => r.path.includes('/check-runs'))).toBe(false);
  });
});
