import type { Db } from '../connection.ts';
import type { IncidentSource } from '../schema.ts';

/**
 * Deletes incidents of `source` by external id: used when a source object stops being an incident
 * (a Jira issue retyped, a GitHub issue's incident label removed). With `notNewerThan` (the
 * source's time of the state that is no incident), an incident stored from a newer state is kept:
 * a delayed older delivery does not drop it. @returns rows deleted.
 */
export async function deleteIncidents(
  db: Db,
  source: IncidentSource,
  externalIds: readonly string[],
  options: { notNewerThan?: Date } = {},
): Promise<number> {
  if (externalIds.length === 0) return 0;
  const { notNewerThan } = options;
  const result = await db
    .deleteFrom('incidents')
    .where('source', '=', source)
    .where('external_id', 'in', [...externalIds])
    .$if(notNewerThan !== undefined, (q) =>
      q.where((eb) =>
        eb.or([eb('source_updated_at', 'is', null), eb('source_updated_at', '<=', notNewerThan!)]),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
