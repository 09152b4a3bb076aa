import type { BulkWriteResult, Db } from '@stride/db';
import type { StrideConfig } from '@stride/shared/config';
import type { CollectorConfig } from '../config.ts';
import type { Logger } from '../logger.ts';

/** What every sync (GitHub, Jira) receives. */
export interface SyncContext {
  db: Db;
  config: StrideConfig;
  env: CollectorConfig;
  logger: Logger;
  /** Only fetch objects updated after this time on a first sync (backfill horizon). */
  since?: Date;
  /** Progress of one scope (e.g. a repository), for the CLI's progress bars. */
  onProgress?: (event: { scope: string; done: number; total?: number; phase: string }) => void;
  /** Aborts now: in-flight requests are cancelled (Ctrl-C of `collect --once`, tests). */
  signal?: AbortSignal;
  /**
   * Stops at the next page boundary: the page (or chunk of PRs) in hand is fetched and stored
   * first, then the sync ends with its run `interrupted` and its cursors saved, so the next run
   * resumes there. The worker's graceful stop (SIGTERM) uses it, before the database stops.
   */
  stop?: AbortSignal;
  /** Backfill: walk every list down to `since`, ignoring stored watermarks and ETags. */
  backfill?: boolean;
  /** Unit of retry and rate-limit waits in ms (default 1000, i.e. seconds); tests shrink it. */
  waitUnitMs?: number;
  /** Called after each batch write (COPY-stage-merge) with its counts and wall-clock seconds (benches). */
  onBulkWrite?: (result: BulkWriteResult, seconds: number) => void;
}

/** What a sync of one scope reports (also recorded in `sync_runs`). */
export interface SyncReport {
  source: 'github' | 'jira';
  scope: string;
  requests: number;
  notModified: number;
  itemsUpserted: number;
  itemsSkipped: number;
  rateLimitRemaining: number | null;
  /** GraphQL queries among `requests`, and the points they cost (GitHub's `rateLimit.cost`). */
  graphqlQueries?: number;
  graphqlPoints?: number;
  error?: string;
  /** The sync finished but some parts could not be fetched (what, how many, why). */
  incomplete?: string;
  /** What the sync could not collect and why, not an error (e.g. no permission for Copilot metrics). */
  note?: string;
}

/** Thrown at a page boundary once `ctx.stop` is aborted: the sync stopped cleanly, nothing half-written. */
export class SyncStoppedError extends Error {
  constructor() {
    super('stopped: the collector is shutting down; the next run resumes from the saved cursors');
    this.name = 'SyncStoppedError';
  }
}

/** Whether the sync should stop at this page boundary (`ctx.stop` or `ctx.signal` aborted). */
export function isStopping(ctx: Pick<SyncContext, 'signal' | 'stop'>): boolean {
  return ctx.signal?.aborted === true || ctx.stop?.aborted === true;
}

/**
 * Called between pages: throws the abort reason when `ctx.signal` is aborted, a
 * `SyncStoppedError` when `ctx.stop` is.
 */
export function throwIfStopping(ctx: Pick<SyncContext, 'signal' | 'stop'>): void {
  ctx.signal?.throwIfAborted();
  if (ctx.stop?.aborted) throw new SyncStoppedError();
}
