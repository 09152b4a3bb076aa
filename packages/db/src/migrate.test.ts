import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToEmpty, migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';

async function userTables(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(t.db);
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.destroy());

  it('apply every migration up on an empty database, then are current', async () => {
    expect(await userTables(t)).toEqual([]);
    const applied = await migrateToLatest(t.db);
    expect(applied).toEqual(Object.keys(migrations));
    expect(await userTables(t)).toEqual(
      expect.arrayContaining([
        'pull_requests',
        'deployments',
        'deployment_changes',
        'incidents',
        'jira_issues',
        'raw_payloads',
        'sync_cursors',
        'team_memberships',
      ]),
    );
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it('revert one by one down to an empty schema, and apply again', async () => {
    const names = Object.keys(migrations);
    const reverted = await migrateDown(t.db);
    expect(reverted).toEqual([names.at(-1)]);
    await migrateToLatest(t.db);
    await migrateToEmpty(t.db);
    expect(await userTables(t)).toEqual([]);
    expect(await migrateToLatest(t.db)).toEqual(names);
  });

  it('enforce the domain rules in the schema', async () => {
    const team = await t.db
      .insertInto('teams')
      .values({ slug: 'a', name: 'A' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      t.db
        .insertInto('team_memberships')
        .values({ team_id: team.id, member_name: 'nobody', github_login: null, jira_account_id: null })
        .execute(),
    ).rejects.toThrow(/team_memberships_has_identity/);
    await expect(
      t.db
        .insertInto('team_memberships')
        .values({
          team_id: team.id,
          github_login: 'x',
          jira_account_id: null,
          member_name: null,
          valid_from: '2024-02-01',
          valid_to: '2024-01-01',
        })
        .execute(),
    ).rejects.toThrow(/team_memberships_valid_range/);
  });
});
