import type { Granularity } from '@stride/metrics';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { collectDoraRows, type DoraAggregates, type DoraRowSets } from '../get-dora-aggregates.ts';
import type { MetricScope } from '../metric-scope.ts';
import { doraRollupRows, type RollupKeys } from './dora-rollup-rows.ts';
import { rawRangesCtes, splitRollupPeriod } from './split-rollup-period.ts';

/** What the rollups are read for: one scope (org, team, repository) or every team at once. */
export type RollupTarget = MetricScope | { type: 'all-teams' };

/**
 * The DORA aggregates of `target` over [from, to) from `dora_day_rollups` (docs/metrics.md, "How
 * figures are served"), the same figures as the raw statements (`getDoraAggregatesFromRaw`), in
 * one statement (one snapshot): the stored rows of the whole UTC days inside the period that are
 * not queued for a refresh, and, computed from the raw tables with the refresh's own SQL, the
 * partial days at the period's edges and the days queued in `rollup_dirty` (everything when the
 * rollups were never built or must be rebuilt). Counts are summed; the percentiles are
 * `percentile_cont` over the stored sample values, so they are the raw statements' to the bit.
 * @returns aggregates per group key (team id for `all-teams`, `''` for one scope)
 */
export async function readDoraRollups(
  db: Db,
  input: { target: RollupTarget; from: Date; to: Date; granularity?: Granularity | undefined },
): Promise<Map<string, DoraAggregates>> {
  const { target, from, to, granularity } = input;
  // Whole UTC days [d1, d2) come from the store; the partial edge days from the raw tables.
  const split = splitRollupPeriod(from, to);
  const { d1, d2, day1, day2 } = split;
  // Whole UTC months inside [d1, d2) come from the month rollups when every bucket is a union of
  // months (no granularity, month, quarter) and the target has month rows (not a repository).
  const months =
    target.type !== 'repository' &&
    (granularity === undefined || granularity === 'month' || granularity === 'quarter')
      ? wholeMonths(d1, d2)
      : [];
  const teamScoped = target.type === 'team' || target.type === 'all-teams';
  const keys: RollupKeys =
    target.type === 'team'
      ? { org: false, teams: { teamId: target.teamId } }
      : target.type === 'all-teams'
        ? { org: false, teams: 'all' }
        : { org: true, teams: 'none' };
  const monthFilter = (alias: string): RawBuilder<boolean> => {
    const r = sql.id(alias);
    if (target.type === 'org') return sql<boolean>`${r}.team_id = 0`;
    if (target.type === 'team') return sql<boolean>`${r}.team_id = ${target.teamId}::bigint`;
    if (target.type === 'all-teams') return sql<boolean>`${r}.team_id <> 0`;
    return sql<boolean>`false`;
  };
  const rowFilter = (alias: string): RawBuilder<boolean> => {
    const r = sql.id(alias);
    if (target.type === 'org') return sql<boolean>`${r}.team_id = 0 and ${r}.repository_id = -1`;
    if (target.type === 'repository') {
      return sql<boolean>`${r}.team_id = 0 and ${r}.repository_id = ${target.repositoryId}::bigint`;
    }
    if (target.type === 'team') {
      return sql<boolean>`${r}.team_id = ${target.teamId}::bigint and ${r}.repository_id = -1`;
    }
    return sql<boolean>`${r}.team_id <> 0 and ${r}.repository_id = -1`;
  };
  // The org's percentiles select from the sample bins (binnedPercentiles) instead of sorting
  // every sample of the period; other targets sort their (fewer) samples with percentile_cont.
  const binned = target.type === 'org';
  // Grouped by the team id (int8: cheaper to sort than text), one group `0` for one scope.
  const groupKey = target.type === 'all-teams' ? sql`team_id` : sql`0::int8`;
  const bucket = granularity
    ? sql`date_trunc(${granularity}, day::timestamp) at time zone 'UTC'`
    : sql`null::timestamptz`;
  const bucketed = granularity !== undefined;

  const statement = sql<Row>`
    with ${rawRangesCtes({ from, to, split, teamScoped })},
    -- The whole months read from the month rollups: none of their days queued.
    mons as (
      select m.month from unnest(${months}::date[]) m(month)
      where not (select v from whole)
        and not exists (select 1 from fresh f where f.day >= m.month and f.day < (m.month + interval '1 month')::date)
    ),
    src as materialized (
      select r.day, r.team_id, r.deployments, r.failed, r.unplanned, null::date[] as dep_dates,
             ${binned ? sql`'{}'::float8[]` : sql`r.lead_seconds`} as lead_seconds, r.lead_commit, r.lead_time,
             ${binned ? sql`'{}'::float8[]` : sql`r.recovery_seconds`} as recovery_seconds, true as stored,
             'd'::"char" as level
      from dora_day_rollups r
      where ${rowFilter('r')} and r.day >= ${day1}::date and r.day < ${day2}::date
        and not (select v from whole) and r.day not in (select day from fresh)
        and date_trunc('month', r.day::timestamp)::date not in (select month from mons)
      union all
      select m.month, m.team_id, m.deployments, m.failed, m.unplanned, m.deployment_dates,
             ${binned ? sql`'{}'::float8[]` : sql`m.lead_seconds`}, m.lead_commit, m.lead_time,
             ${binned ? sql`'{}'::float8[]` : sql`m.recovery_seconds`}, true, 'm'::"char"
      from dora_month_rollups m
      where ${monthFilter('m')} and m.month in (select month from mons)
      union all
      select b.day, b.team_id, b.deployments, b.failed, b.unplanned, null, b.lead_seconds, b.lead_commit, b.lead_time,
             b.recovery_seconds, false, 'd'::"char"
      from ${doraRollupRows({ ranges: sql`(select lo, hi from ranges)`, keys })} b
      where ${rowFilter('b')}
    ),
    keyed as materialized (select ${groupKey} as group_key, ${bucket} as bucket, src.* from src)
    ${binned ? binnedPercentiles(bucket, bucketed, day1, day2) : sql``}
    select 'dep' as kind, group_key, bucket, ${isTotal(bucketed)} as is_total, sum(deployments)::int as a,
           ((count(distinct day) filter (where level = 'd' and deployments > 0))
             + coalesce(sum(cardinality(dep_dates)) filter (where level = 'm'), 0))::int as b,
           sum(failed)::int as c, sum(unplanned)::int as d, null::float8 as p50, null::float8 as p90, null::text as day
    from keyed group by ${groupSets(bucketed)} having sum(deployments) > 0
    union all
    ${
      binned
        ? sql`select case kind when 'l' then 'lead' else 'rec' end, 0::int8, bucket, is_total, n::int, null::int,
                     null::int, null::int, p50, p90, null::text
              from binned_percentiles`
        : sql`select 'lead', group_key, bucket, ${isTotal(bucketed)}, count(*)::int, null::int, null::int, null::int,
                     percentile_cont(0.5) within group (order by v), percentile_cont(0.9) within group (order by v),
                     null::text
              from keyed cross join unnest(keyed.lead_seconds) v
              group by ${groupSets(bucketed)}
              union all
              select 'rec', group_key, bucket, ${isTotal(bucketed)}, count(*)::int, null::int, null::int, null::int,
                     percentile_cont(0.5) within group (order by v), percentile_cont(0.9) within group (order by v),
                     null::text
              from keyed cross join unnest(keyed.recovery_seconds) v
              group by ${groupSets(bucketed)}`
    }
    union all
    select 'attr', group_key, bucket, ${isTotal(bucketed)}, sum(lead_commit)::int, sum(lead_time)::int, null::int, null::int,
           null::float8, null::float8, null::text
    from keyed group by ${groupSets(bucketed)}
    having sum(lead_commit) + sum(lead_time) > 0
    union all
    -- A group's deployment dates as one sorted list (one row per group, not per date).
    select 'day', group_key, null::timestamptz, 0, null::int, null::int, null::int, null::int,
           null::float8, null::float8, string_agg(day::text, ',' order by day)
    from (
      -- disjoint: one row per group and day, months' dates outside the day rows' days
      select group_key, day from keyed where level = 'd' and deployments > 0
      union all select group_key, unnest(dep_dates) from keyed where level = 'm'
    ) x group by group_key`;
  // The statement sorts up to a few hundred thousand sample values (the bins holding the ranks;
  // other targets: every sample of the period): with the server's default work_mem (4 MB) they
  // spilled to temporary files (EXPLAIN at xl). 64 MB for this statement only (`set local`).
  const read = async (q: Db) => {
    await sql`set local work_mem = '64MB'`.execute(q);
    return statement.execute(q);
  };
  const { rows } = db.isTransaction ? await read(db) : await db.transaction().execute(read);

  const dep: DoraRowSets['deployments'] = [];
  const lead: DoraRowSets['leadTimes'] = [];
  const rec: DoraRowSets['recoveries'] = [];
  const days: DoraRowSets['dates'] = [];
  const attribution = new Map<string, { commit: number; time: number }>();
  const slotKey = (r: Row) =>
    `${r.group_key ?? ''}|${Number(r.is_total) === 1 ? 'total' : r.bucket?.toISOString()}`;
  // pg gives int8 as a string; one scope's rows are group ''.
  for (const r of rows) r.group_key = target.type === 'all-teams' ? String(r.group_key) : '';
  for (const r of rows) {
    if (r.kind === 'attr') attribution.set(slotKey(r), { commit: r.a ?? 0, time: r.b ?? 0 });
  }
  for (const r of rows) {
    const base = { group_key: r.group_key, bucket: r.bucket, is_total: Number(r.is_total) };
    if (r.kind === 'dep') {
      dep.push({ ...base, deployments: r.a!, deployment_days: r.b!, failed: r.c!, unplanned: r.d! });
    } else if (r.kind === 'lead') {
      const counts = attribution.get(slotKey(r)) ?? { commit: 0, time: 0 };
      lead.push({ ...base, p50: r.p50, p90: r.p90, n: r.a!, ...counts });
    } else if (r.kind === 'rec') {
      rec.push({ ...base, p50: r.p50, p90: r.p90, n: r.a! });
    } else if (r.kind === 'day') {
      for (const day of r.day!.split(',')) days.push({ group_key: r.group_key, day });
    }
  }
  return collectDoraRows(dep, lead, rec, days);
}

