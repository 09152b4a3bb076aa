import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { NewIncident } from '../schema.ts';
import { fillExternalIds } from './fill-external-ids.ts';

/**
 * Inserts or updates incidents on (source, external id); idempotent. The newer state wins: a row
 * older than the stored one by the source's time (`source_updated_at`) changes nothing. The causing deployment is
 * set by attributeIncidentsToDeployments and kept here unless the new row names one.
 * @returns our id by external id, for every row sent (changed or kept).
 */
export async function upsertIncidents(db: Db, rows: readonly NewIncident[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const result = await db
    .insertInto('incidents')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .columns(['source', 'external_id'])
        .doUpdateSet((eb) => ({
          key: eb.ref('excluded.key'),
          title: eb.ref('excluded.title'),
          repository_id: eb.ref('excluded.repository_id'),
          team_id: eb.ref('excluded.team_id'),
          jira_project_key: eb.ref('excluded.jira_project_key'),
          severity: eb.ref('excluded.severity'),
          started_at: eb.ref('excluded.started_at'),
          resolved_at: eb.ref('excluded.resolved_at'),
          deployment_ref: eb.ref('excluded.deployment_ref'),
          caused_by_deployment_id: eb.fn.coalesce(
            'excluded.caused_by_deployment_id',
            'incidents.caused_by_deployment_id',
          ),
          url: eb.ref('excluded.url'),
          source_updated_at: eb.ref('excluded.source_updated_at'),
        }))
        .where(sql<boolean>`incidents.source_updated_at is null or excluded.source_updated_at is null
        or excluded.source_updated_at >= incidents.source_updated_at`),
    )
    .returning(['id', 'external_id'])
    .execute();
  for (const row of result) ids.set(row.external_id, row.id);
  await fillExternalIds(db, 'incidents', rows, ids);
  return ids;
}
