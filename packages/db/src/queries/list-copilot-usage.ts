import type { Granularity } from '@stride/metrics';
import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/** Copilot usage of one calendar bucket (UTC): users are per day, counts summed over the bucket. */
export interface CopilotUsageBucket {
  bucket: Date;
  /** Days of the bucket with Copilot metrics stored (GitHub gives none for a day with < 5 licensed members). */
  days: number;
  /** Mean and peak of the daily `total_active_users` over those days. */
  activeUsersMean: number | null;
  activeUsersMax: number | null;
  /** Mean of the daily `total_engaged_users`. */
  engagedUsersMean: number | null;
  /** Code completion suggestions shown and accepted in the bucket (all editors, models, languages). */
  suggestions: number;
  acceptances: number;
}

/**
 * Copilot usage per bucket of [from, to) from `copilot_metrics_days`, for the organisation
 * (`githubTeams` null: the `''` rows) or the given GitHub teams (their days summed first, and the
 * organisations' when several are collected). Buckets without stored days are absent: nothing is
 * interpolated. `storedDays`: days ever stored for the scope (0 = not collected); `anyStored`: any
 * scope has days (Copilot metrics are collected at all).
 */
export async function listCopilotUsage(
  db: Db,
  input: { from: Date; to: Date; granularity: Granularity; githubTeams: readonly string[] | null },
): Promise<{ storedDays: number; anyStored: boolean; series: CopilotUsageBucket[] }> {
  const teams = input.githubTeams ?? [''];
  const scope = sql`github_team in (${sql.join(teams.map((t) => sql`${t}`))})`;
  const fromDay = input.from.toISOString().slice(0, 10);
  const toDay = input.to.toISOString().slice(0, 10);
  const [stored, series] = await Promise.all([
    sql<{ n: number; any: boolean }>`select count(distinct day) filter (where ${scope})::int as n,
      count(*) > 0 as any from copilot_metrics_days`.execute(db),
    sql<CopilotUsageBucket>`
      with daily as (
        select day, sum(total_active_users)::float8 as active, sum(total_engaged_users)::float8 as engaged,
          sum(code_suggestions)::float8 as suggestions, sum(code_acceptances)::float8 as acceptances
        from copilot_metrics_days
        where ${scope} and day >= ${fromDay}::date and day < ${toDay}::date
        group by day)
      select date_trunc(${input.granularity}, day::timestamp) at time zone 'UTC' as bucket,
        count(*)::int as days, avg(active) as "activeUsersMean", max(active) as "activeUsersMax",
        avg(engaged) as "engagedUsersMean", coalesce(sum(suggestions), 0)::float8 as suggestions,
        coalesce(sum(acceptances), 0)::float8 as acceptances
      from daily group by 1 order by 1`.execute(db),
  ]);
  return { storedDays: stored.rows[0]?.n ?? 0, anyStored: stored.rows[0]?.any ?? false, series: series.rows };
}
