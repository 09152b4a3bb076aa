import type { Db } from '../connection.ts';
import type { Deployment, DeploymentSource } from '../schema.ts';

/** The deployment of `source` with the source's id `externalId`, or undefined. */
export async function getDeploymentByExternalId(
  db: Db,
  source: DeploymentSource,
  externalId: string,
): Promise<Deployment | undefined> {
  return db
    .selectFrom('deployments')
    .selectAll()
    .where('source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}
