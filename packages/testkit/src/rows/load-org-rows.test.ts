import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database/test-database.ts';
import { generatedOrgRows, generateOrg } from '../presets/generate-org.ts';
import { generateDashboardOrg } from '../presets/seed-org.ts';
import { loadOrgRows } from './load-org-rows.ts';

const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
const NOW = new Date('2026-11-23T10:00:00Z');

describe('presets keep their sequences (figures in tests depend on them)', () => {
  it('route-test org and dashboard org give the rows they gave before the kit', () => {
    const routeOrg = generateOrg({
      teams: 2,
      membersPerTeam: 5,
      reposPerTeam: 2,
      days: 120,
      end: new Date(Date.UTC(2025, 5, 1)),
      seed: 7,
    });
    expect(digest(generatedOrgRows(routeOrg))).toBe('c8202e223e104254');
    expect(digest(generateDashboardOrg({ now: NOW, days: 120, seed: 7 }).rows)).toBe('951bc71a4150cdd7');
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
    expect(await count('deployments')).toBe(seeded.deployments.length);
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
  });

  it('refuses a row naming a repository it does not contain, naming it', async () => {
    const { rows } = generateDashboardOrg({ now: NOW, days: 10, seed: 4, teamCount: 1 });
    const broken = { ...rows, deployments: [{ ...rows.deployments[0]!, repository: 'acme/nowhere' }] };
    await expect(loadOrgRows(database.db, broken)).rejects.toThrow("unknown repository 'acme/nowhere'");
  });
});
