import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import { SYNC_STALE_SECONDS } from './sync-runs.ts';

export interface SyncStatusRow {
  source: string;
  scope: string;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  status: string;
  error: string | null;
  /** What the run could not collect and why (not an error), e.g. Copilot metrics without permission. */
  note: string | null;
  requests: number;
  notModified: number;
  rateLimitRemaining: number | null;
}

/**
 * The latest sync run per (source, scope) from `sync_runs`, with the finish time of its last
 * successful run; ordered by source and scope. A `running` run without a heartbeat for
 * `staleSeconds` (default SYNC_STALE_SECONDS) is reported `interrupted`: its process is gone.
 */
export async function getSyncStatus(db: Db, staleSeconds = SYNC_STALE_SECONDS): Promise<SyncStatusRow[]> {
  const result = await sql<SyncStatusRow>`
    select distinct on (r.source, r.scope) r.source, r.scope, r.started_at as "lastRunAt",
      (select max(s.finished_at) from sync_runs s
        where s.source = r.source and s.scope = r.scope and s.status = 'succeeded') as "lastSuccessAt",
      case when r.status = 'running'
             and coalesce(r.heartbeat_at, r.started_at) < now() - make_interval(secs => ${staleSeconds})
           then 'interrupted' else r.status end as status,
      case when r.status = 'running'
             and coalesce(r.heartbeat_at, r.started_at) < now() - make_interval(secs => ${staleSeconds})
           then 'interrupted: the collector process stopped during this sync (no heartbeat)' else r.error end as error, r.note, r.requests, r.not_modified as "notModified",
      r.rate_limit_remaining as "rateLimitRemaining"
    from sync_runs r
    order by r.source, r.scope, r.started_at desc, r.id desc`.execute(db);
  return result.rows;
}
