import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/**
 * The highest ids of the rows linking reads (PRs, deployments, incidents) at one moment: rows
 * written after it have higher ids (bigserial), so `deriveLinks` with `since` can work on those
 * new rows only. Ids are decimal strings ('0' for an empty table).
 */
export interface LinkWatermark {
  pullRequestId: string;
  deploymentId: string;
  incidentId: string;
}

/** Reads the current watermark (three index lookups). */
export async function getLinkWatermark(db: Db): Promise<LinkWatermark> {
  const { rows } = await sql<LinkWatermark>`
    select coalesce((select max(id) from pull_requests), 0)::text as "pullRequestId",
           coalesce((select max(id) from deployments), 0)::text as "deploymentId",
           coalesce((select max(id) from incidents), 0)::text as "incidentId"`.execute(db);
  return rows[0]!;
}