interface Row {
  kind: 'dep' | 'lead' | 'attr' | 'rec' | 'day';
  group_key: string | null;
  bucket: Date | null;
  is_total: number;
  a: number | null;
  b: number | null;
  c: number | null;
  d: number | null;
  p50: number | null;
  p90: number | null;
  day: string | null;
}

/** UTC month starts 'YYYY-MM-01' of the whole calendar months inside [d1, d2) (epoch ms at UTC midnights). */
function wholeMonths(d1: number, d2: number): string[] {
  const out: string[] = [];
  const first = new Date(d1);
  let m = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + (first.getUTCDate() === 1 ? 0 : 1), 1);
  for (;;) {
    const start = new Date(m);
    const next = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    if (next > d2) return out;
    out.push(start.toISOString().slice(0, 10));
    m = next;
  }
}

/** The grouping of the read's aggregates: the period and each bucket, or the period only. */
const groupSets = (bucketed: boolean) =>
  bucketed ? sql`grouping sets ((group_key), (group_key, bucket))` : sql`group_key, bucket`;
const isTotal = (bucketed: boolean) => (bucketed ? sql`grouping(bucket)` : sql`1`);

/**
 * CTEs (appended to readDoraRollups' statement, which defines `src`, `whole`, `fresh`, `mons`) giving
 * `binned_percentiles (kind, bucket, is_total, n, p50, p90)`: the org's lead-time (`kind` 'l')
 * and recovery ('r') percentiles of the period and of each bucket, exactly `percentile_cont`'s
 * (PostgreSQL's `percentile_cont_final_common`: rows floor and ceil of p x (n - 1), 0-based, in
 * the sorted values, interpolated as lo + (hi - lo) x (p x (n - 1) - floor)), without sorting
 * every value: the per-day bins (`dora_day_sample_bins` for stored days, binned here from `src`
 * for the days computed from the raw tables; `dora_month_sample_bins` for the whole months read
 * from the month rollups) are counted per slot, their running counts say which
 * bin holds each of the four ranks, and only those bins' values are sorted. The bins are ordered
 * by value (`dora_sample_bin` is monotone), so rank r of the period is rank r - (values in lower
 * bins) inside its bin. Counts are int8, the ranks' float8 expressions the C code's.
 */
