import type { Granularity, PercentileSummary } from '@stride/metrics';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../connection.ts';
import {
  changeInScope,
  deploymentFailed,
  deploymentInScope,
  incidentInScope,
  type MetricScope,
  mergedIntoDefaultBranch,
} from './metric-scope.ts';

/** The raw aggregates of the five DORA metrics over one period or one bucket. */
export interface DoraAggregate {
  /** Production deployments (deployment frequency; the denominator of the two ratios). */
  deployments: number;
  /** Distinct UTC dates with at least one production deployment. */
  deploymentDays: number;
  /** Deployments that caused an incident or were rolled back / reverted. */
  failed: number;
  /** Deployments shipping an unplanned change (bug / hotfix / revert). */
  unplanned: number;
  /** Change lead time, seconds: deployed_at - first_commit_at of changes deployed in the period. */
  leadTime: PercentileSummary & { commit: number; time: number };
  /** Failed deployment recovery time, seconds: resolved_at - started_at of caused incidents resolved in the period. */
  recovery: PercentileSummary;
}

export interface DoraAggregates {
  total: DoraAggregate;
  /** Per bucket start (ISO string, UTC), only buckets with data; empty without granularity. */
  buckets: Map<string, DoraAggregate>;
  /** The distinct deployment dates of the period, 'YYYY-MM-DD' (for the frequency level). */
  deploymentDates: string[];
}

export const emptyAggregate = (): DoraAggregate => ({
  deployments: 0,
  deploymentDays: 0,
  failed: 0,
  unplanned: 0,
  leadTime: { p50: null, p90: null, n: 0, commit: 0, time: 0 },
  recovery: { p50: null, p90: null, n: 0 },
});

/**
 * How the DORA statements attribute rows to groups: for each kind of row, the SQL of its group
 * key, the joins that produce it and the scope predicate. One scope: no join, a null key and
 * the scope's predicates; all teams: joins to the owning teams, keyed by team id.
 */
export interface DoraGrouping {
  deployments: { key: RawBuilder<unknown>; join: RawBuilder<unknown>; where: RawBuilder<boolean> };
  changes: { key: RawBuilder<unknown>; join: RawBuilder<unknown>; where: RawBuilder<boolean> };
  incidents: { key: RawBuilder<unknown>; join: RawBuilder<unknown>; where: RawBuilder<boolean> };
}

/**
 * Runs the four DORA statements (deployments, lead times, recoveries, deployment dates) over
 * [from, to) with `grouping` (see DoraGrouping), each `group by grouping sets ((group_key),
 * (group_key, bucket))`, and folds them into aggregates per group key.
 */
export async function runDoraStatements(
  db: Db,
  input: { from: Date; to: Date; granularity?: Granularity | undefined; grouping: DoraGrouping },
): Promise<Map<string, DoraAggregates>> {
  const { from, to, granularity, grouping: g } = input;
  // Bucket starts as timestamptz at UTC midnight (date_trunc on UTC wall time; ISO weeks).
  const bucketOf = (column: string) =>
    granularity
      ? sql`date_trunc(${granularity}, ${sql.ref(column)} at time zone 'UTC') at time zone 'UTC'`
      : sql`null::timestamptz`;
  const groups = sql`grouping sets ((group_key), (group_key, bucket))`;

  const deployments = sql<DoraRowSets['deployments'][number]>`
    select group_key, bucket, grouping(bucket) as is_total, count(*)::int as deployments,
           count(distinct day)::int as deployment_days,
           count(*) filter (where failed)::int as failed,
           count(*) filter (where unplanned)::int as unplanned
    from (
      select ${g.deployments.key} as group_key, ${bucketOf('d.deployed_at')} as bucket,
             (d.deployed_at at time zone 'UTC')::date as day,
             ${deploymentFailed('d')} as failed, d.is_unplanned as unplanned
      from deployments d ${g.deployments.join}
      where d.is_production and d.deployed_at is not null
        and d.deployed_at >= ${from} and d.deployed_at < ${to} and ${g.deployments.where}
    ) x
    group by ${groups}`.execute(db);

  const leadTimes = sql<DoraRowSets['leadTimes'][number]>`
    select group_key, bucket, grouping(bucket) as is_total,
           percentile_cont(0.5) within group (order by seconds) as p50,
           percentile_cont(0.9) within group (order by seconds) as p90,
           count(*)::int as n,
           count(*) filter (where attribution = 'commit')::int as commit,
           count(*) filter (where attribution = 'time')::int as time
    from (
      select ${g.changes.key} as group_key, ${bucketOf('d.deployed_at')} as bucket, dc.attribution,
             extract(epoch from d.deployed_at - pr.first_commit_at)::float8 as seconds
      from pull_requests pr
      join repositories r on r.id = pr.repository_id
      join deployment_changes dc on dc.pull_request_id = pr.id
      join deployments d on d.id = dc.deployment_id
      ${g.changes.join}
      where ${mergedIntoDefaultBranch('pr', 'r')} and pr.first_commit_at is not null and not pr.author_is_bot
        and d.is_production and d.deployed_at >= ${from} and d.deployed_at < ${to}
        and ${g.changes.where}
    ) x
    group by ${groups}`.execute(db);

  const recoveries = sql<DoraRowSets['recoveries'][number]>`
    select group_key, bucket, grouping(bucket) as is_total,
           percentile_cont(0.5) within group (order by seconds) as p50,
           percentile_cont(0.9) within group (order by seconds) as p90,
           count(*)::int as n
    from (
      select ${g.incidents.key} as group_key, ${bucketOf('i.resolved_at')} as bucket,
             extract(epoch from i.resolved_at - i.started_at)::float8 as seconds
      from incidents i ${g.incidents.join}
      where i.caused_by_deployment_id is not null and i.resolved_at is not null
        and i.resolved_at >= ${from} and i.resolved_at < ${to} and ${g.incidents.where}
    ) x
    group by ${groups}`.execute(db);

  const dates = sql<DoraRowSets['dates'][number]>`
    select distinct ${g.deployments.key} as group_key, (d.deployed_at at time zone 'UTC')::date as day
    from deployments d ${g.deployments.join}
    where d.is_production and d.deployed_at is not null
      and d.deployed_at >= ${from} and d.deployed_at < ${to} and ${g.deployments.where}
    order by group_key, day`.execute(db);

  const [dep, lead, rec, days] = await Promise.all([deployments, leadTimes, recoveries, dates]);
  return collectDoraRows(dep.rows, lead.rows, rec.rows, days.rows);
}

