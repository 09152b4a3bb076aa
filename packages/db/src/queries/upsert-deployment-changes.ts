import type { Db } from '../connection.ts';
import type { Attribution } from '../schema.ts';

export interface DeploymentChangeLink {
  pullRequestId: string;
  deploymentId: string;
  attribution: Attribution;
}

/**
 * Records which deployment shipped each change. A change keeps the **earliest** deploying
 * deployment, and an exact (`commit`) link replaces a `time` link (docs/metrics.md, Change).
 */
export async function upsertDeploymentChanges(db: Db, links: readonly DeploymentChangeLink[]): Promise<void> {
  if (links.length === 0) return;
  await db
    .insertInto('deployment_changes')
    .values(
      links.map((l) => ({
        pull_request_id: l.pullRequestId,
        deployment_id: l.deploymentId,
        attribution: l.attribution,
      })),
    )
    .onConflict((oc) =>
      oc
        .column('pull_request_id')
        .doUpdateSet((eb) => ({
          deployment_id: eb.ref('excluded.deployment_id'),
          attribution: eb.ref('excluded.attribution'),
        }))
        .where((eb) =>
          eb.or([
            eb.and([
              eb('excluded.attribution', '=', 'commit'),
              eb('deployment_changes.attribution', '=', 'time'),
            ]),
            eb.and([
              eb('excluded.attribution', '=', eb.ref('deployment_changes.attribution')),
              eb(
                eb
                  .selectFrom('deployments')
                  .select('deployed_at')
                  .whereRef('id', '=', 'excluded.deployment_id'),
                '<',
                eb
                  .selectFrom('deployments')
                  .select('deployed_at')
                  .whereRef('id', '=', 'deployment_changes.deployment_id'),
              ),
            ]),
          ]),
        ),
    )
    .execute();
}
