import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../connection.ts';

/**
 * Rebuilds the month rollups (`dora_month_rollups`, every team and the org) and the org's month
 * sample bins (`dora_month_sample_bins`) of `months` (a SQL `date[]` of UTC month starts) from
 * the stored day rows over all repositories (`dora_day_rollups`, `repository_id = -1`), which
 * the caller has just rebuilt in the same transaction: a month row is the sum of its day rows'
 * counts, its deployment dates and the merge of their sorted samples. `null`: every month.
 * @returns month rows written
 */
export async function rebuildMonthRollups(trx: Db, months: string[] | null): Promise<number> {
  const monthFilter = (column: RawBuilder<unknown>) =>
    months === null ? sql<boolean>`true` : sql<boolean>`${column} = any(${months}::date[])`;
  await sql`delete from dora_month_rollups where ${monthFilter(sql`month`)}`.execute(trx);
  await sql`delete from dora_month_sample_bins where ${monthFilter(sql`month`)}`.execute(trx);
  // Day rows by day range (the (day, repository_id) index), not by date_trunc of every row.
  const days =
    months === null
      ? sql`select date_trunc('month', r.day)::date as month, r.* from dora_day_rollups r where r.repository_id = -1`
      : sql`select m.month, r.* from unnest(${months}::date[]) m(month)
            join dora_day_rollups r on r.day >= m.month and r.day < (m.month + interval '1 month')::date
              and r.repository_id = -1`;
  const inserted = await sql`
    insert into dora_month_rollups
    with d as materialized (${days}),
    counts as (
      select month, team_id, sum(deployments)::int as deployments, sum(failed)::int as failed,
             sum(unplanned)::int as unplanned,
             coalesce(array_agg(day order by day) filter (where deployments > 0), '{}') as deployment_dates,
             sum(lead_commit)::int as lead_commit, sum(lead_time)::int as lead_time
      from d group by month, team_id
    ),
    leads as (select month, team_id, array_agg(v order by v) as s from d cross join unnest(d.lead_seconds) v group by month, team_id),
    recs as (select month, team_id, array_agg(v order by v) as s from d cross join unnest(d.recovery_seconds) v group by month, team_id)
    select c.month, c.team_id, c.deployments, c.failed, c.unplanned, c.deployment_dates,
           coalesce(l.s, '{}'), c.lead_commit, c.lead_time, coalesce(r.s, '{}')
    from counts c left join leads l using (month, team_id) left join recs r using (month, team_id)`.execute(
    trx,
  );
  await sql`
    insert into dora_month_sample_bins (month, kind, bin, n, seconds)
    select r.month, s.kind, dora_sample_bin(v), count(*)::int, array_agg(v order by v)
    from dora_month_rollups r
    cross join lateral (values ('l'::"char", r.lead_seconds), ('r'::"char", r.recovery_seconds)) s(kind, arr)
    cross join unnest(s.arr) v
    where r.team_id = 0 and ${monthFilter(sql`r.month`)}
    group by r.month, s.kind, dora_sample_bin(v)`.execute(trx);
  return Number(inserted.numAffectedRows ?? 0);
}
