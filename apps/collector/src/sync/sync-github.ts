import {
  finishSyncRun,
  getRepositoryByName,
  getSyncCursor,
  saveSyncCursor,
  startSyncRun,
  startSyncRunHeartbeat,
  upsertRawPayloads,
  upsertRepositories,
} from '@stride/db';
import { deploymentRuleFor } from '@stride/ingest';
import { subDays } from 'date-fns';
import { GitHubClient, type GitHubPage, type GitHubRequestStats } from '../sources/github-client.ts';
import { linkDeployedChanges } from './github/link-deployed-changes.ts';
import { describeMissing, PER_PAGE, type RepoSync, type SyncCounts } from './github/repo-sync.ts';
import { syncGitHubDeployments, syncWorkflowRuns } from './github/sync-deployments.ts';
import { syncIncidentIssues } from './github/sync-incidents.ts';
import { syncPullRequests } from './github/sync-pull-requests.ts';
import { syncPullRequestsGraphql } from './github/sync-pull-requests-graphql.ts';
import { syncReleases, syncTags } from './github/sync-releases.ts';
import { type SyncContext, type SyncReport, SyncStoppedError } from './sync-context.ts';

export interface GitHubSyncOptions {
  /** Sync only these `owner/name` repositories (default: every configured one). */
  repositories?: readonly string[];
  /** Reuse a client (its request counters accumulate). */
  client?: GitHubClient;
}

/** Creates the GitHub client of a sync context (GITHUB_API_URL, GITHUB_TOKEN). */
export function createGitHubClient(ctx: SyncContext): GitHubClient {
  return new GitHubClient({
    baseUrl: ctx.env.GITHUB_API_URL,
    token: ctx.env.GITHUB_TOKEN,
    logger: ctx.logger,
    signal: ctx.signal,
    ...(ctx.waitUnitMs !== undefined ? { waitUnitMs: ctx.waitUnitMs } : {}),
  });
}

/**
 * Repositories to sync: `github.repositories` plus every non-archived repository of
 * `github.orgs` (`GET /orgs/{org}/repos`, first page conditional, list cached in its cursor).
 */
export async function listConfiguredRepositories(ctx: SyncContext, client: GitHubClient): Promise<string[]> {
  const names = new Set(ctx.config.github.repositories);
  for (const org of ctx.config.github.orgs) {
    const key = { source: 'github', scope: `org:${org}`, endpoint: 'repos' };
    const stored = await getSyncCursor(ctx.db, key);
    const first = await client.get<unknown[]>(
      'GET /orgs/{org}/repos',
      { org, type: 'all', per_page: PER_PAGE, page: 1 },
      stored.cursor ? stored.etag : null,
    );
    let list: string[];
    if (first.notModified) list = JSON.parse(stored.cursor!) as string[];
    else {
      list = [];
      let page: GitHubPage<unknown[]> = first;
      for (let n = 2; ; n += 1) {
        if (page.notModified) break;
        for (const repo of Array.isArray(page.data) ? (page.data as Record<string, unknown>[]) : []) {
          if (typeof repo?.full_name === 'string' && repo.archived !== true) list.push(repo.full_name);
        }
        if (!page.hasNext) break;
        page = await client.get<unknown[]>('GET /orgs/{org}/repos', {
          org,
          type: 'all',
          per_page: PER_PAGE,
          page: n,
        });
      }
      await saveSyncCursor(ctx.db, key, { cursor: JSON.stringify(list), etag: first.etag });
    }
    for (const name of list) names.add(name);
  }
  return [...names];
}

const snapshot = (s: GitHubRequestStats) => ({ ...s });

/**
 * Syncs every configured GitHub repository (or `options.repositories`): the repository, its
 * pull requests with commits/reviews/size, its production deployments (Deployments API,
 * Actions workflow runs, releases or tags, per the repository's rule), its incident issues, then exact
 * change→deployment links from the compare API. Each repository is one `sync_runs` row and one
 * report (requests, 304s, rows, skips, rate limit left); a failing repository is reported and
 * the others go on. An abort (`ctx.signal`) stops the sync: cursors already saved let the next
 * run resume. A stop (`ctx.stop`) lets the page in hand be stored, then ends the repository's run
 * as `interrupted` and starts no other repository.
 */
