import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import { flag, type ListResult, type ListWindow, orderBy, paged } from './list-window.ts';
import { deploymentFailed, deploymentInScope, type MetricScope } from './metric-scope.ts';

/** Sort keys of the deployment list and what each orders by. */
export const DEPLOYMENT_SORT_KEYS = {
  deployedAt: sql.ref('d.deployed_at'),
  repository: sql.ref('r.full_name'),
  changes: sql`(select count(*) from deployment_changes dc where dc.deployment_id = d.id)`,
};

export interface DeploymentListRow {
  id: string;
  repository: string;
  team: string | null;
  source: string;
  environment: string;
  sha: string | null;
  deployedAt: Date;
  failed: boolean;
  unplanned: boolean;
  changes: number;
  url: string | null;
}

/**
 * The production deployments behind a DORA figure: scope, `deployed_at` in [from, to), and
 * optionally only failed (caused an incident or rolled back) or unplanned ones — exactly the rows
 * deployment frequency, change failure rate and rework rate count.
 */
export async function listDeployments(
  db: Db,
  filter: { scope: MetricScope; from: Date; to: Date; failed?: boolean; unplanned?: boolean },
  window: ListWindow,
): Promise<ListResult<DeploymentListRow>> {
  return paged(
    db,
    window,
    (limit, offset) =>
      sql<DeploymentListRow & { total: number }>`
        select d.id::text as id, r.full_name as repository,
          (select t.slug from team_repositories tr join teams t on t.id = tr.team_id
            where tr.repository_id = d.repository_id order by t.slug limit 1) as team,
          d.source, d.environment, d.sha, d.deployed_at as "deployedAt",
          ${deploymentFailed('d')} as failed, d.is_unplanned as unplanned,
          (select count(*)::int from deployment_changes dc where dc.deployment_id = d.id) as changes,
          d.url, count(*) over ()::int as total
        from deployments d join repositories r on r.id = d.repository_id
        where d.is_production and d.deployed_at is not null
          and d.deployed_at >= ${filter.from} and d.deployed_at < ${filter.to}
          and ${deploymentInScope(filter.scope, 'd')}
          ${flag(filter.failed, deploymentFailed('d'))}
          ${flag(filter.unplanned, sql<boolean>`d.is_unplanned`)}
        ${orderBy(window, DEPLOYMENT_SORT_KEYS, sql.ref('d.id'))}
      limit ${limit} offset ${offset}`,
  );
}
