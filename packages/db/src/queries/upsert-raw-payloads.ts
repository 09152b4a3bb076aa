import { sql } from 'kysely';
import type { Db } from '../connection.ts';

export interface RawPayloadInput {
  source: string;
  kind: string;
  externalId: string;
  scope?: string | null;
  url?: string | null;
  payload: unknown;
}

// PostgreSQL text and jsonb cannot hold U+0000, which real payloads contain (a recorded Jira
// summary ends with one): it is dropped from strings, the only change made to a payload.
function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

// A GitHub REST object's `updated_at` ("2026-03-01T10:00:00Z", maybe with a fraction): compared
// to the second as text in the C collation, so a malformed value never fails the write.
export const SOURCE_TIME = String.raw`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`;

/**
 * Stores fetched objects as-is (jsonb), replacing an earlier copy of the same
 * (source, kind, external id), so a fixed transform can be re-run without re-fetching. Copies
 * arrive out of order (a delayed webhook delivery, a poll page older than a delivery): when both
 * carry a top-level `updated_at` (GitHub REST objects), an older copy replaces nothing, so the
 * stored copy is the newest state seen (`getRawPayloadUpdatedAt`).
 * @returns the number of rows written.
 */
export async function upsertRawPayloads(db: Db, rows: readonly RawPayloadInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('raw_payloads')
    .values(
      rows.map((row) => ({
        source: row.source,
        kind: row.kind,
        external_id: row.externalId,
        scope: row.scope ?? null,
        url: row.url ?? null,
        payload: JSON.stringify(row.payload, withoutNul),
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['source', 'kind', 'external_id'])
        .doUpdateSet({
          payload: (eb) => eb.ref('excluded.payload'),
          url: (eb) => eb.ref('excluded.url'),
          scope: (eb) => eb.ref('excluded.scope'),
          fetched_at: sql`now()`,
        })
        // coalesce: a copy without `updated_at` (either side) makes the comparison null, which
        // must not keep a later copy out.
        .where(sql<boolean>`not coalesce(
          excluded.payload->>'updated_at' ~ ${SOURCE_TIME} and raw_payloads.payload->>'updated_at' ~ ${SOURCE_TIME}
          and left(excluded.payload->>'updated_at', 19) collate "C"
            < left(raw_payloads.payload->>'updated_at', 19) collate "C", false)`),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * The top-level `updated_at` of the stored copy of one object (GitHub REST objects carry it):
 * the newest state of that object Stride has seen, also where that state left no row (an issue
 * whose incident label was removed). @returns null when no copy, or no such field, is stored.
 */
export async function getRawPayloadUpdatedAt(
  db: Db,
  key: { source: string; kind: string; externalId: string },
): Promise<Date | null> {
  const row = await db
    .selectFrom('raw_payloads')
    .select(sql<string | null>`payload->>'updated_at'`.as('updatedAt'))
    .where('source', '=', key.source)
    .where('kind', '=', key.kind)
    .where('external_id', '=', key.externalId)
    .executeTakeFirst();
  const time = row?.updatedAt ? new Date(row.updatedAt) : null;
  return time && !Number.isNaN(time.getTime()) ? time : null;
}
