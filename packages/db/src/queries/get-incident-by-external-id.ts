import type { Db } from '../connection.ts';
import type { Incident, IncidentSource } from '../schema.ts';

/** The incident of `source` with the source's id `externalId`, or undefined. */
export async function getIncidentByExternalId(
  db: Db,
  source: IncidentSource,
  externalId: string,
): Promise<Incident | undefined> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}
