import { type RawBuilder, sql } from 'kysely';
import type { MetricScope } from './metric-scope.ts';
import { rawRangesCtes, splitRollupPeriod } from './rollups/split-rollup-period.ts';

/**
 * The exact total of a drill-down list whose rows `dora_day_rollups` counts per UTC day (the
 * org's production deployments of a quarter: 53,000 rows to count; 2 years: 400,000), as one
 * count statement (one snapshot) that reads what `readDoraRollups` reads: the stored count of the
 * whole UTC days inside [from, to) that are not queued in `rollup_dirty`, plus the raw rows
 * counted (`rawCount`) for the partial days at the period's edges, the queued days, or the whole
 * period when the rollups were never built or must be rebuilt (`all`; `teams` for a team).
 * The stored and raw parts cover disjoint ranges whose union is [from, to), so the sum is the
 * list's `count(*)` (list-rollup-total.test.ts compares both on random periods and filters).
 * @param stored the count column(s) of rollup row `r` (integers), e.g. `r.deployments - r.failed`
 * @param rawCount a scalar subquery: the list's rows counted with its time column in [lo, hi)
 * @returns `select <total>::int as total` (the `count` statement of `paged`)
 */
export function rollupListTotal(input: {
  scope: MetricScope;
  from: Date;
  to: Date;
  stored: RawBuilder<unknown>;
  rawCount: (lo: RawBuilder<unknown>, hi: RawBuilder<unknown>) => RawBuilder<unknown>;
}): RawBuilder<{ total: number }> {
  const { scope, from, to, stored, rawCount } = input;
  // Whole UTC days [day1, day2) from the store; the partial edge days from the raw rows.
  const split = splitRollupPeriod(from, to);
  const { day1, day2 } = split;
  // The rows of the scope: the org's and a repository's are `team_id = 0` (each item once), a
  // team's its own; `repository_id = -1` is the day's row over all repositories.
  const rowFilter =
    scope.type === 'org'
      ? sql`r.team_id = 0 and r.repository_id = -1`
      : scope.type === 'repository'
        ? sql`r.team_id = 0 and r.repository_id = ${scope.repositoryId}::bigint`
        : sql`r.team_id = ${scope.teamId}::bigint and r.repository_id = -1`;
  return sql<{ total: number }>`
    with ${rawRangesCtes({ from, to, split, teamScoped: scope.type === 'team' })}
    select (
      coalesce((select sum(${stored}) from dora_day_rollups r
        where ${rowFilter} and r.day >= ${day1}::date and r.day < ${day2}::date
          and not (select v from whole) and r.day not in (select day from fresh)), 0)
      + coalesce((select sum(c.n) from ranges g
          cross join lateral (select (${rawCount(sql.ref('g.lo'), sql.ref('g.hi'))}) as n offset 0) c), 0)
    )::int as total`;
}
