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
import { subDays } from 'date-fns/subDays';
import { GitHubClient, type GitHubPage, type GitHubRequestStats } from '../sources/github-client.ts';
import {
  appInstallationCredentials,
  credentialFor,
  type GitHubCredential,
  tokenCredential,
} from '../sources/github-credentials.ts';
import { postgresRateBudget } from '../sources/shared-rate-budget.ts';
import { linkDeployedChanges } from './github/link-deployed-changes.ts';
import { describeMissing, mapLimit, PER_PAGE, type RepoSync, type SyncCounts } from './github/repo-sync.ts';
import { syncGitHubDeployments, syncWorkflowRuns } from './github/sync-deployments.ts';
import { syncIncidentIssues } from './github/sync-incidents.ts';
import { syncPullRequests } from './github/sync-pull-requests.ts';
import {
  type PendingChecksRepository,
  refreshPendingChecksAcross,
  syncPullRequestsGraphql,
} from './github/sync-pull-requests-graphql.ts';
import { syncReleases, syncTags } from './github/sync-releases.ts';
import { type SyncContext, type SyncReport, SyncStoppedError } from './sync-context.ts';

export interface GitHubSyncOptions {
  /** Sync only these `owner/name` repositories (default: every configured one). */
  repositories?: readonly string[];
  /** Reuse a client (its request counters accumulate). */
  client?: GitHubClient;
}

/** The client of one credential (default GITHUB_TOKEN, else the first of GITHUB_TOKENS) of a sync context. */
export function createGitHubClient(ctx: SyncContext, credential?: GitHubCredential): GitHubClient {
  const token = ctx.env.GITHUB_TOKEN ?? ctx.env.GITHUB_TOKENS?.[0];
  const chosen = credential ?? (token ? tokenCredential(ctx.env.GITHUB_API_URL, token) : undefined);
  return new GitHubClient({
    baseUrl: ctx.env.GITHUB_API_URL,
    credential: chosen,
    budget: ctx.env.GITHUB_SHARED_RATE_BUDGET === 'off' ? undefined : postgresRateBudget(ctx.db, ctx.logger),
    logger: ctx.logger,
    signal: ctx.signal,
    ...(ctx.waitUnitMs !== undefined ? { waitUnitMs: ctx.waitUnitMs } : {}),
  });
}

/** App installation credentials by app and API URL: one set per process (tokens cached, refreshed). */
const appCredentials = new Map<string, Promise<GitHubCredential[]>>();

/**
 * Every configured credential: GITHUB_TOKEN and GITHUB_TOKENS (each once), then the installations of
 * the GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_IDS). Empty when
 * none is configured (unauthenticated requests).
 * @throws GitHub's refusal of the app's JWT or of an installation (RequestError 401/404).
 */
export async function resolveGitHubCredentials(ctx: SyncContext): Promise<GitHubCredential[]> {
  const base = ctx.env.GITHUB_API_URL;
  const tokens = [...new Set([ctx.env.GITHUB_TOKEN, ...(ctx.env.GITHUB_TOKENS ?? [])])].filter(
    (t): t is string => typeof t === 'string',
  );
  const credentials = tokens.map((t) => tokenCredential(base, t));
  const { GITHUB_APP_ID: appId, GITHUB_APP_PRIVATE_KEY: privateKey } = ctx.env;
  if (appId !== undefined && privateKey !== undefined) {
    const key = `${base}\n${appId}\n${ctx.env.GITHUB_APP_INSTALLATION_IDS?.join(',') ?? '*'}`;
    let installations = appCredentials.get(key);
    if (!installations) {
      installations = appInstallationCredentials(
        base,
        { appId, privateKey, installationIds: ctx.env.GITHUB_APP_INSTALLATION_IDS },
        ctx.logger,
      );
      // A refusal is not kept: the next run asks again.
      installations.catch(() => appCredentials.delete(key));
      appCredentials.set(key, installations);
    }
    credentials.push(...(await installations));
  }
  return credentials;
}

/**
 * One client per configured credential (`resolveGitHubCredentials`; one unauthenticated client
 * when none is configured). @returns the client a repository of `owner` is synced with: its
 * owner's App installation, else the tokens in turn (`index`: the repository's position).
 */