function binnedPercentiles(
  bucket: RawBuilder<unknown>,
  bucketed: boolean,
  day1: string,
  day2: string,
): RawBuilder<unknown> {
  const slots = bucketed
    ? sql`select kind, bucket, grouping(bucket) as is_total, bin, sum(n)::int8 as n
          from sb group by grouping sets ((kind, bin), (kind, bucket, bin))`
    : sql`select kind, null::timestamptz as bucket, 1 as is_total, bin, sum(n)::int8 as n from sb group by kind, bin`;
  const pos = (p: number) => sql`(${sql.lit(p)}::float8 * (total - 1)::float8)`;
  const pick = (
    p: number,
  ) => sql`case when floor(${pos(p)}) = ceil(${pos(p)}) then max(v) filter (where rank = floor(${pos(p)}))
    else max(v) filter (where rank = floor(${pos(p)}))
      + (max(v) filter (where rank = ceil(${pos(p)})) - max(v) filter (where rank = floor(${pos(p)})))
        * (${pos(p)} - floor(${pos(p)})) end`;
  return sql`,
    -- The stored bins' counts only; the values of the few bins a rank falls in are read by key below.
    sb as materialized (
      select kind, day, level, ${bucket} as bucket, bin, n, seconds from (
        select s.kind, s.day, 'd'::"char" as level, s.bin, s.n, null::float8[] as seconds from dora_day_sample_bins s
        where s.day >= ${day1}::date and s.day < ${day2}::date
          and not (select v from whole) and s.day not in (select day from fresh)
          and date_trunc('month', s.day::timestamp)::date not in (select month from mons)
        union all
        select s.kind, s.month, 'm'::"char", s.bin, s.n, null::float8[] from dora_month_sample_bins s
        where s.month in (select month from mons)
        union all
        select a.kind, c.day, 'd'::"char", dora_sample_bin(v), count(*)::int, array_agg(v order by v)
        from src c
        cross join lateral (values ('l'::"char", c.lead_seconds), ('r'::"char", c.recovery_seconds)) a(kind, arr)
        cross join unnest(a.arr) v
        where not c.stored
        group by a.kind, c.day, dora_sample_bin(v)
      ) samples
    ),
    slots as (${slots}),
    cum as (
      select c.kind, c.bucket, c.is_total, c.bin, c.n,
             (sum(c.n) over (partition by c.kind, c.is_total, c.bucket order by c.bin) - c.n)::int8 as below,
             (sum(c.n) over (partition by c.kind, c.is_total, c.bucket))::int8 as total
      from slots c
    ),
    ranks as (
      select c.kind, c.bucket, c.is_total, c.bin, c.below, c.total, r.rank
      from cum c cross join lateral (
        select distinct x::int8 as rank from unnest(array[
          floor(0.5::float8 * (c.total - 1)::float8), ceil(0.5::float8 * (c.total - 1)::float8),
          floor(0.9::float8 * (c.total - 1)::float8), ceil(0.9::float8 * (c.total - 1)::float8)]) x
      ) r
      where r.rank >= c.below and r.rank < c.below + c.n
    ),
    needed as (select distinct kind, bucket, is_total, bin, below from ranks),
    vals as (
      select n.kind, n.bucket, n.is_total, n.bin, v,
             n.below + row_number() over (partition by n.kind, n.is_total, n.bucket, n.bin order by v) - 1 as rank
      from needed n
      join sb on sb.kind = n.kind and sb.bin = n.bin and (n.is_total = 1 or sb.bucket = n.bucket)
      cross join unnest(coalesce(sb.seconds, case sb.level
        when 'd' then (select s.seconds from dora_day_sample_bins s where s.day = sb.day and s.kind = sb.kind and s.bin = sb.bin)
        else (select s.seconds from dora_month_sample_bins s where s.month = sb.day and s.kind = sb.kind and s.bin = sb.bin)
      end)) v
    ),
    picked as (
      select r.kind, r.bucket, r.is_total, r.total, r.rank, v.v
      from ranks r join vals v on v.kind = r.kind and v.is_total = r.is_total and v.bin = r.bin
        and v.rank = r.rank and v.bucket is not distinct from r.bucket
    ),
    binned_percentiles as (
      select kind, bucket, is_total, total as n, ${pick(0.5)} as p50, ${pick(0.9)} as p90
      from picked group by kind, bucket, is_total, total
    )`;
}
