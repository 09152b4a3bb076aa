import type { PercentileSummary } from '@stride/metrics';
import { type RawBuilder, sql } from 'kysely';
import { isTeamMemberAt, mergedIntoDefaultBranch } from '../metric-scope.ts';

/** The team and period every team-health query is asked for. */
export interface TeamPeriod {
  teamId: string;
  from: Date;
  to: Date;
}

/** Result columns `<name>_p50`, `<name>_p90` (null when n = 0) and `<name>_n` of `percentileColumns`. */
export type PercentileColumns<Name extends string> = Record<`${Name}_p50` | `${Name}_p90`, number | null> &
  Record<`${Name}_n`, number>;

/** The p50, p90 and n of column `name` of the current relation, as `<name>_p50`, `<name>_p90`, `<name>_n`. */
export function percentileColumns(name: string): RawBuilder<unknown> {
  const column = sql.ref(name);
  return sql`percentile_cont(0.5) within group (order by ${column}) as ${sql.id(`${name}_p50`)},
    percentile_cont(0.9) within group (order by ${column}) as ${sql.id(`${name}_p90`)},
    count(${column})::int as ${sql.id(`${name}_n`)}`;
}

/** Reads the `percentileColumns(name)` of a row (a missing row: n = 0). */
export function takePercentiles<Name extends string>(
  row: PercentileColumns<Name> | undefined,
  name: Name,
): PercentileSummary {
  if (row === undefined) return { p50: null, p90: null, n: 0 };
  const percentiles: Record<`${Name}_p50` | `${Name}_p90`, number | null> = row;
  const counts: Record<`${Name}_n`, number> = row;
  return {
    p50: percentiles[`${name}_p50`],
    p90: percentiles[`${name}_p90`],
    n: Number(counts[`${name}_n`]),
  };
}

/**
 * Seconds of an interval as float8; a negative span counts as 0 and an unknown one (null) stays
 * null (a bare greatest() would turn null into 0).
 */
export function nonNegativeSeconds(interval: RawBuilder<unknown>): RawBuilder<number | null> {
  return sql<
    number | null
  >`case when (${interval}) is null then null else greatest(0, extract(epoch from ${interval}))::float8 end`;
}

/**
 * The four cycle-time phases of a PR in seconds (docs/metrics.md, PR cycle time), as SQL over
 * the `pull_requests` alias `p` and its production `deployedAt`: coding (first commit → opened,
 * i.e. ready for review: left draft, else created), pickup (opened → first review), review (first
 * review → merge), deploy (merge → deployment). Negative spans count as 0, unknown ends are null.
 * Team health takes their percentiles and the change list shows them per PR, from these same
 * expressions.
 */
export function cyclePhaseSeconds(p: string, deployedAt: RawBuilder<unknown>) {
  const pr = sql.id(p);
  const ready = sql`coalesce(${pr}.ready_for_review_at, ${pr}.created_at)`;
  return {
    coding: nonNegativeSeconds(sql`${ready} - ${pr}.first_commit_at`),
    pickup: nonNegativeSeconds(sql`${pr}.first_review_at - ${ready}`),
    review: nonNegativeSeconds(sql`${pr}.merged_at - ${pr}.first_review_at`),
    deploy: nonNegativeSeconds(sql`${deployedAt} - ${pr}.merged_at`),
  };
}

/**
 * The team's changes merged in [from, to): PRs merged into the default branch whose (non-bot)
 * author was a member on the day of `merged_at`, with the `deployed_at` of their production
 * deployment (null when not deployed). A subquery: columns of `pull_requests` + `deployed_at`.
 */
export function teamMergedPullRequests({ teamId, from, to }: TeamPeriod): RawBuilder<unknown> {
  return sql`
    select pr.*, d.deployed_at
    from pull_requests pr
    join repositories r on r.id = pr.repository_id
    left join deployment_changes dc on dc.pull_request_id = pr.id
    left join deployments d on d.id = dc.deployment_id and d.is_production
    where ${mergedIntoDefaultBranch('pr', 'r')} and not pr.author_is_bot
      and pr.merged_at >= ${from} and pr.merged_at < ${to}
      and ${isTeamMemberAt(teamId, sql.ref('pr.author_login'), sql.ref('pr.merged_at'))}`;
}

/**
 * The team's member logins of any time, lower-cased, as a relation with one column `login`: the
 * outer side of `cross join lateral (… where lower(x.login) = tl.login … offset 0)`, which makes
 * PostgreSQL probe the (lower(login), time) indexes once per member instead of scanning a whole
 * table (the `offset 0` keeps the subquery from being flattened into a hash join). Membership on
 * the day is still checked with `isTeamMemberAt`.
 */
export function teamLogins(teamId: string): RawBuilder<unknown> {
  return sql`(select distinct lower(tm.github_login) as login from team_memberships tm
    where tm.team_id = ${teamId}::bigint and tm.github_login is not null)`;
}

/**
 * `isTeamMemberAt` for a login already known to be one of the team's (`teamLogins`' `tl.login`,
 * lower-cased): only the dated check, one `exists` probe of the membership index. Inside the
 * per-login laterals the `in (team logins)` half of `isTeamMemberAt` was a second semi-join per
 * branch that changed nothing but cost planning and execution time.
 * @param login SQL expression of a lower-cased member login; @param at SQL timestamptz
 */
export function teamLoginMemberAt(teamId: string, login: RawBuilder<unknown>, at: RawBuilder<unknown>) {
  return sql<boolean>`exists (select 1 from team_memberships tm
    where tm.team_id = ${teamId}::bigint and lower(tm.github_login) = ${login}
      and (${at} at time zone 'UTC')::date >= tm.valid_from
      and (tm.valid_to is null or (${at} at time zone 'UTC')::date <= tm.valid_to))`;
}
