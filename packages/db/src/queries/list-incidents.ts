import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import { flag, type ListResult, type ListWindow, orderBy, paged } from './list-window.ts';
import { incidentInScope, type MetricScope } from './metric-scope.ts';

/** Sort keys of the incident list and what each orders by. */
export const INCIDENT_SORT_KEYS = {
  startedAt: sql.ref('i.started_at'),
  resolvedAt: sql.ref('i.resolved_at'),
  recovery: sql`(i.resolved_at - i.started_at)`,
};

/** The deployment an incident is attributed to, named as people know it. */
export interface CausingDeploymentRow {
  id: string;
  repository: string;
  environment: string;
  sha: string | null;
  ref: string | null;
  /** ISO-8601 UTC (`…Z`), whatever the session's time zone. */
  deployedAt: string | null;
  url: string | null;
}

export interface IncidentListRow {
  id: string;
  source: string;
  key: string | null;
  title: string;
  repository: string | null;
  team: string | null;
  startedAt: Date;
  resolvedAt: Date | null;
  recoverySeconds: number | null;
  causedByDeploymentId: string | null;
  /** The causing deployment's repository, environment, commit and time; null when none. */
  causedBy: CausingDeploymentRow | null;
  url: string | null;
}

/**
 * The incidents behind a figure: scope, `started_at` (default; incident load) or `resolved_at`
 * (recovery time) in [from, to), optionally only those caused by a deployment or resolved. Each
 * row names the deployment that caused it (repository, environment, commit, time).
 */
export async function listIncidents(
  db: Db,
  filter: {
    scope: MetricScope;
    from: Date;
    to: Date;
    dateField?: 'started' | 'resolved';
    caused?: boolean;
    resolved?: boolean;
  },
  window: ListWindow,
): Promise<ListResult<IncidentListRow>> {
  const column = sql.ref(filter.dateField === 'resolved' ? 'i.resolved_at' : 'i.started_at');
  const where = sql`${column} >= ${filter.from} and ${column} < ${filter.to}
    and ${incidentInScope(filter.scope, 'i')}
    ${flag(filter.caused, sql<boolean>`i.caused_by_deployment_id is not null`)}
    ${flag(filter.resolved, sql<boolean>`i.resolved_at is not null`)}`;
  const ordered = orderBy(window, INCIDENT_SORT_KEYS, sql.ref('i.id'), ['startedAt']);
  // The window's ids first, then the columns of those rows only (the team and causing deployment
  // subqueries ran for every row the OFFSET skipped).
  return paged(
    db,
    sql<IncidentListRow>`
        with page as materialized (
          select i.id from incidents i where ${where} ${ordered}
          limit ${window.limit} offset ${window.offset}
        )
        select i.id::text as id, i.source, i.key, i.title, r.full_name as repository,
          coalesce(
            (select t.slug from teams t where t.id = i.team_id),
            (select t.slug from team_repositories tr join teams t on t.id = tr.team_id
              where tr.repository_id = i.repository_id order by t.slug limit 1),
            (select t.slug from team_jira_projects tjp join teams t on t.id = tjp.team_id
              where tjp.project_key = i.jira_project_key order by t.slug limit 1)) as team,
          i.started_at as "startedAt", i.resolved_at as "resolvedAt",
          extract(epoch from i.resolved_at - i.started_at)::float8 as "recoverySeconds",
          i.caused_by_deployment_id::text as "causedByDeploymentId",
          (select json_build_object('id', d.id::text, 'repository', dr.full_name, 'environment', d.environment,
              'sha', d.sha, 'ref', d.ref,
              'deployedAt', to_char(d.deployed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'url', d.url)
            from deployments d join repositories dr on dr.id = d.repository_id
            where d.id = i.caused_by_deployment_id) as "causedBy",
          i.url
        from incidents i left join repositories r on r.id = i.repository_id
        where i.id in (select id from page)
        ${ordered}`,
    sql<{ total: number }>`select count(*)::int as total from incidents i where ${where}`,
  );
}
