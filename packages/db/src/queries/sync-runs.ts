import type { Db } from '../connection.ts';

export interface SyncRunTotals {
  requests: number;
  notModified: number;
  itemsUpserted: number;
  itemsSkipped: number;
  rateLimitRemaining: number | null;
  rateLimitResetAt: Date | null;
}

/** Records the start of a sync of one source scope (e.g. github / owner/repo). @returns run id. */
export async function startSyncRun(db: Db, source: string, scope: string): Promise<string> {
  const row = await db
    .insertInto('sync_runs')
    .values({ source, scope })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records the end of a sync run with its totals; `error` marks it failed (message only, no secrets). */
export async function finishSyncRun(
  db: Db,
  runId: string,
  totals: SyncRunTotals,
  error?: string,
): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({
      finished_at: new Date(),
      status: error ? 'failed' : 'succeeded',
      requests: totals.requests,
      not_modified: totals.notModified,
      items_upserted: totals.itemsUpserted,
      items_skipped: totals.itemsSkipped,
      rate_limit_remaining: totals.rateLimitRemaining,
      rate_limit_reset_at: totals.rateLimitResetAt,
      error: error ?? null,
    })
    .where('id', '=', runId)
    .execute();
}
