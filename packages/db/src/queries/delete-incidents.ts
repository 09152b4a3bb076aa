import type { Db } from '../connection.ts';
import type { IncidentSource } from '../schema.ts';

/**
 * Deletes incidents of `source` by external id: used when a source object stops being an incident
 * (a Jira issue retyped, a GitHub issue's incident label removed). @returns rows deleted.
 */
export async function deleteIncidents(
  db: Db,
  source: IncidentSource,
  externalIds: readonly string[],
): Promise<number> {
  if (externalIds.length === 0) return 0;
  const result = await db
    .deleteFrom('incidents')
    .where('source', '=', source)
    .where('external_id', 'in', [...externalIds])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
