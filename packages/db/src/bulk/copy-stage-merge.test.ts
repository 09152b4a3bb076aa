import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPullRequests } from '../queries/upsert-pull-requests.ts';
import { upsertRawPayloads } from '../queries/upsert-raw-payloads.ts';
import { upsertRepositories } from '../queries/upsert-repositories.ts';
import type { BulkPullRequest, BulkPullRequestCommit, BulkPullRequestReview } from './bulk-tables.ts';
import { bulkWrite, openBulkLoad } from './copy-stage-merge.ts';
import { encodeCopyValue } from './copy-text.ts';

// The generic COPY-stage-and-merge on its own rows; the organisation-sized comparison with the
// per-row upserts is packages/testkit/src/rows/bulk-load-org-model.test.ts.

const at = (day: number, hour = 12) => new Date(Date.UTC(2025, 0, day, hour));

describe('bulk COPY stage and merge', () => {
  let t: TestDatabase;
  let repoId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    const repos = await upsertRepositories(t.db, [
      { external_id: 'r1', full_name: 'acme/api', default_branch: 'main' },
    ]);
    repoId = repos.get('acme/api')!;
  });
  afterAll(() => t.destroy());

  const pr = (n: number, extra: Partial<BulkPullRequest> = {}): BulkPullRequest => ({
    repository_id: repoId,
    external_id: `bulk-pr-${n}`,
    number: n,
    // Tabs, newlines, backslashes and quotes must survive COPY's text format.
    title: `Fix\t"quoted" \\path\nline ${n}`,
    author_login: 'ada',
    state: 'merged',
    base_branch: 'main',
    created_at: at(1),
    merged_at: at(3),
    source_updated_at: at(3),
    labels: ['bug', 'has "quote"', 'back\\slash', '{brace}'],
    ...extra,
  });
  const commit = (n: number, sha: string, day: number): BulkPullRequestCommit => ({
    pull_request_external_id: `bulk-pr-${n}`,
    sha,
    author_login: 'ada',
    author_email: null,
    authored_at: at(day),
    committed_at: null,
  });
  const review = (n: number, id: string, reviewer: string, day: number): BulkPullRequestReview => ({
    pull_request_external_id: `bulk-pr-${n}`,
    external_id: id,
    reviewer_login: reviewer,
    reviewer_is_bot: reviewer.endsWith('[bot]'),
    state: 'APPROVED',
    submitted_at: at(day),
  });

  async function snapshot() {
    const prs = await t.db.selectFrom('pull_requests').selectAll().orderBy('external_id').execute();
    const commits = await t.db
      .selectFrom('pull_request_commits')
      .selectAll()
      .orderBy(['pull_request_id', 'sha'])
      .execute();
    const reviews = await t.db
      .selectFrom('pull_request_reviews')
      .selectAll()
      .orderBy('external_id')
      .execute();
    return { prs, commits, reviews };
  }

  it('writes PRs with their commits and reviews, deriving first commit and first review like the upserts', async () => {
    const result = await bulkWrite(t.db, {
      pull_requests: [pr(1), pr(2, { labels: [] })],
      pull_request_commits: [commit(1, 'b', 2), commit(1, 'a', 1)],
      pull_request_reviews: [
        review(1, 'rv-1', 'dependabot[bot]', 1),
        review(1, 'rv-2', 'ADA', 1), // the author (case-insensitive): not a review
        review(1, 'rv-3', 'grace', 2),
      ],
    });
    expect(result.rejectedCount).toBe(0);
    expect(result.staged).toEqual({ pull_requests: 2, pull_request_commits: 2, pull_request_reviews: 3 });
    expect(result.merged).toEqual({ pull_requests: 2, pull_request_commits: 2, pull_request_reviews: 3 });
    const { prs } = await snapshot();
    expect(prs[0]!.title).toBe('Fix\t"quoted" \\path\nline 1');
    expect(prs[0]!.labels).toEqual(['bug', 'has "quote"', 'back\\slash', '{brace}']);
    expect(prs[0]!.first_commit_at).toEqual(at(1));
    expect(prs[0]!.first_review_at).toEqual(at(2));
    expect(prs[1]!.labels).toEqual([]);
    expect(prs[1]!.draft).toBe(false);
  });

  it('is idempotent: the same batch again changes no row', async () => {
    const before = await snapshot();
    const batch = () => ({
      pull_requests: [pr(1), pr(2, { labels: [] })],
      pull_request_commits: [commit(1, 'b', 2), commit(1, 'a', 1)],
      pull_request_reviews: [
        review(1, 'rv-1', 'dependabot[bot]', 1),
        review(1, 'rv-2', 'ADA', 1),
        review(1, 'rv-3', 'grace', 2),
      ],
    });
    await bulkWrite(t.db, batch());
    await bulkWrite(t.db, batch());
    expect(await snapshot()).toEqual(before);
  });

  it('gives the rows of the per-row upsert, newer state winning and a merged PR staying merged', async () => {
    // Upsert path on one PR, bulk path on another, with the same sequence of states.
    const states = (n: number): BulkPullRequest[] => [
      pr(n, { state: 'merged', merged_at: at(3), source_updated_at: at(3) }),
      pr(n, { state: 'closed', merged_at: null, title: 'stale', source_updated_at: at(2) }),
      pr(n, { state: 'open', merged_at: null, title: 'renamed', source_updated_at: at(4), additions: null }),
    ];
    for (const row of states(10)) await upsertPullRequests(t.db, [row]);
    const result = await bulkWrite(t.db, { pull_requests: states(11) });
    // Three rows of one key in one stage: applied in order, as three upserts would be (the second is older: kept out).
    expect(result.merged.pull_requests).toBe(2);
    const rows = await t.db
      .selectFrom('pull_requests')
      .selectAll()
      .where('external_id', 'in', ['bulk-pr-10', 'bulk-pr-11'])
      .orderBy('external_id')
      .execute();
    const strip = ({ id: _id, external_id: _e, number: _n, ...rest }: (typeof rows)[number]) => rest;
    expect(strip(rows[1]!)).toEqual(strip(rows[0]!));
    expect(rows[1]).toMatchObject({ state: 'merged', title: 'renamed', merged_at: at(3) });
  });

  it('reports a malformed row and writes the others; a server error writes nothing', async () => {
    const rejected: string[] = [];
    const result = await bulkWrite(
      t.db,
      {
        pull_requests: [
          pr(20),
          pr(21, { title: 'nul \u0000 byte' }),
          pr(22, { created_at: new Date(Number.NaN) }),
          pr(23, { state: 'weird' as 'open' }),
          pr(24),
        ],
        pull_request_commits: [commit(20, 'c', 1), commit(999, 'orphan', 1)],
      },
      { onReject: (r) => rejected.push(r.reason) },
    );
    expect(result.rejectedCount).toBe(4);
    expect(result.rejected.map((r) => [r.table, r.row, r.column])).toEqual([
      ['pull_requests', 1, 'title'],
      ['pull_requests', 2, 'created_at'],
      ['pull_requests', 3, 'state'],
      ['pull_request_commits', 1, 'pull_request_external_id'],
    ]);
    expect(rejected[3]).toContain("unknown pull_requests row 'bulk-pr-999'");
    const written = await t.db
      .selectFrom('pull_requests')
      .select('external_id')
      .where('external_id', 'in', ['bulk-pr-20', 'bulk-pr-21', 'bulk-pr-22', 'bulk-pr-23', 'bulk-pr-24'])
      .orderBy('external_id')
      .execute();
    expect(written.map((r) => r.external_id)).toEqual(['bulk-pr-20', 'bulk-pr-24']);

    // A repository that does not exist fails the foreign key at merge: nothing of the batch lands.
    await expect(
      bulkWrite(t.db, { pull_requests: [pr(30), pr(31, { repository_id: '987654' })] }),
    ).rejects.toThrow(/foreign key/);
    const none = await t.db
      .selectFrom('pull_requests')
      .select('id')
      .where('external_id', 'in', ['bulk-pr-30', 'bulk-pr-31'])
      .execute();
    expect(none).toEqual([]);
  });

  it("keeps a batch writer's temporary stages per session, empty after each commit or rollback", async () => {
    await bulkWrite(t.db, { pull_requests: [pr(40)] });
    await expect(
      bulkWrite(t.db, { pull_requests: [pr(41), pr(42, { repository_id: '987654' })] }),
    ).rejects.toThrow(/foreign key/);
    await bulkWrite(t.db, { pull_requests: [pr(43)] });
    // Rows staged by an earlier batch (committed or rolled back) are never merged again.
    const written = await t.db
      .selectFrom('pull_requests')
      .select('external_id')
      .where('external_id', 'in', ['bulk-pr-40', 'bulk-pr-41', 'bulk-pr-42', 'bulk-pr-43'])
      .orderBy('external_id')
      .execute();
    expect(written.map((r) => r.external_id)).toEqual(['bulk-pr-40', 'bulk-pr-43']);
    // A committed batch's rows are not merged again by later batches of any session (a stale
    // stage would bring bulk-pr-40's title back over this change).
    await t.db
      .updateTable('pull_requests')
      .set({ title: 'changed' })
      .where('external_id', '=', 'bulk-pr-40')
      .execute();
    for (let i = 0; i < 6; i++)
      await bulkWrite(t.db, { pull_requests: [pr(43)] }, { asyncCommit: i % 2 === 0 });
    const kept = await t.db
      .selectFrom('pull_requests')
      .select('title')
      .where('external_id', '=', 'bulk-pr-40')
      .executeTakeFirstOrThrow();
    expect(kept.title).toBe('changed');
  });

  it('streams a load through unlogged staging tables, merges once and drops them', async () => {
    const load = await openBulkLoad(t.db);
    for (let n = 100; n < 3100; n++) {
      const wait = load.write('pull_requests', pr(n));
      if (wait) await wait;
      const c = load.write('pull_request_commits', commit(n, `s${n}`, 2));
      if (c) await c;
    }
    // Nothing is visible before finish(): the rows are only staged.
    const before = await t.db
      .selectFrom('pull_requests')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('number', '>=', 100)
      .executeTakeFirstOrThrow();
    expect(Number(before.n)).toBe(0);
    const result = await load.finish();
    expect(result.merged).toEqual({ pull_requests: 3000, pull_request_commits: 3000 });
    const stages = await sql<{ tablename: string }>`
      select tablename from pg_tables
      where tablename like 'bulk_stage_%' and schemaname not like 'pg_temp%'`.execute(t.db);
    expect(stages.rows).toEqual([]);
  });

  it('abort() merges nothing and drops the staging tables', async () => {
    const load = await openBulkLoad(t.db);
    await load.write('pull_requests', pr(5000));
    await load.abort();
    const rows = await t.db
      .selectFrom('pull_requests')
      .select('id')
      .where('external_id', '=', 'bulk-pr-5000')
      .execute();
    expect(rows).toEqual([]);
  });

  it('stores raw payloads as upsertRawPayloads does: a later copy replaces, U+0000 dropped from jsonb strings', async () => {
    // A NUL escaped in JSON (`\u0000`) makes jsonb refuse the whole COPY: it is dropped, not the row.
    const payload = { title: 'nul \u0000 end', nested: [{ body: 'a\tb\\c' }] };
    await upsertRawPayloads(t.db, [
      { source: 'github', kind: 'bulk_test', externalId: 'per-row', scope: 'acme/api', url: 'u0', payload },
    ]);
    const first = await bulkWrite(t.db, {
      raw_payloads: [
        { source: 'github', kind: 'bulk_test', external_id: 'bulk', scope: 'acme/api', url: 'u0', payload },
        { source: 'github', kind: 'bulk_test', external_id: 'text', url: null, payload: '{"a":"x\\u0000y"}' },
      ],
    });
    expect(first.rejectedCount).toBe(0);
    await bulkWrite(t.db, {
      raw_payloads: [
        { source: 'github', kind: 'bulk_test', external_id: 'bulk', scope: 'acme/api', url: 'u1', payload },
      ],
    });
    // A copy without `updated_at` is replaced by a later one on both paths.
    await upsertRawPayloads(t.db, [
      { source: 'github', kind: 'bulk_test', externalId: 'per-row', scope: 'acme/api', url: 'u1', payload },
    ]);
    const rows = await t.db
      .selectFrom('raw_payloads')
      .select(['external_id', 'scope', 'url', 'payload'])
      .where('kind', '=', 'bulk_test')
      .orderBy('external_id')
      .execute();
    expect(rows).toEqual([
      { external_id: 'bulk', scope: 'acme/api', url: 'u1', payload: rows[1]!.payload },
      {
        external_id: 'per-row',
        scope: 'acme/api',
        url: 'u1',
        payload: { title: 'nul  end', nested: [{ body: 'a\tb\\c' }] },
      },
      { external_id: 'text', scope: null, url: null, payload: { a: 'xy' } },
    ]);
  });

  it('keeps the newer stored copy of an object with `updated_at`, as upsertRawPayloads does', async () => {
    const copy = (id: string, updated: string) => ({
      source: 'github',
      kind: 'bulk_order',
      external_id: id,
      payload: { id, updated_at: updated, title: updated },
    });
    // Per-row path and bulk path, each given the newer copy first, then a delayed older one.
    for (const updated of ['2026-03-02T10:00:00Z', '2026-03-01T10:00:00Z']) {
      const row = copy('per-row', updated);
      await upsertRawPayloads(t.db, [{ ...row, externalId: row.external_id }]);
      await bulkWrite(t.db, { raw_payloads: [copy('bulk', updated)] });
    }
    // A later state still replaces the stored one.
    await bulkWrite(t.db, { raw_payloads: [copy('bulk-later', '2026-03-01T10:00:00Z')] });
    await bulkWrite(t.db, { raw_payloads: [copy('bulk-later', '2026-03-03T10:00:00.5Z')] });
    const rows = await t.db
      .selectFrom('raw_payloads')
      .select(['external_id', sql<string>`payload->>'title'`.as('title')])
      .where('kind', '=', 'bulk_order')
      .orderBy('external_id')
      .execute();
    expect(rows).toEqual([
      { external_id: 'bulk', title: '2026-03-02T10:00:00Z' },
      { external_id: 'bulk-later', title: '2026-03-03T10:00:00.5Z' },
      { external_id: 'per-row', title: '2026-03-02T10:00:00Z' },
    ]);
  });

  it('copies a batch of new keys straight into the tables, with the rows and refusals the merge gives', async () => {
    // Numbers base + 0..2 (unique within the repository), the same rows otherwise.
    const batch = (prefix: string, base: number) => {
      const p = (n: number, extra: Partial<BulkPullRequest> = {}) =>
        pr(base + n, {
          external_id: `${prefix}-${n}`,
          title: 'Fix\t"quoted" \\path\nline',
          labels: undefined,
          draft: undefined,
          ...extra,
        });
      const child = <T extends { pull_request_external_id: string }>(row: T, n: number): T => ({
        ...row,
        pull_request_external_id: `${prefix}-${n}`,
      });
      return {
        raw_payloads: [
          {
            source: 'github',
            kind: 'bulk_fresh',
            external_id: `${prefix}-raw`,
            payload: { a: 'tab\tnul\u0000' },
          },
        ],
        pull_requests: [p(0), p(1, { title: 'nul \u0000 byte' }), p(2, { state: 'open', merged_at: null })],
        pull_request_commits: [
          child(commit(0, 'b', 2), 0),
          child(commit(0, 'a', 1), 0),
          child(commit(0, 'c', 1), 1), // its PR is refused: an orphan
        ],
        pull_request_reviews: [
          child(review(0, `${prefix}-rv-1`, 'ADA', 1), 0),
          child(review(0, `${prefix}-rv-2`, 'grace', 2), 0),
          { ...child(review(0, `${prefix}-rv-3`, 'grace', 2), 2), kind: undefined },
        ],
      };
    };
    const fresh = await bulkWrite(t.db, batch('fresh', 60));
    // The same batch under other keys, one of them stored already: merged.
    await upsertRawPayloads(t.db, [
      { source: 'github', kind: 'bulk_fresh', externalId: 'merged-raw', payload: { stale: true } },
    ]);
    const merged = await bulkWrite(t.db, batch('merged', 80));
    expect(fresh.fresh).toBe(true);
    expect(merged.fresh).toBeUndefined();
    for (const key of ['staged', 'merged', 'rejectedCount'] as const) expect(fresh[key]).toEqual(merged[key]);
    expect(fresh.rejected).toEqual(
      merged.rejected.map((r) => ({ ...r, reason: r.reason.replace('merged-', 'fresh-') })),
    );
    expect(fresh.rejected.map((r) => [r.table, r.row, r.column])).toEqual([
      ['pull_requests', 1, 'title'],
      ['pull_request_commits', 2, 'pull_request_external_id'],
    ]);
    const rowsOf = async (prefix: string, base: number) => {
      const prs = await t.db
        .selectFrom('pull_requests')
        .selectAll()
        .where('external_id', 'like', `${prefix}-%`)
        .orderBy('number')
        .execute();
      const ids = prs.map((x) => x.id);
      const commits = await t.db
        .selectFrom('pull_request_commits')
        .selectAll()
        .where('pull_request_id', 'in', ids)
        .orderBy('sha')
        .execute();
      const reviews = await t.db
        .selectFrom('pull_request_reviews')
        .selectAll()
        .where('pull_request_id', 'in', ids)
        .orderBy('external_id')
        .execute();
      const raw = await t.db
        .selectFrom('raw_payloads')
        .select(['source', 'kind', 'scope', 'url', 'payload'])
        .where('external_id', '=', `${prefix}-raw`)
        .execute();
      const number = new Map(prs.map((x) => [x.id, x.number - base]));
      return {
        prs: prs.map(({ id: _i, external_id: _e, number: n, ...rest }) => ({ n: n - base, ...rest })),
        commits: commits.map(({ pull_request_id: p, ...rest }) => ({ pr: number.get(p), ...rest })),
        reviews: reviews.map(({ id: _i, pull_request_id: p, external_id: e, ...rest }) => ({
          pr: number.get(p),
          external_id: e.replace(prefix, ''),
          ...rest,
        })),
        raw,
      };
    };
    const [a, b] = [await rowsOf('fresh', 60), await rowsOf('merged', 80)];
    expect(a.prs).toHaveLength(2);
    expect(a).toEqual(b);
    expect(a.prs[0]).toMatchObject({
      labels: [],
      draft: false,
      first_commit_at: at(1),
      first_review_at: at(2),
    });
    expect(a.reviews[2]).toMatchObject({ kind: 'review' });
    // Again: nothing is new, so the batch is merged, and changes nothing.
    const again = await bulkWrite(t.db, batch('fresh', 60));
    expect(again.fresh).toBeUndefined();
    expect(await rowsOf('fresh', 60)).toEqual(a);
  });

  it('merges a batch instead when another writer stores one of its keys after the check', async () => {
    const other = await t.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      // Stored by another writer, not yet committed: the batch's check does not see it.
      await upsertPullRequests(conn, [pr(71, { title: 'other writer', source_updated_at: at(2) })]);
      const write = bulkWrite(t.db, {
        pull_requests: [pr(70), pr(71)],
        pull_request_commits: [commit(71, 'x', 1)],
      });
      // Once the batch's COPY waits on the other writer's key, that writer commits.
      for (;;) {
        const waiting = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and query like 'copy pull_requests%'`.execute(t.db);
        if (waiting.rows[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await sql`commit`.execute(conn);
      return write;
    });
    expect(other.fresh).toBeUndefined();
    const rows = await t.db
      .selectFrom('pull_requests')
      .select(['external_id', 'title', 'first_commit_at'])
      .where('external_id', 'in', ['bulk-pr-70', 'bulk-pr-71'])
      .orderBy('external_id')
      .execute();
    expect(rows).toEqual([
      { external_id: 'bulk-pr-70', title: expect.stringContaining('line 70'), first_commit_at: null },
      { external_id: 'bulk-pr-71', title: expect.stringContaining('line 71'), first_commit_at: at(1) },
    ]);
  });

  it('encodes values in COPY text form and refuses what a column cannot hold', () => {
    expect(encodeCopyValue({ name: 'a', type: 'text' }, 'a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(encodeCopyValue({ name: 'a', type: 'text[]' }, ['x"y', 'z\\'])).toBe('{"x\\\\"y","z\\\\\\\\"}');
    expect(encodeCopyValue({ name: 'a', type: 'text' }, null)).toBe('\\N');
    expect(() => encodeCopyValue({ name: 'a', type: 'integer' }, 2 ** 31)).toThrow(/32-bit/);
    expect(() => encodeCopyValue({ name: 'a', type: 'bigint' }, '12a')).toThrow(/integer id/);
    expect(() => encodeCopyValue({ name: 'a', type: 'text', required: true }, undefined)).toThrow(/required/);
  });
});
