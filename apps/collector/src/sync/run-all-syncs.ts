import { finishSyncRun, startSyncRun } from '@stride/db';
import { classifyStoredChanges, deriveLinks } from '@stride/ingest';
import { restPayloadsOfStoredGraphql } from './github/pull-request-graphql.ts';
import type { SyncContext, SyncReport } from './sync-context.ts';
import { syncCopilotUsage } from './sync-copilot-usage-reports.ts';
import { syncGitHub } from './sync-github.ts';
import { syncJira } from './sync-jira.ts';

/**
 * One full collection: every source sync (GitHub repositories, GitHub Copilot metrics, then Jira), then the derived links of
 * docs/metrics.md (`deriveLinks`, packages/ingest: changes not linked exactly by commit are
 * linked by time, deployment flags refreshed, incidents attributed within
 * `incidents.attributionWindowDays`). Every source scope records its own `sync_runs` row; the
 * linking step records one as `derived / links`.
 * @returns the reports of every scope (a failed scope carries `error`; the others still ran).
 */
export async function runAllSyncs(ctx: SyncContext): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  if (ctx.config.github.repositories.length > 0 || ctx.config.github.orgs.length > 0) {
    reports.push(...(await syncGitHub(ctx)));
  }
  // Copilot usage of each organisation and team (ai.copilot; a refusal is a note, not an error).
  reports.push(...(await syncCopilotUsage(ctx)));
  // Jira runs only when configured (`jira` in the config) and pointed at a site (JIRA_HOST).
  if (ctx.config.jira && ctx.env.JIRA_HOST) reports.push(...(await syncJira(ctx)));
  reports.push(await linkDerived(ctx));
  return reports;
}

/**
 * The linking step alone (`deriveLinks` of `repositoryIds`, default every repository), recorded
 * as a `derived / links` sync run; also run by the worker after each repository job. A failure is
 * logged and reported (`error`), not thrown: the next run derives what is missing.
 */
export async function linkDerived(ctx: SyncContext, repositoryIds?: readonly string[]): Promise<SyncReport> {
  const runId = await startSyncRun(ctx.db, 'derived', 'links');
  let upserted = 0;
  let error: string | undefined;
  try {
    const derived = await deriveLinks(ctx.db, {
      repositoryIds: repositoryIds ?? 'all',
      attributionWindowDays: ctx.config.incidents.attributionWindowDays,
    });
    // PRs stored before AI classification existed (or by a webhook first) get it from their raw payloads.
    const classified = await classifyStoredChanges(ctx.db, ctx.config.ai, restPayloadsOfStoredGraphql);
    upserted = derived.changesLinked + derived.incidentsAttributed + classified;
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
