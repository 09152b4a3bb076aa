import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { doraRollupRows } from './dora-rollup-rows.ts';
import { rebuildMonthRollups } from './month-rollups.ts';

/** What one `refreshRollups` did. */
export interface RollupRefresh {
  /** `full`: everything rebuilt; `days`: the changed UTC days; `none`: nothing queued; `busy`: another refresh held the lock. */
  mode: 'full' | 'days' | 'none' | 'busy';
  /** UTC days rebuilt (0 for a full rebuild). */
  days: number;
  /** Rollup rows written. */
  rows: number;
  /** Wall time, milliseconds. */
  ms: number;
}

/** Session-independent key of the refresh's advisory lock (one refresh at a time per database). */
const LOCK_KEY = 0x5d0a_0113;

/**
 * Rebuilds the org's sample bins (`dora_day_sample_bins`) of the stored org rows that match
 * `days` (a SQL predicate on `r.day`) from `dora_day_rollups`, which the caller has just rebuilt.
 */
const fillSampleBins = (days: RawBuilder<boolean>) => sql`
  insert into dora_day_sample_bins (day, kind, bin, n, seconds)
  select r.day, s.kind, dora_sample_bin(v), count(*)::int, array_agg(v order by v)
  from dora_day_rollups r
  cross join lateral (values ('l'::"char", r.lead_seconds), ('r'::"char", r.recovery_seconds)) s(kind, arr)
  cross join unnest(s.arr) v
  where r.team_id = 0 and r.repository_id = -1 and ${days}
  group by r.day, s.kind, dora_sample_bin(v)`;

/** The team tables as one string: equal strings mean the team rows of the rollups still hold. */
const teamsFingerprint = sql<{ fingerprint: string }>`
  select coalesce(md5(string_agg(x, ',' order by x)), '') as fingerprint from (
    select format('m%s:%s:%s:%s', team_id, lower(github_login), valid_from, valid_to) from team_memberships
      where github_login is not null
    union all select format('r%s:%s', team_id, repository_id) from team_repositories
    union all select format('j%s:%s', team_id, project_key) from team_jira_projects
  ) t(x)`;

/**
 * Brings `dora_day_rollups` up to date with the raw tables (docs/metrics.md, "How figures are
 * served"): takes the queue `rollup_dirty` the triggers filled and, in one transaction,
 * - `day` marks: deletes and rebuilds every row of those UTC days (org and teams, per repository
 *   and over all repositories);
 * - `teams` marks: rebuilds everything when the team tables' fingerprint changed (a config
 *   re-written identically at boot rebuilds nothing);
 * - `all` marks (never built, a TRUNCATE, a default branch changed): rebuilds everything;
 * and with the rows it rebuilds, the org's sample bins of those days (`dora_day_sample_bins`) and
 * the month rollups and org month bins of their months (`dora_month_rollups`,
 * `dora_month_sample_bins`: rebuildMonthRollups).
 * Runs after `deriveLinks` (the links and flags the figures read must be there). One refresh at a
 * time: when another holds the lock this returns `busy` at once, leaving the queue to it or the
 * next one (readers compute queued days from the raw tables meanwhile, so figures stay exact).
 * @throws the database's error (the transaction is rolled back, the queue kept).
 */
export async function refreshRollups(db: Db): Promise<RollupRefresh> {
  const started = performance.now();
  const refreshed = await refreshInTransaction(db, started);
  // Every DORA read scans the queue; the marks just consumed are dead rows until a vacuum, and
  // autovacuum may be off during bulk loads (at xl a load left 408,000 dead marks, 32 MB the
  // reads scanned: ~1 s per request with a cold cache). A vacuum of the queue after consuming it
  // keeps it a few pages; skipped inside a caller's transaction or while another holds the table.
  if (refreshed.mode !== 'none' && refreshed.mode !== 'busy' && !db.isTransaction) {
    await sql`vacuum (skip_locked) rollup_dirty`.execute(db);
  }
  return { ...refreshed, ms: Math.round(performance.now() - started) };
}

async function refreshInTransaction(db: Db, started: number): Promise<RollupRefresh> {
  return db.transaction().execute(async (trx) => {
    const ms = () => Math.round(performance.now() - started);
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`.execute(trx);
    if (!lock.rows[0]?.ok) return { mode: 'busy', days: 0, rows: 0, ms: ms() };
    const marks = await sql<{ kind: string; day: string | null; repository_id: string | null }>`
      delete from rollup_dirty returning kind, day::text, repository_id::text`.execute(trx);
    if (marks.rows.length === 0) return { mode: 'none', days: 0, rows: 0, ms: ms() };

    let full = marks.rows.some((m) => m.kind === 'all');
    const { fingerprint } = (await teamsFingerprint.execute(trx)).rows[0]!;
    const state = await sql<{ teams_fingerprint: string }>`
      select teams_fingerprint from rollup_state where id = 1`.execute(trx);
    if (state.rows.length === 0) full = true;
    if (marks.rows.some((m) => m.kind === 'teams') && state.rows[0]?.teams_fingerprint !== fingerprint) {
      full = true;
    }

    if (full) {
      await sql`delete from dora_day_rollups`.execute(trx);
      await sql`delete from dora_day_sample_bins`.execute(trx);
      const inserted = await sql`
        insert into dora_day_rollups
        select * from ${doraRollupRows({
          ranges: sql`(values ('-infinity'::timestamptz, 'infinity'::timestamptz))`,
          keys: { org: true, teams: 'all' },
        })} b`.execute(trx);
      await fillSampleBins(sql<boolean>`true`).execute(trx);
      await rebuildMonthRollups(trx, null);
      await sql`
        insert into rollup_state (id, teams_fingerprint, built_at) values (1, ${fingerprint}, clock_timestamp())
        on conflict (id) do update set teams_fingerprint = excluded.teams_fingerprint, built_at = clock_timestamp()`.execute(
        trx,
      );
      return { mode: 'full', days: 0, rows: Number(inserted.numAffectedRows ?? 0), ms: ms() };
    }

    // The queue is consumed: a new `built_at` keeps `getDoraDataVersion` from returning to a value
    // it had before the writes just taken.
    await sql`update rollup_state set built_at = clock_timestamp() where id = 1`.execute(trx);
    const days = [...new Set(marks.rows.flatMap((m) => (m.kind === 'day' && m.day !== null ? [m.day] : [])))];
    if (days.length === 0) return { mode: 'none', days: 0, rows: 0, ms: ms() };
    // Whole days are rebuilt: a day's rows over all repositories (-1) depend on every repository.
    await sql`delete from dora_day_rollups where day = any(${days}::date[])`.execute(trx);
    await sql`delete from dora_day_sample_bins where day = any(${days}::date[])`.execute(trx);
    const inserted = await sql`
      insert into dora_day_rollups
      select * from ${doraRollupRows({
        ranges: sql`(select (d::timestamp at time zone 'UTC'), ((d + 1)::timestamp at time zone 'UTC')
                     from unnest(${days}::date[]) as d)`,
        keys: { org: true, teams: 'all' },
      })} b`.execute(trx);
    await fillSampleBins(sql<boolean>`r.day = any(${days}::date[])`).execute(trx);
    // The months of those days, rebuilt from their (now current) day rows.
    await rebuildMonthRollups(trx, [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))]);
    return { mode: 'days', days: days.length, rows: Number(inserted.numAffectedRows ?? 0), ms: ms() };
  });
}
