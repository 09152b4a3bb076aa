import { finishSyncRun, startSyncRun } from '@stride/db';
import type { GitHubClient } from '../sources/github-client.ts';
import type { SyncContext, SyncReport } from './sync-context.ts';

/** What one Copilot scope's sync stored: rows upserted and skipped, and a refusal note if any. */
export interface CopilotScopeResult {
  upserted: number;
  skipped: number;
  note?: string;
}

/**
 * Runs one Copilot scope (an organisation's usage reports, or a legacy metrics scope) as its own
 * `sync_runs` row named `name`: the requests and 304s it made (the client's counts before and
 * after), its rows, its error (a thrown error is the run's error, not the caller's) or its note
 * (a refusal: the run ends succeeded), logged at error, warn or info. `empty` stands for the result
 * when `sync` throws; `summary` is the info line of a run without a note.
 * @returns the scope's report (`error` and `note` as stored).
 */
export async function runCopilotScope<R extends CopilotScopeResult>(
  ctx: SyncContext,
  client: GitHubClient,
  name: string,
  sync: () => Promise<R>,
  options: { empty: R; summary: (report: SyncReport, result: R) => string },
): Promise<SyncReport> {
  const before = { requests: client.stats.requests, notModified: client.stats.notModified };
  const runId = await startSyncRun(ctx.db, 'github', name);
  let result = options.empty;
  let message: string | undefined;
  try {
    result = await sync();
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  const totals = {
    requests: client.stats.requests - before.requests,
    notModified: client.stats.notModified - before.notModified,
    itemsUpserted: result.upserted,
    itemsSkipped: result.skipped,
    rateLimitRemaining: client.stats.rateLimitRemaining,
    rateLimitResetAt: client.stats.rateLimitResetAt,
  };
  await finishSyncRun(ctx.db, runId, totals, message, undefined, false, result.note);
  const report: SyncReport = {
    source: 'github',
    scope: name,
    requests: totals.requests,
    notModified: totals.notModified,
    itemsUpserted: totals.itemsUpserted,
    itemsSkipped: totals.itemsSkipped,
    rateLimitRemaining: totals.rateLimitRemaining,
    ...(message ? { error: message } : {}),
    ...(result.note ? { note: result.note } : {}),
  };
  ctx.logger[message ? 'error' : result.note ? 'warn' : 'info'](
    { ...report },
    result.note ?? options.summary(report, result),
  );
  return report;
}
