import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshRollups } from './refresh-rollups.ts';

// The statement triggers queue the (UTC day, repository) pairs an UPDATE can change: both the old
// and the new version of a row whose watched columns changed, nothing for rows left as they were
// (found by grouping both transition tables, linear in the rows updated).
describe('rollup marks of UPDATE statements', () => {
  let t: TestDatabase;
  let repo: string;
  const marks = async () =>
    (
      await sql<{ day: string; repository_id: string }>`
        select distinct day::text, repository_id::text from rollup_dirty where kind = 'day' order by 1, 2`.execute(
        t.db,
      )
    ).rows.map((r) => `${r.day}/${r.repository_id === repo ? 'r' : r.repository_id}`);
  beforeAll(async () => {
    t = await createTestDatabase();
    const r = await sql<{ id: string }>`
      insert into repositories (provider, external_id, full_name) values ('github', 'marks-1', 'acme/marks')
      returning id::text`.execute(t.db);
    repo = r.rows[0]!.id;
    await sql`
      insert into deployments (repository_id, source, external_id, environment, is_production, status, created_at, deployed_at)
      select ${repo}::bigint, 'webhook', 'd' || g, 'production', true, 'pending',
        timestamptz '2025-01-01T12:00:00Z' + g * interval '1 day', timestamptz '2025-01-01T12:00:00Z' + g * interval '1 day'
      from generate_series(0, 999) g`.execute(t.db);
  });
  afterAll(async () => t?.destroy());
  beforeEach(async () => {
    await sql`delete from rollup_dirty`.execute(t.db);
  });

  it('marks nothing when no watched column changes', async () => {
    await sql`update deployments set status = 'success'`.execute(t.db);
    expect(await marks()).toEqual([]);
  });

  it('marks the old and the new day of each changed row, and only those', async () => {
    await sql`update deployments set deployed_at = deployed_at + interval '1 day'
      where external_id in ('d0', 'd10')`.execute(t.db);
    expect(await marks()).toEqual(['2025-01-01/r', '2025-01-02/r', '2025-01-11/r', '2025-01-12/r']);
  });

  it("marks a flag change on the row's day, over a thousand rows at once", async () => {
    await sql`update deployments set is_unplanned = true where external_id <> 'd5'`.execute(t.db);
    const expected = await sql<{ day: string }>`
      select distinct (deployed_at at time zone 'UTC')::date::text as day from deployments
      where external_id <> 'd5' order by 1`.execute(t.db);
    expect(expected.rows.length).toBeGreaterThan(990);
    expect(await marks()).toEqual(expected.rows.map((r) => `${r.day}/r`));
  });

  it('leaves no dead marks behind once a refresh consumed them (every DORA read scans the queue)', async () => {
    // 50,000 marks, as a bulk load queues: consumed by the refresh, they must not stay as dead
    // rows the reads scan (autovacuum may be off).
    await sql`insert into rollup_dirty (kind, day, repository_id)
      select 'day', date '2025-01-01' + (g % 1000), ${repo}::bigint from generate_series(1, 50000) g`.execute(
      t.db,
    );
    expect((await refreshRollups(t.db)).mode).not.toBe('none');
    const queue = await sql<{ pages: number }>`
      select (pg_relation_size('rollup_dirty') / current_setting('block_size')::int)::int as pages`.execute(
      t.db,
    );
    expect(queue.rows[0]!.pages).toBeLessThan(5);
  });
});
