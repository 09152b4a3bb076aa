import { listChanges, listDeployments, type MetricScope, refreshRollups, upsertIncidents } from '@stride/db';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The drill-down totals that come from the day rollups (production deployments, failed or
// unplanned ones; the change lead time sample), plus the raw rows of partial and queued days,
// must be the raw count exactly: on seeded random periods (instants at any second, so edges fall
// inside days), every scope and filter, each total is compared with the length of the whole list
// (the raw page statement) and with a plain count written here, before and after a write is
// refreshed into the rollups, and while the rollups must be rebuilt.
const DAY = 86_400_000;
const end = new Date(Date.UTC(2025, 5, 1));
const DAYS = 120;
const org = generateOrg({ teams: 3, membersPerTeam: 4, reposPerTeam: 2, days: DAYS, end, seed: 17 });
const start = end.getTime() - DAYS * DAY;
const ALL = { limit: 1_000_000, offset: 0, order: 'asc' as const };

describe('drill-down totals from the day rollups equal the raw count', () => {
  let t: TestDatabase;
  let scopes: MetricScope[];
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org); // ends with deriveLinks, which refreshes the rollups
    const teams = await sql<{ id: string }>`select id::text from teams order by id`.execute(t.db);
    const repos = await sql<{ id: string }>`select id::text from repositories order by id limit 3`.execute(
      t.db,
    );
    scopes = [
      { type: 'org' },
      ...teams.rows.map((r) => ({ type: 'team' as const, teamId: r.id })),
      ...repos.rows.map((r) => ({ type: 'repository' as const, repositoryId: r.id })),
    ];
  });
  afterAll(() => t?.destroy());

  const period = fc
    .record({
      a: fc.integer({ min: -10 * 86_400, max: (DAYS + 10) * 86_400 }),
      length: fc.integer({ min: 60, max: 100 * 86_400 }),
      aligned: fc.boolean(),
    })
    .map(({ a, length, aligned }) => {
      const round = (s: number) => (aligned ? Math.round(s / 86_400) * 86_400 : s);
      const from = new Date(start + round(a) * 1000);
      return { from, to: new Date(from.getTime() + Math.max(aligned ? 86_400 : 1, round(length)) * 1000) };
    });

  /** The plain definition: production deployments of the scope in [from, to), by filter. */
  const plainDeployments = async (
    scope: MetricScope,
    p: { from: Date; to: Date },
    f: { failed?: boolean; unplanned?: boolean },
  ) => {
    const r = await sql<{ n: number; failed: number; unplanned: number }>`
      select count(*)::int as n,
        count(*) filter (where d.rolled_back or exists (select 1 from incidents i where i.caused_by_deployment_id = d.id))::int as failed,
        count(*) filter (where d.is_unplanned)::int as unplanned
      from deployments d
      where d.is_production and d.deployed_at >= ${p.from} and d.deployed_at < ${p.to}
        and ${
          scope.type === 'org'
            ? sql`true`
            : scope.type === 'repository'
              ? sql`d.repository_id = ${scope.repositoryId}::bigint`
              : sql`d.repository_id in (select repository_id from team_repositories where team_id = ${scope.teamId}::bigint)`
        }`.execute(t.db);
    const c = r.rows[0]!;
    if (f.failed !== undefined) return f.failed ? c.failed : c.n - c.failed;
    if (f.unplanned !== undefined) return f.unplanned ? c.unplanned : c.n - c.unplanned;
    return c.n;
  };

  const compareAll = async (p: { from: Date; to: Date }) => {
    const label = `${p.from.toISOString()}..${p.to.toISOString()}`;
    for (const scope of scopes) {
      const at = `${JSON.stringify(scope)} ${label}`;
      for (const f of [{}, { failed: true }, { failed: false }, { unplanned: true }, { unplanned: false }]) {
        const whole = await listDeployments(t.db, { scope, ...p, ...f }, { ...ALL, sort: 'deployedAt' });
        expect(whole.total, `${at} ${JSON.stringify(f)}`).toBe(whole.rows.length);
        expect(whole.total, `${at} ${JSON.stringify(f)}`).toBe(await plainDeployments(scope, p, f));
      }
      const sample = await listChanges(
        t.db,
        { scope, ...p, dateField: 'deployed', withLeadTime: true },
        { ...ALL, sort: 'leadTime' },
      );
      expect(sample.total, `lead time sample ${at}`).toBe(sample.rows.length);
    }
  };

  it('serves from built rollups (nothing queued after the seed)', async () => {
    const queued = await sql<{ n: number }>`select count(*)::int as n from rollup_dirty`.execute(t.db);
    expect(queued.rows[0]!.n).toBe(0);
  });

  it('equals the raw count on random periods, scopes and filters', { timeout: 120_000 }, async () => {
    await fc.assert(fc.asyncProperty(period, compareAll), { seed: 1313, numRuns: 15 });
  });

  it('stays exact between a write and the refresh, after it, and while a rebuild is due', {
    timeout: 120_000,
  }, async () => {
    // An incident caused by a deployment makes it failed: its day is queued and counted raw.
    const d = await sql<{ id: string; repository_id: string; deployed_at: Date }>`
      select id, repository_id, deployed_at from deployments
      where is_production and deployed_at is not null and not rolled_back
        and not exists (select 1 from incidents i where i.caused_by_deployment_id = deployments.id)
      order by deployed_at desc limit 1`.execute(t.db);
    const dep = d.rows[0]!;
    const p = {
      from: new Date(Math.floor(dep.deployed_at.getTime() / DAY - 20) * DAY),
      to: new Date(Math.floor(dep.deployed_at.getTime() / DAY + 10) * DAY),
    };
    const failed = (
      await listDeployments(
        t.db,
        { scope: { type: 'org' }, ...p, failed: true },
        { ...ALL, sort: 'deployedAt' },
      )
    ).total;
    await upsertIncidents(t.db, [
      {
        source: 'webhook',
        external_id: 'list-total-incident',
        title: 'checkout down',
        repository_id: dep.repository_id,
        started_at: new Date(dep.deployed_at.getTime() + 3_600_000),
        resolved_at: new Date(dep.deployed_at.getTime() + 5 * 3_600_000),
        caused_by_deployment_id: dep.id,
      },
    ]);
    const queued = await sql<{ n: number }>`select count(*)::int as n from rollup_dirty`.execute(t.db);
    expect(queued.rows[0]!.n).toBeGreaterThan(0);
    const dirty = await listDeployments(
      t.db,
      { scope: { type: 'org' }, ...p, failed: true },
      { limit: 1, offset: 0, order: 'asc', sort: 'deployedAt' },
    );
    expect(dirty.total).toBe(failed + 1);
    await compareAll(p);
    await refreshRollups(t.db);
    await compareAll(p);
    // A rebuild is due (a TRUNCATE or default-branch change queues `all`): everything raw.
    await sql`insert into rollup_dirty (kind) values ('all')`.execute(t.db);
    await compareAll(p);
    await refreshRollups(t.db);
    await compareAll({ from: new Date(start), to: end });
  });
});
