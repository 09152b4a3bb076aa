import { sql } from 'kysely';
import type { Db } from '../connection.ts';

export interface SyncCursorKey {
  source: string;
  scope: string;
  endpoint: string;
}

export interface SyncCursor {
  cursor: string | null;
  etag: string | null;
}

/** Reads the stored cursor and ETag of a source endpoint (both null before the first sync). */
export async function getSyncCursor(db: Db, key: SyncCursorKey): Promise<SyncCursor> {
  const row = await db
    .selectFrom('sync_cursors')
    .select(['cursor', 'etag'])
    .where('source', '=', key.source)
    .where('scope', '=', key.scope)
    .where('endpoint', '=', key.endpoint)
    .executeTakeFirst();
  return row ?? { cursor: null, etag: null };
}

/**
 * Stores a cursor and/or ETag. Call it only after the page it describes is stored (inside the
 * same transaction when possible), so a crash never skips data. `undefined` keeps a field.
 */
export async function saveSyncCursor(db: Db, key: SyncCursorKey, value: Partial<SyncCursor>): Promise<void> {
  await db
    .insertInto('sync_cursors')
    .values({ ...key, cursor: value.cursor ?? null, etag: value.etag ?? null })
    .onConflict((oc) =>
      oc.columns(['source', 'scope', 'endpoint']).doUpdateSet({
        ...(value.cursor !== undefined ? { cursor: value.cursor } : {}),
        ...(value.etag !== undefined ? { etag: value.etag } : {}),
        updated_at: sql`now()`,
      }),
    )
    .execute();
}
