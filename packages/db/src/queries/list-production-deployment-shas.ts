import type { Db } from '../connection.ts';

export interface DeployedSha {
  id: string;
  sha: string;
  deployedAt: Date;
}

/**
 * Successful production deployments of a repository that carry a SHA, oldest first: the
 * consecutive pairs the collector compares to link changes exactly (docs/metrics.md, Change).
 */
export async function listProductionDeploymentShas(db: Db, repositoryId: string): Promise<DeployedSha[]> {
  const rows = await db
    .selectFrom('deployments')
    .select(['id', 'sha', 'deployed_at'])
    .where('repository_id', '=', repositoryId)
    .where('is_production', '=', true)
    .where('status', '=', 'success')
    .where('deployed_at', 'is not', null)
    .where('sha', 'is not', null)
    .orderBy('deployed_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, sha: r.sha!, deployedAt: r.deployed_at! }));
}