/**
 * Aggregates the five DORA metrics (docs/metrics.md) in PostgreSQL for a scope and the half-open
 * period [from, to) straight from the raw tables (the definition the rollups are checked against,
 * and the benches' baseline): counts, distinct days and interpolated percentiles (`percentile_cont`), for
 * the whole period and, with `granularity`, per UTC calendar bucket (`date_trunc`; ISO weeks) in
 * the same statement (grouping sets). Nothing is loaded row by row into Node.
 *
 * Deployments count by `deployed_at`; changes by the `deployed_at` of their deployment; incidents
 * by `resolved_at`. Durations are seconds. A period without rows gives n = 0 everywhere.
 */
export async function getDoraAggregatesFromRaw(
  db: Db,
  input: { scope: MetricScope; from: Date; to: Date; granularity?: Granularity | undefined },
): Promise<DoraAggregates> {
  const { scope, ...period } = input;
  const none = sql`null::text`;
  const groups = await runDoraStatements(db, {
    ...period,
    grouping: {
      deployments: { key: none, join: sql``, where: deploymentInScope(scope, 'd') },
      changes: { key: none, join: sql``, where: changeInScope(scope, 'pr') },
      incidents: { key: none, join: sql``, where: incidentInScope(scope, 'i') },
    },
  });
  return groups.get('') ?? { total: emptyAggregate(), buckets: new Map(), deploymentDates: [] };
}

/** Rows of the four DORA statements, each of one group (`group_key`: a team id, or null for one scope). */
export interface DoraRowSets {
  deployments: {
    group_key?: string | null;
    bucket: Date | null;
    is_total: number;
    deployments: number;
    deployment_days: number;
    failed: number;
    unplanned: number;
  }[];
  leadTimes: (PercentileSummary & {
    group_key?: string | null;
    bucket: Date | null;
    is_total: number;
    commit: number;
    time: number;
  })[];
  recoveries: (PercentileSummary & { group_key?: string | null; bucket: Date | null; is_total: number })[];
  dates: { group_key?: string | null; day: string }[];
}

/**
 * Folds the grouping-set rows of the DORA statements into aggregates per group (`group_key`, a
 * team id; one group `''` when the rows carry none). Shared by the one-scope and the all-teams
 * queries so both read the same SQL rows the same way.
 */
export function collectDoraRows(
  dep: DoraRowSets['deployments'],
  lead: DoraRowSets['leadTimes'],
  rec: DoraRowSets['recoveries'],
  days: DoraRowSets['dates'],
): Map<string, DoraAggregates> {
  const groups = new Map<string, DoraAggregates>();
  const group = (key: string | null | undefined): DoraAggregates => {
    const id = key ?? '';
    let g = groups.get(id);
    if (!g) {
      g = { total: emptyAggregate(), buckets: new Map(), deploymentDates: [] };
      groups.set(id, g);
    }
    return g;
  };
  const slot = (row: { group_key?: string | null; bucket: Date | null; is_total: number }): DoraAggregate => {
    const g = group(row.group_key);
    if (Number(row.is_total) === 1) return g.total;
    if (row.bucket === null) return emptyAggregate(); // no granularity: the bucket rows are dropped
    const key = row.bucket.toISOString();
    let agg = g.buckets.get(key);
    if (!agg) {
      agg = emptyAggregate();
      g.buckets.set(key, agg);
    }
    return agg;
  };
  for (const row of dep) {
    Object.assign(slot(row), {
      deployments: row.deployments,
      deploymentDays: row.deployment_days,
      failed: row.failed,
      unplanned: row.unplanned,
    });
  }
  for (const row of lead) {
    slot(row).leadTime = { p50: row.p50, p90: row.p90, n: row.n, commit: row.commit, time: row.time };
  }
  for (const row of rec) slot(row).recovery = { p50: row.p50, p90: row.p90, n: row.n };
  for (const row of days) group(row.group_key).deploymentDates.push(String(row.day));
  return groups;
}
