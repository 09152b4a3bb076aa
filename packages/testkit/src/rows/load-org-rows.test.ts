import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database/test-database.ts';
import { generateDashboardOrg, generatedOrgRows, generateOrg } from '../presets/size-presets.ts';
import { loadOrgRows } from './load-org-rows.ts';

const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
const NOW = new Date('2026-11-23T10:00:00Z');

describe('presets are sizes of one seeded model', () => {
  it('give the same rows for the same options and other rows for another seed', () => {
    const options = {
      teams: 2,
      membersPerTeam: 5,
      reposPerTeam: 2,
      days: 60,
      end: new Date(Date.UTC(2025, 5, 1)),
    };
    const once = digest(generatedOrgRows(generateOrg({ ...options, seed: 7 })));
    expect(digest(generatedOrgRows(generateOrg({ ...options, seed: 7 })))).toBe(once);
    expect(digest(generatedOrgRows(generateOrg({ ...options, seed: 8 })))).not.toBe(once);
    const dashboard = digest(generateDashboardOrg({ now: NOW, days: 30, seed: 7 }).rows);
    expect(digest(generateDashboardOrg({ now: NOW, days: 30, seed: 7 }).rows)).toBe(dashboard);
  });
});

describe('loadOrgRows', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.destroy());

  it('writes the rows, owning teams and sync runs, then derives links', async () => {
    const { rows, seeded } = generateDashboardOrg({ now: NOW, days: 30, seed: 3, teamCount: 2 });
    const result = await loadOrgRows(database.db, rows, { teamsFirst: true, linkRepositories: 'all' });
    expect(result.rows.pull_requests).toBe(rows.pullRequests.length);
    const count = async (table: string) =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(database.db))
          .rows[0]!.n,
      );
    // Every deployment row, failed runs included (the seeded summary lists only those that reached production).
    expect(await count('deployments')).toBe(rows.deployments.length);
    expect(seeded.deployments.length).toBe(
      rows.deployments.filter((d) => d.is_production && d.deployed_at).length,
    );
    expect(await count('sync_runs')).toBe(rows.syncRuns!.length);
    const owned = await sql<{ slug: string; n: string }>`
      select t.slug, count(*) as n from incidents i join teams t on t.id = i.team_id group by t.slug order by t.slug`.execute(
      database.db,
    );
    expect(owned.rows.map((r) => [r.slug, Number(r.n)])).toEqual(
      [...new Set(seeded.incidents.map((i) => i.team))]
        .sort()
        .map((slug) => [slug, seeded.incidents.filter((i) => i.team === slug).length]),
    );
    expect(result.rows.deployment_changes).toBeGreaterThan(0);
    // Open PRs keep who was asked to review and the head commit's CI state (the stuck-PR card).
    const open = await database.db
      .selectFrom('pull_requests')
      .select(['requested_reviewers', 'ci_state', 'head_sha'])
      .where('state', '=', 'open')
      .execute();
    expect(open.length).toBe(rows.pullRequests.filter((p) => p.state === 'open').length);
    expect(open.filter((p) => p.requested_reviewers.length > 0).length).toBeGreaterThan(0);
    expect(open.filter((p) => p.ci_state !== null).length).toBeGreaterThan(0);
    expect(open.every((p) => p.head_sha !== null)).toBe(true);
  });

  it('refuses a row naming a repository it does not contain, naming it', async () => {
    const { rows } = generateDashboardOrg({ now: NOW, days: 10, seed: 4, teamCount: 1 });
    const broken = { ...rows, deployments: [{ ...rows.deployments[0]!, repository: 'acme/nowhere' }] };
    await expect(loadOrgRows(database.db, broken)).rejects.toThrow("unknown repository 'acme/nowhere'");
  });
});
