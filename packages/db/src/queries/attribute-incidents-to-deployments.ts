import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { LinkWatermark } from './get-link-watermark.ts';

/**
 * Sets `caused_by_deployment_id` of incidents that have none (docs/metrics.md, Incident):
 * 1. the deployment the incident names (`deployment_ref`: our id, the source's external id, or
 *    a commit SHA of its repository);
 * 2. otherwise the last successful production deployment **before `started_at`** and within
 *    `windowDays`, of the incident's repository; for an incident without repository, of any
 *    repository owned by its team (its `team_id`, or the team owning its Jira project).
 *
 * With `since` (a watermark read before the rows were written), attribution by time looks only at
 * incidents written after it and at unattributed incidents that a deployment written after it
 * precedes within the window: linear in new rows.
 *
 * @param windowDays attribution window in days (config `incidents.attributionWindowDays`, default 7)
 * @param since only rows newer than this watermark (default: every unattributed incident)
 * @returns number of incidents newly attributed
 */
export async function attributeIncidentsToDeployments(
  db: Db,
  windowDays = 7,
  since?: LinkWatermark,
): Promise<number> {
  const fresh = since
    ? sql`and (i.id > ${since.incidentId}::bigint or exists (
        select 1 from deployments d
        where d.id > ${since.deploymentId}::bigint and d.is_production and d.deployed_at is not null
          and d.deployed_at < i.started_at and d.deployed_at >= i.started_at - make_interval(days => ${windowDays})
          and (i.repository_id is null or d.repository_id = i.repository_id)))`
    : sql``;
  const named = await sql`
    update incidents i set caused_by_deployment_id = (
      select d.id from deployments d
      where (d.id::text = i.deployment_ref or d.external_id = i.deployment_ref
             or (d.sha is not null and d.sha = i.deployment_ref))
        and (i.repository_id is null or d.repository_id = i.repository_id)
      order by d.deployed_at desc nulls last, d.id desc limit 1)
    where i.caused_by_deployment_id is null and i.deployment_ref is not null
      and exists (select 1 from deployments d
                  where d.id::text = i.deployment_ref or d.external_id = i.deployment_ref or d.sha = i.deployment_ref)`.execute(
    db,
  );

  // One index probe per incident and candidate repository (deployments_repo_deployed_idx:
  // repository_id, deployed_at, production only), newest first, LIMIT 1: linear in the
  // incidents still unattributed, whatever the number of deployments. An OR of "its repository"
  // and "its team's repositories" in one subquery defeated that index.
  const byTime = await sql`
    with incident_team as (
      select i.id, i.started_at, i.repository_id,
             coalesce(i.team_id, (select tjp.team_id from team_jira_projects tjp
                                  where tjp.project_key = i.jira_project_key order by tjp.team_id limit 1)) as team_id
      from incidents i
      where i.caused_by_deployment_id is null and i.deployment_ref is null ${fresh}
    ), candidate_repository as (
      select it.id, it.started_at, it.repository_id from incident_team it where it.repository_id is not null
      union all
      select it.id, it.started_at, tr.repository_id
      from incident_team it join team_repositories tr on tr.team_id = it.team_id
      where it.repository_id is null
    ), cause as (
      select distinct on (cr.id) cr.id, last.id as deployment_id
      from candidate_repository cr
      cross join lateral (
        select d.id, d.deployed_at from deployments d
        where d.repository_id = cr.repository_id and d.is_production and d.deployed_at is not null
          and d.deployed_at < cr.started_at
          and d.deployed_at >= cr.started_at - make_interval(days => ${windowDays})
        order by d.deployed_at desc, d.id desc limit 1) last
      order by cr.id, last.deployed_at desc, last.id desc
    )
    update incidents i set caused_by_deployment_id = cause.deployment_id
    from cause
    where cause.id = i.id`.execute(db);
  return Number(named.numAffectedRows ?? 0) + Number(byTime.numAffectedRows ?? 0);
}
