import { type RawBuilder, sql } from 'kysely';

/**
 * What a figure is computed over (docs/metrics.md, Team): the whole org, one team (by our id) or
 * one repository (by our id). These helpers give the SQL predicates that select a scope's rows;
 * they are shared by the metric and drill-down queries so that a drill-down lists exactly the
 * rows behind a figure.
 */
export type MetricScope =
  | { type: 'org' }
  | { type: 'team'; teamId: string }
  | { type: 'repository'; repositoryId: string };

/** A deployment belongs to the team that owns its repository. `d` = deployments alias. */
export function deploymentInScope(scope: MetricScope, alias = 'd'): RawBuilder<boolean> {
  const d = sql.id(alias);
  if (scope.type === 'team') {
    return sql<boolean>`${d}.repository_id in (select tr.repository_id from team_repositories tr where tr.team_id = ${scope.teamId}::bigint)`;
  }
  if (scope.type === 'repository') return sql<boolean>`${d}.repository_id = ${scope.repositoryId}::bigint`;
  return sql<boolean>`true`;
}

/**
 * `login` was a member of team `teamId` on the UTC day of `at` (memberships are dated, inclusive).
 * @param login SQL expression of a GitHub login; @param at SQL expression of a timestamptz
 */
export function isTeamMemberAt(teamId: string, login: RawBuilder<unknown>, at: RawBuilder<unknown>) {
  // The `in` lets the planner drive the (lower(login), time) indexes from the team's few logins.
  return sql<boolean>`lower(${login}) in (select lower(tm.github_login) from team_memberships tm
      where tm.team_id = ${teamId}::bigint and tm.github_login is not null)
    and exists (select 1 from team_memberships tm
    where tm.team_id = ${teamId}::bigint and lower(tm.github_login) = lower(${login})
      and (${at} at time zone 'UTC')::date >= tm.valid_from
      and (tm.valid_to is null or (${at} at time zone 'UTC')::date <= tm.valid_to))`;
}

/**
 * A change (merged PR) belongs to the team its author was a member of on the day of `merged_at`;
 * at repository level, to its repository. `pr` = pull_requests alias.
 */
export function changeInScope(scope: MetricScope, alias = 'pr'): RawBuilder<boolean> {
  if (scope.type === 'team') {
    return isTeamMemberAt(scope.teamId, sql.ref(`${alias}.author_login`), sql.ref(`${alias}.merged_at`));
  }
  if (scope.type === 'repository') {
    return sql<boolean>`${sql.id(alias)}.repository_id = ${scope.repositoryId}::bigint`;
  }
  return sql<boolean>`true`;
}

/**
 * An incident belongs to its team (`team_id`), else to the team owning its repository or its
 * Jira project. `i` = incidents alias.
 */
export function incidentInScope(scope: MetricScope, alias = 'i'): RawBuilder<boolean> {
  const i = sql.id(alias);
  if (scope.type === 'team') {
    const t = sql`${scope.teamId}::bigint`;
    return sql<boolean>`(${i}.team_id = ${t} or (${i}.team_id is null and (
      ${i}.repository_id in (select tr.repository_id from team_repositories tr where tr.team_id = ${t})
      or ${i}.jira_project_key in (select tjp.project_key from team_jira_projects tjp where tjp.team_id = ${t}))))`;
  }
  if (scope.type === 'repository') return sql<boolean>`${i}.repository_id = ${scope.repositoryId}::bigint`;
  return sql<boolean>`true`;
}

/** A PR merged into its repository's default branch (a change). `pr`, `r` = aliases. */
export function mergedIntoDefaultBranch(pr = 'pr', r = 'r'): RawBuilder<boolean> {
  const p = sql.id(pr);
  return sql<boolean>`${p}.merged_at is not null and (${p}.base_branch is null or ${p}.base_branch = ${sql.id(r)}.default_branch)`;
}

/** A deployment that failed: it caused an incident or was rolled back / reverted. */
export function deploymentFailed(alias = 'd'): RawBuilder<boolean> {
  const d = sql.id(alias);
  return sql<boolean>`(${d}.rolled_back or exists (select 1 from incidents fi where fi.caused_by_deployment_id = ${d}.id))`;
}

/**
 * A PR open at instant `at`: created before it, and neither merged nor closed before it (an end
 * at `at` or later, or none). Written as one range over `coalesce(least(merged_at, closed_at),
 * 'infinity')` (`least` skips nulls) so that it reads `pull_requests_author_open_idx` from a
 * member's login instead of every PR the member ever opened. `pr` = pull_requests alias.
 */
export function pullRequestOpenAt(at: Date, alias = 'pr'): RawBuilder<boolean> {
  const p = sql.id(alias);
  return sql<boolean>`coalesce(least(${p}.merged_at, ${p}.closed_at), 'infinity'::timestamptz) >= ${at}
    and ${p}.created_at < ${at}`;
}
