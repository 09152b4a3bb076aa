import type { Granularity } from '@stride/metrics';
import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import { collectDoraRows, type DoraAggregates, type DoraRowSets } from './get-dora-aggregates.ts';
import { deploymentFailed, mergedIntoDefaultBranch } from './metric-scope.ts';

/**
 * The DORA aggregates of every team at once (docs/metrics.md, "Which team a figure belongs to"),
 * the same figures `getDoraAggregates` gives for one team scope, in four statements for all teams
 * instead of four per team: each row carries its team (`group by grouping sets ((team),
 * (team, bucket))`).
 * - deployments: the teams owning the deployment's repository;
 * - changes: the teams the author belonged to on the UTC day of `merged_at` (dated memberships);
 * - incidents: the incident's own team, else the teams owning its repository or its Jira project.
 * @returns aggregates by team id (our `teams.id`); a team with no rows in the period is absent.
 */
export async function getTeamsDoraAggregates(
  db: Db,
  input: { from: Date; to: Date; granularity?: Granularity | undefined },
): Promise<Map<string, DoraAggregates>> {
  const { from, to, granularity } = input;
  const bucketOf = (column: string) =>
    granularity
      ? sql`date_trunc(${granularity}, ${sql.ref(column)} at time zone 'UTC') at time zone 'UTC'`
      : sql`null::timestamptz`;
  const groups = sql`grouping sets ((group_key), (group_key, bucket))`;

  const deployments = sql<DoraRowSets['deployments'][number]>`
    select group_key, bucket, grouping(bucket) as is_total, count(*)::int as deployments,
           count(distinct day)::int as deployment_days,
           count(*) filter (where failed)::int as failed,
           count(*) filter (where unplanned)::int as unplanned
    from (
      select tr.team_id::text as group_key, ${bucketOf('d.deployed_at')} as bucket,
             (d.deployed_at at time zone 'UTC')::date as day,
             ${deploymentFailed('d')} as failed, d.is_unplanned as unplanned
      from deployments d
      join team_repositories tr on tr.repository_id = d.repository_id
      where d.is_production and d.deployed_at is not null
        and d.deployed_at >= ${from} and d.deployed_at < ${to}
    ) x
    group by ${groups}`.execute(db);

  const leadTimes = sql<DoraRowSets['leadTimes'][number]>`
    select group_key, bucket, grouping(bucket) as is_total,
           percentile_cont(0.5) within group (order by seconds) as p50,
           percentile_cont(0.9) within group (order by seconds) as p90,
           count(*)::int as n,
           count(*) filter (where attribution = 'commit')::int as commit,
           count(*) filter (where attribution = 'time')::int as time
    from (
      select m.team_id::text as group_key, ${bucketOf('d.deployed_at')} as bucket, dc.attribution,
             extract(epoch from d.deployed_at - pr.first_commit_at)::float8 as seconds
      from pull_requests pr
      join repositories r on r.id = pr.repository_id
      join deployment_changes dc on dc.pull_request_id = pr.id
      join deployments d on d.id = dc.deployment_id
      -- every team the author was a member of on the day of the merge, once per team
      join lateral (
        select distinct tm.team_id from team_memberships tm
        where tm.github_login is not null and lower(tm.github_login) = lower(pr.author_login)
          and (pr.merged_at at time zone 'UTC')::date >= tm.valid_from
          and (tm.valid_to is null or (pr.merged_at at time zone 'UTC')::date <= tm.valid_to)
      ) m on true
      where ${mergedIntoDefaultBranch('pr', 'r')} and pr.first_commit_at is not null and not pr.author_is_bot
        and d.is_production and d.deployed_at >= ${from} and d.deployed_at < ${to}
    ) x
    group by ${groups}`.execute(db);

  const recoveries = sql<DoraRowSets['recoveries'][number]>`
    select group_key, bucket, grouping(bucket) as is_total,
           percentile_cont(0.5) within group (order by seconds) as p50,
           percentile_cont(0.9) within group (order by seconds) as p90,
           count(*)::int as n
    from (
      select t.team_id::text as group_key, ${bucketOf('i.resolved_at')} as bucket,
             extract(epoch from i.resolved_at - i.started_at)::float8 as seconds
      from incidents i
      join lateral (
        select i.team_id as team_id where i.team_id is not null
        union select tr.team_id from team_repositories tr
          where i.team_id is null and tr.repository_id = i.repository_id
        union select tjp.team_id from team_jira_projects tjp
          where i.team_id is null and tjp.project_key = i.jira_project_key
      ) t on true
      where i.caused_by_deployment_id is not null and i.resolved_at is not null
        and i.resolved_at >= ${from} and i.resolved_at < ${to}
    ) x
    group by ${groups}`.execute(db);

  const dates = sql<DoraRowSets['dates'][number]>`
    select distinct tr.team_id::text as group_key, (d.deployed_at at time zone 'UTC')::date as day
    from deployments d
    join team_repositories tr on tr.repository_id = d.repository_id
    where d.is_production and d.deployed_at is not null
      and d.deployed_at >= ${from} and d.deployed_at < ${to}
    order by group_key, day`.execute(db);

  const [dep, lead, rec, days] = await Promise.all([deployments, leadTimes, recoveries, dates]);
  return collectDoraRows(dep.rows, lead.rows, rec.rows, days.rows);
}
