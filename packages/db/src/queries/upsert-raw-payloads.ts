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

/**
 * Stores fetched objects as-is (jsonb), replacing an earlier copy of the same
 * (source, kind, external id), so a fixed transform can be re-run without re-fetching.
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
      oc.columns(['source', 'kind', 'external_id']).doUpdateSet({
        payload: (eb) => eb.ref('excluded.payload'),
        url: (eb) => eb.ref('excluded.url'),
        scope: (eb) => eb.ref('excluded.scope'),
        fetched_at: sql`now()`,
      }),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
