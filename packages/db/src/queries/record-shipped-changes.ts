import type { Db } from '../connection.ts';
import { upsertDeploymentChanges } from './upsert-deployment-changes.ts';

/**
 * Records the exact set of changes a deployment shipped, from the compare API between it and the
 * previous deployed SHA (docs/metrics.md, Change): `pullRequestIds` are linked with
 * `attribution = 'commit'` (replacing time links), the deployment's commits are marked known
 * (`commits_known`, so `linkChangesToDeployments` no longer links other changes to it by time),
 * and changes linked to it by time that it did not ship are unlinked (the next `deriveLinks`
 * links them to a deployment whose commits are unknown, or they stay "not yet deployed").
 * One transaction.
 */
export async function recordShippedChanges(
  db: Db,
  deploymentId: string,
  pullRequestIds: readonly string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('deployment_changes')
      .where('deployment_id', '=', deploymentId)
      .where('attribution', '=', 'time')
      .execute();
    await upsertDeploymentChanges(
      trx,
      pullRequestIds.map((pullRequestId) => ({
        pullRequestId,
        deploymentId,
        attribution: 'commit' as const,
      })),
    );
    await trx
      .updateTable('deployments')
      .set({ commits_known: true })
      .where('id', '=', deploymentId)
      .execute();
  });
}