export async function createGitHubClientPool(
  ctx: SyncContext,
): Promise<(owner: string, index: number) => GitHubClient> {
  const credentials = await resolveGitHubCredentials(ctx);
  const clients = new Map(credentials.map((c) => [c, createGitHubClient(ctx, c)]));
  const fallback = createGitHubClient(ctx);
  return (owner, index) => {
    const credential = credentialFor(credentials, owner, index);
    return (credential && clients.get(credential)) ?? fallback;
  };
}

/**
 * Repositories to sync: `github.repositories` plus every non-archived repository of
 * `github.orgs` (`GET /orgs/{org}/repos`, first page conditional, list cached in its cursor).
 */
export async function listConfiguredRepositories(
  ctx: SyncContext,
  clients: GitHubClient | ((owner: string) => GitHubClient),
): Promise<string[]> {
  const names = new Set(ctx.config.github.repositories);
  for (const org of ctx.config.github.orgs) {
    const client = typeof clients === 'function' ? clients(org) : clients;
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
 * Syncs every configured GitHub repository (or `options.repositories`), up to
 * GITHUB_PARALLEL_REPOSITORIES at a time, each with its credential: the repository, its
 * pull requests with commits/reviews/size, its production deployments (Deployments API,
 * Actions workflow runs, releases or tags, per the repository's rule), its incident issues, then exact
 * change→deployment links from the compare API. Each repository is one `sync_runs` row and one
 * report (requests, 304s, rows, skips, rate limit left); a failing repository is reported and
 * the others go on. An abort (`ctx.signal`) stops the sync: cursors already saved let the next
 * run resume. A stop (`ctx.stop`) lets the page in hand be stored, then ends the repository's run
 * as `interrupted` and starts no other repository. With `github.history: graphql`, the check runs
 * still running at the last collection are asked first, for all the repositories together
 * (`refreshPendingChecksAcross`; those queries are in the client's counts, in no repository's report).
 */
export async function syncGitHub(ctx: SyncContext, options: GitHubSyncOptions = {}): Promise<SyncReport[]> {
  // One client per credential; a repository goes to its owner's App installation, else to the
  // tokens in turn. Each repository gets a scope of its client (its own request counts).
  const client = options.client;
  const clientOf = client ? () => client : await createGitHubClientPool(ctx);
  const repositories =
    options.repositories ?? (await listConfiguredRepositories(ctx, (owner) => clientOf(owner, 0)));
  if (ctx.config.github.history === 'graphql') {
    // Running checks of the last collection, for all repositories together (one query per 83
    // commits of a credential, not one per repository); the walks below bring changed PRs' own.
    const known: PendingChecksRepository[] = [];
    for (const [index, fullName] of repositories.entries()) {
      const stored = await getRepositoryByName(ctx.db, fullName);
      const [owner, repo] = fullName.split('/') as [string, string];
      if (stored)
        known.push({ client: clientOf(owner, index), owner, repo, fullName, repositoryId: stored.id });
    }
    await refreshPendingChecksAcross(ctx, known);
  }
  const parallel = Math.max(1, ctx.env.GITHUB_PARALLEL_REPOSITORIES ?? 1);
  const outcomes = await mapLimit(
    repositories.map((fullName, index) => ({ fullName, index })),
    parallel,
    async ({ fullName, index }): Promise<SyncReport | null> => {
      ctx.signal?.throwIfAborted();
      if (ctx.stop?.aborted) return null; // shutting down: the next run takes the remaining repositories
      const client = clientOf(fullName.split('/')[0]!, index).forScope();
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
      const stats = snapshot(client.stats);
      const totals = {
        requests: stats.requests,
        notModified: stats.notModified,
        itemsUpserted: counts.upserted,
        itemsSkipped: counts.skipped,
        rateLimitRemaining: stats.rateLimitRemaining,
        rateLimitResetAt: stats.rateLimitResetAt,
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
        ...(stats.graphqlQueries
          ? { graphqlQueries: stats.graphqlQueries, graphqlPoints: stats.graphqlPoints }
          : {}),
        ...(message ? { error: message } : {}),
        ...(incomplete ? { incomplete } : {}),
      };
      ctx.logger[message ? 'error' : 'info'](
        { ...report },
        `github ${fullName}: ${report.requests} requests, ${report.notModified} not modified (304), ` +
          `${report.itemsUpserted} rows, ${report.itemsSkipped} skipped, rate limit left ${report.rateLimitRemaining ?? '?'}`,
      );
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? error;
      return report;
    },
  );
  return outcomes.filter((r): r is SyncReport => r !== null);
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
