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
        payload: JSON.stringify(row.payload),
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
