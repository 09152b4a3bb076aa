import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import { rollupListTotal } from './list-rollup-total.ts';
import { flag, type ListResult, type ListWindow, orderBy, paged } from './list-window.ts';
import { deploymentFailed, deploymentInScope, type MetricScope } from './metric-scope.ts';

/** Sort keys of the deployment list and what each orders by. */
export const DEPLOYMENT_SORT_KEYS = {
  deployedAt: sql.ref('d.deployed_at'),
  repository: sql.ref('r.full_name'),
  changes: sql`(select count(*) from deployment_changes dc where dc.deployment_id = d.id)`,
};

/** An incident a deployment caused (`incidents.caused_by_deployment_id`). */
export interface CausedIncidentRow {
  id: string;
  source: string;
  key: string | null;
  title: string;
  url: string | null;
}

/** A PR a deployment shipped (`deployment_changes`), linked by its merge commit or by time. */
export interface ShippedPullRequestRow {
  repository: string;
  number: number;
  title: string;
  url: string | null;
  attribution: 'commit' | 'time';
}

/** PRs listed per deployment; `changes` gives how many it shipped in all. */
export const SHIPPED_PULL_REQUESTS_LIMIT = 20;

export interface DeploymentListRow {
  id: string;
  repository: string;
  team: string | null;
  source: string;
  environment: string;
  sha: string | null;
  deployedAt: Date;
  failed: boolean;
  rolledBack: boolean;
  unplanned: boolean;
  changes: number;
  url: string | null;
  /** The incidents it caused, by start time. */
  incidents: CausedIncidentRow[];
  /** The first SHIPPED_PULL_REQUESTS_LIMIT PRs it shipped, by merge time. */
  pullRequests: ShippedPullRequestRow[];
}

/**
 * The production deployments behind a DORA figure: scope, `deployed_at` in [from, to), and
 * optionally only failed (caused an incident or rolled back) or unplanned ones — exactly the rows
 * deployment frequency, change failure rate and rework rate count. Each row carries its causes
 * and contents: the incidents it caused and the PRs it shipped (up to SHIPPED_PULL_REQUESTS_LIMIT).
 */
export async function listDeployments(
  db: Db,
  filter: { scope: MetricScope; from: Date; to: Date; failed?: boolean; unplanned?: boolean },
  window: ListWindow,
): Promise<ListResult<DeploymentListRow>> {
  const where = sql`d.is_production and d.deployed_at is not null
    and d.deployed_at >= ${filter.from} and d.deployed_at < ${filter.to}
    and ${deploymentInScope(filter.scope, 'd')}
    ${flag(filter.failed, deploymentFailed('d'))}
    ${flag(filter.unplanned, sql<boolean>`d.is_unplanned`)}`;
  const ordered = orderBy(window, DEPLOYMENT_SORT_KEYS, sql.ref('d.id'), [
    'deployedAt',
    'repository',
    'changes',
  ]);
  // The day rollups count production deployments, failed and unplanned ones per day x team x
  // repository: one of those filters (or none) is a stored count; both at once are counted raw.
  const stored =
    filter.failed !== undefined && filter.unplanned !== undefined
      ? null
      : filter.failed !== undefined
        ? filter.failed
          ? sql`r.failed`
          : sql`r.deployments - r.failed`
        : filter.unplanned !== undefined
          ? filter.unplanned
            ? sql`r.unplanned`
            : sql`r.deployments - r.unplanned`
          : sql`r.deployments`;
  const count = stored
    ? rollupListTotal({
        scope: filter.scope,
        from: filter.from,
        to: filter.to,
        stored,
        rawCount: (lo, hi) =>
          sql`select count(*) from deployments d where ${where} and d.deployed_at >= ${lo} and d.deployed_at < ${hi}`,
      })
    : sql<{ total: number }>`select count(*)::int as total from deployments d where ${where}`;
  // The window's ids first, then the columns of those rows only: the incidents, PRs, team and
  // change count subqueries ran for every row the OFFSET skipped (page 20: 1,000 rows for 50).
  return paged(
    db,
    sql<DeploymentListRow>`
        with page as materialized (
          select d.id from deployments d join repositories r on r.id = d.repository_id
          where ${where} ${ordered}
          limit ${window.limit} offset ${window.offset}
        )
        select d.id::text as id, r.full_name as repository,
          (select t.slug from team_repositories tr join teams t on t.id = tr.team_id
            where tr.repository_id = d.repository_id order by t.slug limit 1) as team,
          d.source, d.environment, d.sha, d.deployed_at as "deployedAt",
          ${deploymentFailed('d')} as failed, d.rolled_back as "rolledBack", d.is_unplanned as unplanned,
          (select count(*)::int from deployment_changes dc where dc.deployment_id = d.id) as changes,
          d.url,
          coalesce((select json_agg(json_build_object('id', i.id::text, 'source', i.source, 'key', i.key, 'title', i.title,
              'url', i.url) order by i.started_at, i.id)
            from incidents i where i.caused_by_deployment_id = d.id), '[]'::json) as incidents,
          coalesce((select json_agg(json_build_object('repository', s.repository, 'number', s.number,
              'title', s.title, 'url', s.url, 'attribution', s.attribution) order by s.merged_at, s.id)
            from (select p.id, p.number, p.title, p.html_url as url, p.merged_at, pr.full_name as repository,
                dc.attribution
              from deployment_changes dc join pull_requests p on p.id = dc.pull_request_id
                join repositories pr on pr.id = p.repository_id
              where dc.deployment_id = d.id
              order by p.merged_at, p.id limit ${SHIPPED_PULL_REQUESTS_LIMIT}) s), '[]'::json) as "pullRequests"
        from deployments d join repositories r on r.id = d.repository_id
        where d.id in (select id from page)
        ${ordered}`,
    count,
  );
}
