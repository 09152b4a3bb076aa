import { getDoraDataVersion, refreshRollups } from '@stride/db';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLinks } from './derive-links.ts';

// The API reads the DORA data version (the queue's highest id) on every DORA request: consumed
// marks must not leave dead index entries that read has to walk (autovacuum may be off).
describe('deriveLinks and the rollup queue', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await refreshRollups(t.db);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('leaves the consumed queue vacuumed: the version read touches a page or two, not every consumed mark', async () => {
    // 20,000 marks of one day (as a bulk load leaves), consumed by the refresh.
    await sql`insert into rollup_dirty (kind, day, repository_id)
      select 'day', date '2025-01-15', 0 from generate_series(1, 20000)`.execute(t.db);
    await deriveLinks(t.db, { repositoryIds: [], attributionWindowDays: 7 });
    expect(
      Number((await sql<{ n: string }>`select count(*) as n from rollup_dirty`.execute(t.db)).rows[0]!.n),
    ).toBe(0);
    const plan = await sql<{
      'QUERY PLAN': { Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }[];
    }>`
      explain (analyze, buffers, format json) select max(id) from rollup_dirty`.execute(t.db);
    const root = plan.rows[0]!['QUERY PLAN'][0]!.Plan;
    // Without the vacuum: the backward index scan reads every page of the 20,000 dead entries (~55).
    expect(root['Shared Hit Blocks'] + root['Shared Read Blocks']).toBeLessThanOrEqual(4);
    expect(await getDoraDataVersion(t.db)).toMatch(/^\d+@\d+$/);
  });
});
