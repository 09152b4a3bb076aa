import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { NewDeployment } from '../schema.ts';
import { fillExternalIds } from './fill-external-ids.ts';

/**
 * Inserts or updates deployments on (source, external id); idempotent. The newer state wins: a
 * row older than the stored one by the source's time (`source_updated_at`) changes nothing
 * (a tag's version is the commit it points to, so a moved tag is always taken).
 * `rolled_back` and `is_unplanned` are derived by refreshDeploymentFlags and kept here.
 * @returns our id by external id, for every row sent (changed or kept).
 */
export async function upsertDeployments(
  db: Db,
  rows: readonly NewDeployment[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const result = await db
    .insertInto('deployments')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .columns(['source', 'external_id'])
        .doUpdateSet((eb) => ({
          repository_id: eb.ref('excluded.repository_id'),
          environment: eb.ref('excluded.environment'),
          is_production: eb.ref('excluded.is_production'),
          sha: eb.ref('excluded.sha'),
          ref: eb.ref('excluded.ref'),
          status: eb.ref('excluded.status'),
          created_at: eb.ref('excluded.created_at'),
          deployed_at: eb.ref('excluded.deployed_at'),
          rolled_back: sql<boolean>`excluded.rolled_back or deployments.rolled_back`,
          url: eb.ref('excluded.url'),
          source_updated_at: eb.ref('excluded.source_updated_at'),
        }))
        .where(sql<boolean>`deployments.source = 'tags' or deployments.source_updated_at is null
        or excluded.source_updated_at is null or excluded.source_updated_at >= deployments.source_updated_at`),
    )
    .returning(['id', 'external_id'])
    .execute();
  for (const row of result) ids.set(row.external_id, row.id);
  await fillExternalIds(db, 'deployments', rows, ids);
  return ids;
}
