import type { Db } from '@stride/db';
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
  signal?: AbortSignal;
  /** Backfill: walk every list down to `since`, ignoring stored watermarks and ETags. */
  backfill?: boolean;
  /** Unit of retry and rate-limit waits in ms (default 1000, i.e. seconds); tests shrink it. */
  waitUnitMs?: number;
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
}
