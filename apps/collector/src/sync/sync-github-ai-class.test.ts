import { upsertPullRequests } from '@stride/db';
import { transformPullRequest } from '@stride/ingest';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, type FakePayload, startFakeGitHubServer } from '@stride/testkit/fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncTestContext, RECORDED_GITHUB_CONFIG } from '../testing/sync-test-context.ts';
import { runAllSyncs } from './run-all-syncs.ts';

const ANTS = 'panjf2000/ants';

/**
 * The recorded ants repository, with three merged PRs rewritten the way AI tools leave them: a
 * Claude Code commit, a PR opened by the Copilot coding agent, and a GitHub revert-button PR.
 */
describe('GitHub sync: AI classification from the commits already fetched', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  let claudePr: number;
  let agentPr: number;
  let revertPr: number;
  let revertedPr: number;
  let requestsPerMergedPr: number;
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer();
    const data = server.repos.get(ANTS)!;
    const merged = data.pulls.filter(
      (p) => p.merged_at && (data.pullCommits[String(p.number)] ?? []).length > 0,
    );
    [claudePr, agentPr, revertPr, revertedPr] = merged.slice(0, 4).map((p) => p.number as number) as [
      number,
      number,
      number,
      number,
    ];
    const commits = data.pullCommits[String(claudePr)]!;
    const last = commits[commits.length - 1]!;
    commits[commits.length - 1] = {
      ...last,
      commit: {
        ...(last.commit as FakePayload),
        message:
          'Reduce lock contention in the pool\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>',
      },
    };
    const pull = (n: number) => data.pulls.find((p) => p.number === n)!;
    Object.assign(pull(agentPr), { user: { login: 'Copilot', id: 198982749, type: 'Bot' } });
    Object.assign(pull(revertPr), { body: `Reverts ${ANTS}#${revertedPr}` });
    await runAllSyncs(createSyncTestContext(t.db, server.url));
    const commitRequests = server.requests.filter((r) => /\/pulls\/\d+\/commits$/.test(r.path));
    requestsPerMergedPr = commitRequests.length / data.pulls.filter((p) => p.merged_at).length;
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  const rowOf = (n: number) =>
    t.db.selectFrom('pull_requests').selectAll().where('number', '=', n).executeTakeFirstOrThrow();

  it('stores assisted with the Claude Code trailer and footer as evidence', async () => {
    const row = await rowOf(claudePr);
    expect(row.ai_class).toBe('assisted');
    expect(row.ai_evidence).toEqual([
      expect.objectContaining({
        rule: 'co-author',
        tool: 'Claude Code',
        detail: 'Co-Authored-By: Claude <noreply@anthropic.com>',
      }),
      expect.objectContaining({ rule: 'footer', tool: 'Claude Code' }),
    ]);
  });

  it('stores agent for the PR the Copilot account opened', async () => {
    expect((await rowOf(agentPr)).ai_class).toBe('agent');
  });

  it('stores what a revert-button PR reverts', async () => {
    expect((await rowOf(revertPr)).revert_refs).toEqual([`#${revertedPr}`]);
  });

  it('classifies every other merged PR as none, and leaves open PRs and PRs without commits unknown, with one commits request per PR', async () => {
    const rows = await t.db.selectFrom('pull_requests').select(['number', 'state', 'ai_class']).execute();
    const data = server.repos.get(ANTS)!;
    for (const row of rows) {
      if (row.number === claudePr || row.number === agentPr) continue;
      const hasCommits = (data.pullCommits[String(row.number)] ?? []).length > 0;
      expect([row.number, row.ai_class]).toEqual([
        row.number,
        row.state === 'merged' && hasCommits ? 'none' : null,
      ]);
    }
    expect(requestsPerMergedPr).toBe(1);
  });

  it('a later webhook delivery of the PR alone (no commits) keeps the stored class and evidence', async () => {
    const before = await rowOf(claudePr);
    const payload = {
      ...server.repos.get(ANTS)!.pulls.find((p) => p.number === claudePr)!,
      updated_at: '2030-01-01T00:00:00Z',
    };
    const row = transformPullRequest(payload, { repositoryId: before.repository_id });
    expect(row.ai_class).toBeNull();
    await upsertPullRequests(t.db, [row]);
    const after = await rowOf(claudePr);
    expect([after.ai_class, after.ai_evidence]).toEqual([before.ai_class, before.ai_evidence]);
    expect(after.source_updated_at.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('classifies PRs stored before classification existed from their raw payloads, without a request', async () => {
    const before = await t.db
      .selectFrom('pull_requests')
      .select(['id', 'ai_class', 'ai_evidence', 'revert_refs'])
      .orderBy('id')
      .execute();
    // As an upgraded database holds them: merged PRs without class, evidence or revert refs.
    await t.db
      .updateTable('pull_requests')
      .set({ ai_class: null, ai_evidence: '[]', revert_refs: [] })
      .execute();
    const requests = server.requests.length;
    await runAllSyncs(createSyncTestContext(t.db, server.url));
    const commitRequests = server.requests
      .slice(requests)
      .filter((r) => /\/pulls\/\d+\/commits$/.test(r.path));
    expect(commitRequests).toEqual([]);
    const after = await t.db
      .selectFrom('pull_requests')
      .select(['id', 'ai_class', 'ai_evidence', 'revert_refs'])
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
  });
});

describe('GitHub sync through GraphQL (`github.history: graphql`): re-classification from the stored answers', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  const config = { ...RECORDED_GITHUB_CONFIG, history: 'graphql' };
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer();
    const data = server.repos.get(ANTS)!;
    const merged = data.pulls.filter(
      (p) => p.merged_at && (data.pullCommits[String(p.number)] ?? []).length > 0,
    );
    // a Claude Code commit, a Copilot coding agent PR and a revert: every class and revert refs
    const commits = data.pullCommits[String(merged[0]!.number)]!;
    const last = commits[commits.length - 1]!;
    commits[commits.length - 1] = {
      ...last,
      commit: {
        ...(last.commit as FakePayload),
        message: 'Pool tweak\n\nCo-Authored-By: Claude <noreply@anthropic.com>',
      },
    };
    Object.assign(merged[1]!, { user: { login: 'Copilot', id: 198982749, type: 'Bot' } });
    Object.assign(merged[2]!, { body: `Reverts ${ANTS}#${merged[3]!.number}` });
    await runAllSyncs(createSyncTestContext(t.db, server.url, config));
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('classifies PRs stored without a class from their pull_request_graphql payloads, without a request', async () => {
    const raw = await t.db
      .selectFrom('raw_payloads')
      .select((e) => e.fn.countAll<string>().as('n'))
      .where('kind', '=', 'pull_request')
      .executeTakeFirstOrThrow();
    expect(Number(raw.n)).toBe(0); // collected through GraphQL only
    const classes = async () =>
      t.db
        .selectFrom('pull_requests')
        .select(['id', 'ai_class', 'ai_evidence', 'revert_refs'])
        .orderBy('id')
        .execute();
    const before = await classes();
    expect(new Set(before.map((r) => r.ai_class))).toEqual(new Set(['agent', 'assisted', 'none', null]));
    expect(before.some((r) => r.revert_refs.length > 0)).toBe(true);
    await t.db
      .updateTable('pull_requests')
      .set({ ai_class: null, ai_evidence: '[]', revert_refs: [] })
      .execute();
    const requests = server.requests.length;
    await runAllSyncs(createSyncTestContext(t.db, server.url, config));
    expect(server.requests.slice(requests).filter((r) => r.path.endsWith('/graphql'))).toEqual([]);
    expect(await classes()).toEqual(before);
  });
});