export async function syncGitHub(ctx: SyncContext, options: GitHubSyncOptions = {}): Promise<SyncReport[]> {
  const client = options.client ?? createGitHubClient(ctx);
  const repositories = options.repositories ?? (await listConfiguredRepositories(ctx, client));
  const reports: SyncReport[] = [];
  for (const fullName of repositories) {
    ctx.signal?.throwIfAborted();
    if (ctx.stop?.aborted) break; // shutting down: the next run takes the remaining repositories
    const before = snapshot(client.stats);
    const runId = await startSyncRun(ctx.db, 'github', fullName);
    const stopHeartbeat = startSyncRunHeartbeat(ctx.db, runId);
    const counts: SyncCounts = { upserted: 0, skipped: 0 };
    let error: unknown;
    try {
      await syncRepository(ctx, client, fullName, counts);
    } catch (caught) {
      error = caught;
    } finally {
      stopHeartbeat();
    }
    const graphql = {
      queries: client.stats.graphqlQueries - before.graphqlQueries,
      points: client.stats.graphqlPoints - before.graphqlPoints,
    };
    const totals = {
      requests: client.stats.requests - before.requests,
      notModified: client.stats.notModified - before.notModified,
      itemsUpserted: counts.upserted,
      itemsSkipped: counts.skipped,
      rateLimitRemaining: client.stats.rateLimitRemaining,
      rateLimitResetAt: client.stats.rateLimitResetAt,
    };
    const message = error ? (error instanceof Error ? error.message : String(error)) : undefined;
    const incomplete = describeMissing(counts);
    await finishSyncRun(ctx.db, runId, totals, message, incomplete, error instanceof SyncStoppedError);
    const report: SyncReport = {
      source: 'github',
      scope: fullName,
      requests: totals.requests,
      notModified: totals.notModified,
      itemsUpserted: totals.itemsUpserted,
      itemsSkipped: totals.itemsSkipped,
      rateLimitRemaining: totals.rateLimitRemaining,
      ...(graphql.queries ? { graphqlQueries: graphql.queries, graphqlPoints: graphql.points } : {}),
      ...(message ? { error: message } : {}),
      ...(incomplete ? { incomplete } : {}),
    };
    ctx.logger[message ? 'error' : 'info'](
      { ...report },
      `github ${fullName}: ${report.requests} requests, ${report.notModified} not modified (304), ` +
        `${report.itemsUpserted} rows, ${report.itemsSkipped} skipped, rate limit left ${report.rateLimitRemaining ?? '?'}`,
    );
    reports.push(report);
    if (ctx.signal?.aborted) throw ctx.signal.reason ?? error;
  }
  return reports;
}

async function syncRepository(
  ctx: SyncContext,
  client: GitHubClient,
  fullName: string,
  counts: SyncCounts,
): Promise<void> {
  const [owner, repo] = fullName.split('/') as [string, string];
  const key = { source: 'github', scope: fullName, endpoint: 'repo' };
  const stored = await getSyncCursor(ctx.db, key);
  const existing = await getRepositoryByName(ctx.db, fullName);
  const conditional = existing && existing.external_id !== '' ? stored.etag : null;
  const result = await client.get<Record<string, unknown>>(
    'GET /repos/{owner}/{repo}',
    { owner, repo },
    conditional,
  );
  let repositoryId: string;
  let defaultBranch: string;
  if (result.notModified && existing) {
    repositoryId = existing.id;
    defaultBranch = existing.default_branch;
  } else if (!result.notModified) {
    const data = result.data;
    if (typeof data?.id !== 'number' || typeof data.default_branch !== 'string') {
      counts.skipped += 1;
      throw new Error(`malformed repository payload at ${result.url}: id and default_branch are required`);
    }
    const ids = await upsertRepositories(ctx.db, [
      {
        provider: 'github',
        external_id: String(data.id),
        full_name: fullName,
        default_branch: data.default_branch,
        html_url: typeof data.html_url === 'string' ? data.html_url : null,
        archived: data.archived === true,
        created_at: typeof data.created_at === 'string' ? data.created_at : null,
      },
    ]);
    await upsertRawPayloads(ctx.db, [
      {
        source: 'github',
        kind: 'repository',
        externalId: String(data.id),
        scope: fullName,
        url: result.url,
        payload: data,
      },
    ]);
    await saveSyncCursor(ctx.db, key, { etag: result.etag });
    repositoryId = ids.get(fullName)!;
    defaultBranch = data.default_branch;
    counts.upserted += 1;
  } else {
    throw new Error(`repository ${fullName} answered 304 but is not stored`);
  }
  // Backfill horizon (config sync.backfillDays unless the caller gives `since`).
  const horizon = ctx.since ?? subDays(new Date(), ctx.config.sync.backfillDays);
  const r: RepoSync = {
    ctx,
    client,
    fullName,
    owner,
    repo,
    repositoryId,
    defaultBranch,
    rule: deploymentRuleFor(ctx.config, fullName),
    since: horizon,
    counts,
  };
  ctx.onProgress?.({ scope: fullName, phase: 'pull requests', done: 0 });
  if (ctx.config.github.history === 'graphql') await syncPullRequestsGraphql(r);
  else await syncPullRequests(r);
  ctx.onProgress?.({ scope: fullName, phase: 'deployments', done: 0 });
  if (r.rule.source === 'github_deployments') await syncGitHubDeployments(r);
  else if (r.rule.source === 'workflow_runs') await syncWorkflowRuns(r);
  else if (r.rule.source === 'releases') await syncReleases(r);
  else if (r.rule.source === 'tags') await syncTags(r);
  ctx.onProgress?.({ scope: fullName, phase: 'incidents', done: 0 });
  await syncIncidentIssues(r);
  ctx.onProgress?.({ scope: fullName, phase: 'linking', done: 0 });
  await linkDeployedChanges(r);
  ctx.onProgress?.({ scope: fullName, phase: 'done', done: 1, total: 1 });
}
