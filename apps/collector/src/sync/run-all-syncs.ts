import {
  attributeIncidentsToDeployments,
  finishSyncRun,
  linkChangesToDeployments,
  refreshDeploymentFlags,
  startSyncRun,
} from '@stride/db';
import type { SyncContext, SyncReport } from './sync-context.ts';
import { syncGitHub } from './sync-github.ts';

/**
 * One full collection: every source sync (GitHub; Jira joins here), then the derived links of
 * docs/metrics.md: changes not linked exactly by commit are linked by time
 * (`linkChangesToDeployments`, which also refreshes the deployment flags), the flags are
 * refreshed again for exact links, and incidents are attributed to the deployment that caused
 * them within `incidents.attributionWindowDays`. Every source scope records its own `sync_runs`
 * row; the linking step records one as `derived / links`.
 * @returns the reports of every scope (a failed scope carries `error`; the others still ran).
 */
export async function runAllSyncs(ctx: SyncContext): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  if (ctx.config.github.repositories.length > 0 || ctx.config.github.orgs.length > 0) {
    reports.push(...(await syncGitHub(ctx)));
  }
  // syncJira (issue 4) is added here.
  reports.push(await linkDerived(ctx));
  return reports;
}

/** The linking step alone (also run by the worker after each repository job). */
export async function linkDerived(ctx: SyncContext, repositoryIds?: readonly string[]): Promise<SyncReport> {
  const runId = await startSyncRun(ctx.db, 'derived', 'links');
  let upserted = 0;
  let error: string | undefined;
  try {
    upserted += await linkChangesToDeployments(ctx.db, repositoryIds);
    await refreshDeploymentFlags(ctx.db, repositoryIds);
    upserted += await attributeIncidentsToDeployments(ctx.db, ctx.config.incidents.attributionWindowDays);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    ctx.logger.error({ err: caught }, 'linking changes and incidents to deployments failed');
  }
  const totals = {
    requests: 0,
    notModified: 0,
    itemsUpserted: upserted,
    itemsSkipped: 0,
    rateLimitRemaining: null,
    rateLimitResetAt: null,
  };
  await finishSyncRun(ctx.db, runId, totals, error);
  return {
    source: 'github',
    scope: 'derived:links',
    requests: 0,
    notModified: 0,
    itemsUpserted: upserted,
    itemsSkipped: 0,
    rateLimitRemaining: null,
    ...(error ? { error } : {}),
  };
}
