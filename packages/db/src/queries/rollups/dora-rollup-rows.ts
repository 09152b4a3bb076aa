import { type RawBuilder, sql } from 'kysely';
import { deploymentFailed, mergedIntoDefaultBranch } from '../metric-scope.ts';

/**
 * Which keys of `dora_day_rollups` to build: the org rows (`team_id = 0`, each item once) and/or
 * the team rows (every team, or one team by id: an item in each team it belongs to).
 */
export interface RollupKeys {
  org: boolean;
  teams: 'none' | 'all' | { teamId: string };
}

/**
 * The rows of `dora_day_rollups` computed from the raw tables, as a SQL subquery with the table's
 * columns (day, team_id, repository_id, deployments, failed, unplanned, lead_seconds, lead_commit,
 * lead_time, recovery_seconds), for the items whose time falls in one of `ranges` (a relation of
 * disjoint half-open [lo, hi) timestamptz ranges; the refresh passes whole UTC days). Each day
 * gets a row per repository and one over all repositories (`repository_id = -1`). The refresh stores these rows; readers build the days the
 * store cannot answer (partial days at a period's edges, days changed since the last refresh)
 * with the same SQL, so both give the raw statements' figures (get-dora-aggregates.ts):
 * - deployments: production, by `deployed_at`, failed = caused an incident or rolled back;
 * - lead times: `deployed_at - first_commit_at` (float8 seconds, the raw statement's expression)
 *   of non-bot changes merged into the default branch, by the deployment's day and the change's
 *   repository; teams: every team the author was a member of on the UTC day of `merged_at`;
 * - recovery times: `resolved_at - started_at` of caused incidents, by `resolved_at`; teams: the
 *   incident's own team, else the teams owning its repository or its Jira project.
 * Lead-time rows are keyed by the change's repository and found through its deployment's
 * repository: linking only links a change to deployments of its own repository.
 */
