import {
  type DoraAggregates,
  getDoraAggregates,
  getDoraAggregatesFromRaw,
  getTeamsDoraAggregates,
  getTeamsDoraAggregatesFromRaw,
  type MetricScope,
  refreshRollups,
  upsertIncidents,
} from '@stride/db';
import type { Granularity } from '@stride/metrics';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The DORA figures the API serves come from the day rollups (plus the raw tables for partial and
// changed days); they must be the raw statements' figures exactly, for any period, scope and
// granularity: seeded random periods (instants at any second, with offsets, so edges fall
// inside days), every scope and the batched all-teams read are compared with the raw-table
// computation, bit for bit (percentiles included).
const end = new Date(Date.UTC(2025, 5, 1));
const DAYS = 150;
const org = generateOrg({ teams: 3, membersPerTeam: 4, reposPerTeam: 2, days: DAYS, end, seed: 13 });
const start = end.getTime() - DAYS * 86_400_000;

/** Maps and Dates as plain JSON, so deep equality compares every figure and bucket. */
const plain = (x: unknown) =>
  JSON.parse(JSON.stringify(x, (_k, v) => (v instanceof Map ? [...v.entries()].sort() : v))) as unknown;

describe('DORA rollups give the raw-table figures', () => {
  let t: TestDatabase;
  let teamIds: string[];
  let repositoryIds: string[];
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org); // ends with deriveLinks, which refreshes the rollups
    teamIds = (await t.db.selectFrom('teams').select('id').orderBy('id').execute()).map((r) => r.id);
    repositoryIds = (await t.db.selectFrom('repositories').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    );
  });
  afterAll(async () => t?.destroy());

  const period = fc
    .record({
      a: fc.integer({ min: -20 * 86_400, max: (DAYS + 20) * 86_400 }),
      length: fc.integer({ min: 3_600, max: 120 * 86_400 }),
      aligned: fc.boolean(),
      granularity: fc.constantFrom<Granularity | undefined>(undefined, 'day', 'week', 'month', 'quarter'),
    })
    .map(({ a, length, aligned, granularity }) => {
      const round = (s: number) => (aligned ? Math.round(s / 86_400) * 86_400 : s);
      const from = new Date(start + round(a) * 1000);
      const to = new Date(from.getTime() + Math.max(aligned ? 86_400 : 1, round(length)) * 1000);
      return { from, to, granularity };
    });

  const compareAll = async (p: { from: Date; to: Date; granularity: Granularity | undefined }) => {
    const scopes: MetricScope[] = [
      { type: 'org' },
      ...teamIds.map((teamId) => ({ type: 'team' as const, teamId })),
      ...repositoryIds.slice(0, 3).map((repositoryId) => ({ type: 'repository' as const, repositoryId })),
    ];
    for (const scope of scopes) {
      const served: DoraAggregates = await getDoraAggregates(t.db, { scope, ...p });
      const raw = await getDoraAggregatesFromRaw(t.db, { scope, ...p });
      expect(
        plain(served),
        `${JSON.stringify(scope)} ${p.from.toISOString()}..${p.to.toISOString()}`,
      ).toEqual(plain(raw));
    }
    expect(plain(await getTeamsDoraAggregates(t.db, p))).toEqual(
      plain(await getTeamsDoraAggregatesFromRaw(t.db, p)),
    );
  };

  it('runs statements without JIT (it compiled the rollup read for 0.8 s to run for 30 ms)', async () => {
    const jit = await sql<{ jit: string }>`show jit`.execute(t.db);
    expect(jit.rows[0]!.jit).toBe('off');
  });

  it('serves from built rollups (nothing queued after the seed)', async () => {
    const queued = await sql<{ n: number }>`select count(*)::int as n from rollup_dirty`.execute(t.db);
    expect(queued.rows[0]!.n).toBe(0);
    const stored = await sql<{ n: number }>`select count(*)::int as n from dora_day_rollups`.execute(t.db);
    expect(stored.rows[0]!.n).toBeGreaterThan(100);
  });

  it('equals the raw computation on random periods, scopes and granularities', async () => {
    await fc.assert(fc.asyncProperty(period, compareAll), { seed: 1301, numRuns: 25 });
  });

  it('stays exact between a write and the refresh, and after it', async () => {
    // An incident caused by a deployment makes that deployment failed and adds a recovery time:
    // its days are queued (triggers), read from the raw tables until refreshRollups rebuilds them.
    const d = await sql<{ id: string; repository_id: string; deployed_at: Date }>`
      select id, repository_id, deployed_at from deployments
      where is_production and deployed_at is not null and not rolled_back
        and not exists (select 1 from incidents i where i.caused_by_deployment_id = deployments.id)
      order by deployed_at desc limit 1`.execute(t.db);
    const dep = d.rows[0]!;
    const p = {
      from: new Date(dep.deployed_at.getTime() - 20 * 86_400_000),
      to: new Date(dep.deployed_at.getTime() + 10 * 86_400_000),
      granularity: 'week' as const,
    };
    const before = await getDoraAggregates(t.db, { scope: { type: 'org' }, ...p });
    await upsertIncidents(t.db, [
      {
        source: 'webhook',
        external_id: 'rollup-test-incident',
        title: 'checkout down',
        repository_id: dep.repository_id,
        started_at: new Date(dep.deployed_at.getTime() + 3_600_000),
        resolved_at: new Date(dep.deployed_at.getTime() + 5 * 3_600_000),
        caused_by_deployment_id: dep.id,
      },
    ]);
    const queued = await sql<{ n: number }>`select count(*)::int as n from rollup_dirty`.execute(t.db);
    expect(queued.rows[0]!.n).toBeGreaterThan(0);
    const dirty = await getDoraAggregates(t.db, { scope: { type: 'org' }, ...p });
    expect(dirty.total.failed).toBe(before.total.failed + 1);
    expect(dirty.total.recovery.n).toBe(before.total.recovery.n + 1);
    await compareAll(p);

    const refreshed = await refreshRollups(t.db);
    expect(refreshed.mode).toBe('days');
    expect(plain(await getDoraAggregates(t.db, { scope: { type: 'org' }, ...p }))).toEqual(plain(dirty));
    await compareAll(p);
  });

  it('stays exact with tied samples, zero and negative durations, before and after the refresh', async () => {
    // The org's percentiles select ranks inside value bins (dora_day_sample_bins): ties that
    // straddle the ranks p x (n - 1) needs, values at bin thresholds, 0 s and a negative duration
    // (resolved before started) must still give percentile_cont's figures.
    const deps = await sql<{ id: string; repository_id: string; deployed_at: Date }>`
      select id, repository_id, deployed_at from deployments
      where is_production and deployed_at is not null
        and not exists (select 1 from incidents i where i.caused_by_deployment_id = deployments.id)
      order by deployed_at limit 60`.execute(t.db);
    const durations = [0, -30, 1, 2, 3_600, 3_600, 3_600, 3_601, 7_200, 7_200, 86_400, 2 ** 20, 1.5];
    await upsertIncidents(
      t.db,
      deps.rows.map((dep, i) => {
        const started = new Date(dep.deployed_at.getTime() + 600_000);
        return {
          source: 'webhook',
          external_id: `rollup-ties-${i}`,
          title: 'tie',
          repository_id: dep.repository_id,
          started_at: started,
          resolved_at: new Date(started.getTime() + durations[i % durations.length]! * 1000),
          caused_by_deployment_id: dep.id,
        };
      }),
    );
    const first = deps.rows[0]!.deployed_at.getTime();
    const last = deps.rows.at(-1)!.deployed_at.getTime();
    const periods = [
      {
        from: new Date(first - 86_400_000),
        to: new Date(last + 3 * 86_400_000),
        granularity: 'week' as const,
      },
      { from: new Date(first + 3_600_000), to: new Date(last), granularity: undefined },
      { from: new Date(start), to: end, granularity: 'day' as const },
    ];
    for (const p of periods) await compareAll(p);
    expect((await refreshRollups(t.db)).mode).toBe('days');
    for (const p of periods) await compareAll(p);
  });

  it('keeps the org sample bins equal to the org rollup samples through refreshes', async () => {
    const mismatched = await sql<{ n: number }>`
      select count(*)::int as n from (
        select day, 'l'::"char" as kind, v from dora_day_rollups, unnest(lead_seconds) v
        where team_id = 0 and repository_id = -1
        union all
        select day, 'r'::"char", v from dora_day_rollups, unnest(recovery_seconds) v
        where team_id = 0 and repository_id = -1
      ) a full join (
        select day, kind, v from dora_day_sample_bins, unnest(seconds) v
      ) b using (day, kind, v)
      where a.v is null or b.v is null`.execute(t.db);
    expect(mismatched.rows[0]!.n).toBe(0);
    const bins = await sql<{ n: number; bad: number }>`
      select count(*)::int as n,
             count(*) filter (where n <> cardinality(seconds)
               or exists (select 1 from unnest(seconds) v where dora_sample_bin(v) <> bin))::int as bad
      from dora_day_sample_bins`.execute(t.db);
    expect(bins.rows[0]!.n).toBeGreaterThan(100);
    expect(bins.rows[0]!.bad).toBe(0);
  });

  it('reads whole months from the month rollups, exactly, before and after a write inside a month', async () => {
    // Whole calendar months of the seed, as the month rollups hold them: periods of whole months
    // (every granularity that unions months, and none) and periods with partial months at both ends.
    const firstMonth = new Date(start);
    const m0 = Date.UTC(firstMonth.getUTCFullYear(), firstMonth.getUTCMonth() + 1, 1);
    const m3 = Date.UTC(firstMonth.getUTCFullYear(), firstMonth.getUTCMonth() + 4, 1);
    const periods = (['month', 'quarter', undefined, 'week'] as const).flatMap((granularity) => [
      { from: new Date(m0), to: new Date(m3), granularity },
      { from: new Date(m0 - 5 * 86_400_000 + 7_200_000), to: new Date(m3 + 9 * 86_400_000), granularity },
    ]);
    const used = await sql<{ n: number }>`select count(*)::int as n from dora_month_rollups`.execute(t.db);
    expect(used.rows[0]!.n).toBeGreaterThan(0);
    for (const p of periods) await compareAll(p);
    // A recovery inside the second month: that month is queued, read from its days meanwhile.
    const d = await sql<{ id: string; repository_id: string; deployed_at: Date }>`
      select id, repository_id, deployed_at from deployments
      where is_production and deployed_at >= ${new Date(m0 + 40 * 86_400_000)} and not rolled_back
        and not exists (select 1 from incidents i where i.caused_by_deployment_id = deployments.id)
      order by deployed_at limit 1`.execute(t.db);
    const dep = d.rows[0]!;
    await upsertIncidents(t.db, [
      {
        source: 'webhook',
        external_id: 'rollup-month-incident',
        title: 'month edge',
        repository_id: dep.repository_id,
        started_at: new Date(dep.deployed_at.getTime() + 60_000),
        resolved_at: new Date(dep.deployed_at.getTime() + 2 * 3_600_000),
        caused_by_deployment_id: dep.id,
      },
    ]);
    for (const p of periods) await compareAll(p);
    expect((await refreshRollups(t.db)).mode).toBe('days');
    for (const p of periods) await compareAll(p);
  });

  it('keeps the month rollups and the org month bins equal to their day rows through refreshes', async () => {
    const mismatched = await sql<{ n: number }>`
      with d as (select date_trunc('month', day::timestamp)::date as month, * from dora_day_rollups where repository_id = -1),
      expected as (
        select month, team_id, sum(deployments)::int as deployments, sum(failed)::int as failed,
               sum(unplanned)::int as unplanned, sum(lead_commit)::int as lead_commit, sum(lead_time)::int as lead_time,
               coalesce(array_agg(day order by day) filter (where deployments > 0), '{}') as deployment_dates,
               coalesce((select array_agg(v order by v) from d d2, unnest(d2.lead_seconds) v
                 where d2.month = d.month and d2.team_id = d.team_id), '{}') as lead_seconds,
               coalesce((select array_agg(v order by v) from d d2, unnest(d2.recovery_seconds) v
                 where d2.month = d.month and d2.team_id = d.team_id), '{}') as recovery_seconds
        from d group by month, team_id
      )
      select count(*)::int as n from expected e full join dora_month_rollups m using (month, team_id)
      where row(e.deployments, e.failed, e.unplanned, e.lead_commit, e.lead_time, e.deployment_dates, e.lead_seconds,
                e.recovery_seconds)
        is distinct from row(m.deployments, m.failed, m.unplanned, m.lead_commit, m.lead_time, m.deployment_dates,
                             m.lead_seconds, m.recovery_seconds)`.execute(t.db);
    expect(mismatched.rows[0]!.n).toBe(0);
    const bins = await sql<{ n: number }>`
      select count(*)::int as n from (
        select month, 'l'::"char" as kind, v from dora_month_rollups, unnest(lead_seconds) v where team_id = 0
        union all
        select month, 'r'::"char", v from dora_month_rollups, unnest(recovery_seconds) v where team_id = 0
      ) a full join (
        select month, kind, v from dora_month_sample_bins, unnest(seconds) v where dora_sample_bin(v) = bin
      ) b using (month, kind, v)
      where a.v is null or b.v is null`.execute(t.db);
    expect(bins.rows[0]!.n).toBe(0);
  });

  it('rebuilds the team rows when a team changes, and not when the same teams are written again', async () => {
    const p = { from: new Date(start), to: end, granularity: 'month' as const };
    // The same memberships written again: no rebuild.
    await sql`update team_memberships set valid_from = valid_from`.execute(t.db);
    expect((await refreshRollups(t.db)).mode).toBe('none');
    // A member leaves: their later changes leave the team's lead times.
    await sql`update team_memberships set valid_to = ${new Date(start + 60 * 86_400_000).toISOString().slice(0, 10)}::date
      where id = (select min(id) from team_memberships)`.execute(t.db);
    await compareAll(p);
    expect((await refreshRollups(t.db)).mode).toBe('full');
    await compareAll(p);
  });
});
