import { sql } from 'kysely';
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
    .values({ source, scope, heartbeat_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Records the end of a sync run with its totals: `interrupted` (a graceful stop between pages)
 * marks it `interrupted`; else `error` marks it failed (message only, no secrets); otherwise
 * `incomplete` (what could not be fetched) marks it `partial`, else `succeeded`. `note`: what a
 * successful run could not collect and why (e.g. no permission), kept beside the status.
 */
export async function finishSyncRun(
  db: Db,
  runId: string,
  totals: SyncRunTotals,
  error?: string,
  incomplete?: string,
  interrupted = false,
  note?: string,
): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({
      finished_at: new Date(),
      status: interrupted ? 'interrupted' : error ? 'failed' : incomplete ? 'partial' : 'succeeded',
      requests: totals.requests,
      not_modified: totals.notModified,
      items_upserted: totals.itemsUpserted,
      items_skipped: totals.itemsSkipped,
      rate_limit_remaining: totals.rateLimitRemaining,
      rate_limit_reset_at: totals.rateLimitResetAt,
      error: error ?? incomplete ?? null,
      note: note ?? null,
    })
    .where('id', '=', runId)
    .execute();
}

/** Seconds between heartbeats of a running sync. */
export const SYNC_HEARTBEAT_SECONDS = 10;
/** A running sync without a heartbeat for this long has lost its process. */
export const SYNC_STALE_SECONDS = 60;

/**
 * Keeps `runId`'s heartbeat fresh every `SYNC_HEARTBEAT_SECONDS` until the returned function is
 * called. The timer does not keep the process alive; a failed beat (database away) is retried
 * at the next tick.
 */
export function startSyncRunHeartbeat(db: Db, runId: string, seconds = SYNC_HEARTBEAT_SECONDS): () => void {
  const timer = setInterval(() => {
    void db
      .updateTable('sync_runs')
      .set({ heartbeat_at: new Date() })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute()
      .catch(() => {});
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Marks `running` sync runs whose heartbeat is older than `staleSeconds` as `interrupted` (their
 * process is gone: killed, crashed), finished at their last heartbeat.
 * @returns how many runs were marked.
 */
export async function markInterruptedSyncRuns(db: Db, staleSeconds = SYNC_STALE_SECONDS): Promise<number> {
  const result = await db
    .updateTable('sync_runs')
    .set({
      status: 'interrupted',
      finished_at: sql`coalesce(heartbeat_at, started_at)`,
      error: 'interrupted: the collector process stopped during this sync (no heartbeat)',
    })
    .where('status', '=', 'running')
    .where(sql<boolean>`coalesce(heartbeat_at, started_at) < now() - make_interval(secs => ${staleSeconds})`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
