import { type Kysely, sql } from 'kysely';

/**
 * Month rollups (docs/metrics.md, "How figures are served"): a period of months reads one row per
 * month instead of one per day. Both are the sums and merges of the stored day rows over all
 * repositories (`dora_day_rollups`, `repository_id = -1`) of a UTC calendar month, which they
 * mirror: `refreshRollups` rebuilds the months of the days it rebuilds, in the same transaction,
 * and readers use a month only when none of its days is queued.
 * - `dora_month_rollups`: per month x team (0 = the org) the counts, the month's deployment dates
 *   (sorted) and every lead-time and recovery sample, sorted;
 * - `dora_month_sample_bins`: the org's samples of a month in the value bins of
 *   `dora_day_sample_bins` (`dora_sample_bin`), for the org's rank selection over many months.
 * Filled here from the stored day rows (the days still queued are computed by readers anyway).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table dora_month_rollups (
      month date not null,
      team_id bigint not null,
      deployments integer not null,
      failed integer not null,
      unplanned integer not null,
      deployment_dates date[] not null,
      lead_seconds float8[] not null,
      lead_commit integer not null,
      lead_time integer not null,
      recovery_seconds float8[] not null,
      primary key (month, team_id)
    )`.execute(db);
  await sql`
    create table dora_month_sample_bins (
      month date not null,
      kind "char" not null check (kind in ('l', 'r')),
      bin integer not null,
      n integer not null,
      seconds float8[] not null,
      primary key (month, kind, bin)
    )`.execute(db);
  await sql`
    insert into dora_month_rollups
    with d as (
      select date_trunc('month', r.day)::date as month, r.* from dora_day_rollups r where r.repository_id = -1
    ),
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
    db,
  );
  await sql`
    insert into dora_month_sample_bins (month, kind, bin, n, seconds)
    select r.month, s.kind, dora_sample_bin(v), count(*)::int, array_agg(v order by v)
    from dora_month_rollups r
    cross join lateral (values ('l'::"char", r.lead_seconds), ('r'::"char", r.recovery_seconds)) s(kind, arr)
    cross join unnest(s.arr) v
    where r.team_id = 0
    group by r.month, s.kind, dora_sample_bin(v)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table dora_month_sample_bins`.execute(db);
  await sql`drop table dora_month_rollups`.execute(db);
}