export function doraRollupRows(input: {
  ranges: RawBuilder<unknown>;
  keys: RollupKeys;
}): RawBuilder<unknown> {
  const { ranges, keys } = input;
  const depDay = sql`(d.deployed_at at time zone 'UTC')::date`;
  const incDay = sql`(i.resolved_at at time zone 'UTC')::date`;
  const oneTeam = typeof keys.teams === 'object' ? sql`${keys.teams.teamId}::bigint` : null;

  const depTeams =
    keys.teams === 'none'
      ? sql``
      : sql`union all select x.day, tr.team_id, x.repository_id, x.failed, x.unplanned
            from dep x join team_repositories tr on tr.repository_id = x.repository_id
            ${oneTeam ? sql`and tr.team_id = ${oneTeam}` : sql``}`;
  const leadTeams =
    keys.teams === 'none'
      ? sql``
      : sql`union all select x.day, m.team_id, x.repository_id, x.attribution, x.seconds
            from lead x join lateral (
              select distinct tm.team_id from team_memberships tm
              where tm.github_login is not null and lower(tm.github_login) = lower(x.author_login)
                and (x.merged_at at time zone 'UTC')::date >= tm.valid_from
                and (tm.valid_to is null or (x.merged_at at time zone 'UTC')::date <= tm.valid_to)
                ${oneTeam ? sql`and tm.team_id = ${oneTeam}` : sql``}
            ) m on true`;
  const recTeams =
    keys.teams === 'none'
      ? sql``
      : sql`union all select x.day, t.team_id, x.repository_id, x.seconds
            from rec x join lateral (
              select x.team_id as team_id where x.team_id is not null
              union select tr.team_id from team_repositories tr
                where x.team_id is null and tr.repository_id = x.raw_repository_id
              union select tjp.team_id from team_jira_projects tjp
                where x.team_id is null and tjp.project_key = x.jira_project_key
            ) t on true ${oneTeam ? sql`where t.team_id = ${oneTeam}` : sql``}`;
  // Per repository, and per day x team over all repositories (`repository_id = -1`): org and
  // team figures read one row a day, repository figures the repository's rows.
  const perRepositoryAndAll = sql`grouping sets ((day, team_id, repository_id), (day, team_id))`;
  const orgKeyed = (select: RawBuilder<unknown>) =>
    keys.org ? select : sql`select * from (${select}) s where false`;

  return sql`(
    with w as (select lo, hi from ${ranges} r(lo, hi)),
    -- Laterals fenced with \`offset 0\` (not pulled up): each range drives the indexes (deployed_at,
    -- resolved_at; changes by deployment, PRs by id) whatever the planner guesses of its width.
    base as materialized (
      select d.id, ${depDay} as day, d.repository_id, d.deployed_at, d.rolled_back, d.is_unplanned
      from w cross join lateral (
        select d.* from deployments d
        where d.deployed_at >= w.lo and d.deployed_at < w.hi and d.is_production and d.deployed_at is not null
        offset 0
      ) d
    ),
    dep as (
      select d.day, d.repository_id, ${deploymentFailed('d')} as failed, d.is_unplanned as unplanned from base d
    ),
    lead as (
      select d.day, c.repository_id, c.author_login, c.merged_at, c.attribution,
             extract(epoch from d.deployed_at - c.first_commit_at)::float8 as seconds
      from base d cross join lateral (
        select pr.repository_id, pr.author_login, pr.merged_at, pr.first_commit_at, dc.attribution
        from deployment_changes dc
        join pull_requests pr on pr.id = dc.pull_request_id
        join repositories r on r.id = pr.repository_id
        where dc.deployment_id = d.id and ${mergedIntoDefaultBranch('pr', 'r')} and pr.first_commit_at is not null
          and not pr.author_is_bot
        offset 0
      ) c
    ),
    rec as (
      select ${incDay} as day, coalesce(i.repository_id, 0) as repository_id, i.repository_id as raw_repository_id,
             i.team_id, i.jira_project_key,
             extract(epoch from i.resolved_at - i.started_at)::float8 as seconds
      from w cross join lateral (
        select i.* from incidents i
        where i.resolved_at >= w.lo and i.resolved_at < w.hi and i.caused_by_deployment_id is not null
        offset 0
      ) i
    ),
    dep_keyed as (${orgKeyed(sql`select x.day, 0::bigint as team_id, x.repository_id, x.failed, x.unplanned from dep x`)} ${depTeams}),
    lead_keyed as (${orgKeyed(sql`select x.day, 0::bigint as team_id, x.repository_id, x.attribution, x.seconds from lead x`)} ${leadTeams}),
    rec_keyed as (${orgKeyed(sql`select x.day, 0::bigint as team_id, x.repository_id, x.seconds from rec x`)} ${recTeams}),
    parts as (
      select day, team_id, coalesce(repository_id, -1) as repository_id, count(*)::int as deployments,
             count(*) filter (where failed)::int as failed, count(*) filter (where unplanned)::int as unplanned,
             null::float8[] as lead_seconds, 0 as lead_commit, 0 as lead_time, null::float8[] as recovery_seconds
      from dep_keyed group by ${perRepositoryAndAll}
      union all
      select day, team_id, coalesce(repository_id, -1), 0, 0, 0, array_agg(seconds order by seconds),
             count(*) filter (where attribution = 'commit')::int, count(*) filter (where attribution = 'time')::int, null
      from lead_keyed group by ${perRepositoryAndAll}
      union all
      select day, team_id, coalesce(repository_id, -1), 0, 0, 0, null, 0, 0, array_agg(seconds order by seconds)
      from rec_keyed group by ${perRepositoryAndAll}
    )
    select day, team_id, repository_id, sum(deployments)::int as deployments, sum(failed)::int as failed,
           sum(unplanned)::int as unplanned, coalesce(max(lead_seconds), '{}') as lead_seconds,
           sum(lead_commit)::int as lead_commit, sum(lead_time)::int as lead_time,
           coalesce(max(recovery_seconds), '{}') as recovery_seconds
    from parts group by day, team_id, repository_id
  )`;
}
