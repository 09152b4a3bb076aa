import { type Kysely, sql } from 'kysely';

/**
 * The org's lead-time and recovery samples of each UTC day, split by value into fixed bins
 * (docs/metrics.md, "How figures are served"), so an org percentile is found without sorting
 * every sample of the period: the bins' counts say which bin holds each rank `percentile_cont`
 * needs, and only that bin's values are read and sorted.
 * - `dora_sample_bin(seconds)`: the bin of a value, `width_bucket` over fixed thresholds (0 below
 *   1 s, then 2^(i/8) seconds rounded, ~9 % wide, up to 2^32 s): monotone in the value, so the
 *   values sorted by (bin, value) are the values sorted;
 * - `dora_day_sample_bins`: per day x kind (`l` lead times, `r` recovery times) x bin, the count
 *   and the sorted values of the org rows of `dora_day_rollups` (team 0, all repositories), which
 *   it mirrors: `refreshRollups` rebuilds both in one transaction, readers take the queued days of
 *   both from the raw tables.
 * And an index for reading one scope's rollup rows by day.
 * Filled here from the stored rollup rows (the days still queued are computed by readers anyway).
 */
const THRESHOLDS = [...new Set(Array.from({ length: 257 }, (_, i) => Math.round(2 ** (i / 8))))];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
    create function dora_sample_bin(seconds float8) returns integer language sql immutable parallel safe
    as $$ select width_bucket(seconds, '{${THRESHOLDS.join(',')}}'::float8[]) $$`)
    .execute(db);
  await sql`
    create table dora_day_sample_bins (
      day date not null,
      kind "char" not null check (kind in ('l', 'r')),
      bin integer not null,
      n integer not null,
      seconds float8[] not null,
      primary key (day, kind, bin)
    )`.execute(db);
  // Org, team and repository reads take one row per day (team_id, repository_id fixed): the
  // primary key (team_id, day, repository_id) made the org's read walk every repository's row of
  // each day (at xl: ~300,000 index entries for 729 rows over 2 years).
  await sql`create index dora_day_rollups_scope_day_idx on dora_day_rollups (repository_id, team_id, day)`.execute(
    db,
  );
  await sql`
    insert into dora_day_sample_bins (day, kind, bin, n, seconds)
    select r.day, s.kind, dora_sample_bin(v), count(*)::int, array_agg(v order by v)
    from dora_day_rollups r
    cross join lateral (values ('l'::"char", r.lead_seconds), ('r'::"char", r.recovery_seconds)) s(kind, arr)
    cross join unnest(s.arr) v
    where r.team_id = 0 and r.repository_id = -1
    group by r.day, s.kind, dora_sample_bin(v)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table dora_day_sample_bins`.execute(db);
  await sql`drop index dora_day_rollups_scope_day_idx`.execute(db);
  await sql`drop function dora_sample_bin(float8)`.execute(db);
}
