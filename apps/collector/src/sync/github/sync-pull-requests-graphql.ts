import {
  getSyncCursor,
  listPendingCheckPullRequests,
  type NewPullRequest,
  type RawPayloadInput,
  type SourceVersion,
  saveSyncCursor,
  setPullRequestCiState,
} from '@stride/db';
import {
  aiDetectionRulesFor,
  ciStateOfCheckRuns,
  readyForReviewAt,
  transformPullRequest,
} from '@stride/ingest';
import type { GitHubClient } from '../../sources/github-client.ts';
import type { SyncContext } from '../sync-context.ts';
import {
  CHECK_BATCH,
  CHECK_SUITES_MAX,
  type Connection,
  checkRunsAcrossQuery,
  checkRunsQuery,
  nodesOfPage,
  PART_NAMES,
  type PartName,
  PULL_PAGE,
  PULL_REQUESTS_QUERY,
  type PullRequestNode,
  type PullRequestParts,
  partQuery,
  restCheckRunsOf,
  restCommentOf,
  restCommitOf,
  restPullRequestOf,
  restReviewOf,
  restTimelineOf,
  splitTimeline,
  type TimelineItem,
} from './pull-request-graphql.ts';
import {
  cursorKey,
  isoOf,
  type ListCursor,
  logUnsafeLinks,
  maxTime,
  parseListCursor,
  type RepoSync,
  skipInvalid,
} from './repo-sync.ts';
import {
  changedPullRequests,
  type FetchedPullRequest,
  fetchPullsPage,
  storePullRequests,
  withAiClass,
} from './sync-pull-requests.ts';

/** PRs written per batch (with their commits, reviews and raw payloads): a few MB in memory. */
const STORE_BATCH = 1000;

/** Attempts of one page (shrinking between them) before the repository's sync fails. */
const PAGE_ATTEMPTS = 8;

/**
 * Pages answered in a row at a shrunken size before the page is doubled again (up to
 * `PULL_PAGE`): a transient failure (a timeout on a loaded server, one partial answer) must not
 * shrink every later page of the walk, while a size that keeps failing is tried again only after
 * this many good pages (a failed query costs no points, but it is a call).
 */
export const PAGE_GROW_AFTER = 4;

interface PullPage {
  rateLimit?: { cost: number; remaining: number; resetAt: string } | null;
  repository: {
    pullRequests: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: (PullRequestNode | null)[];
    };
  } | null;
}

/**
 * A failure that a smaller query may avoid: a timeout (502/504), a 5xx (Octokit's retry plugin
 * turns a partial answer's "Something went wrong while executing your query" into a 500),
 * RESOURCE_LIMITS_EXCEEDED and other `errors[]`.
 */
function isShrinkable(error: unknown): boolean {
  const e = error as { status?: number; errors?: { type?: string; message?: string }[]; message?: string };
  if (typeof e.status === 'number' && e.status >= 500) return true;
  if (Array.isArray(e.errors)) {
    // NOT_FOUND (repository gone) and the like will not change with a smaller page.
    return e.errors.every(
      (x) => x.type !== 'NOT_FOUND' && x.type !== 'FORBIDDEN' && x.type !== 'RATE_LIMITED',
    );
  }
  return /couldn't respond to your request in time|timeout/i.test(e.message ?? '');
}

/**
 * Pull request history of one repository through GitHub's GraphQL API: many PRs per query, each
 * with its commits (author dates, messages), reviews, conversation comments, labels and size,
 * most recently updated first, paged with cursors, stopping at the stored watermark or the
 * backfill horizon, as the REST walk does (same `pulls` cursor). "Anything new?" stays one
 * conditional REST request (`GET /pulls`, page 1 with its stored ETag; a 304 costs no rate
 * limit), so a re-sync with nothing new sends no query. The page starts at `PULL_PAGE` PRs (the most within 0.025 points a PR) and is halved
 * on a timeout, RESOURCE_LIMITS_EXCEEDED or a partial answer, then retried, and doubled again
 * after `PAGE_GROW_AFTER` good pages in a row; a PR with more than
 * 100 commits, reviews, comments or labels is completed with follow-up queries. Nodes become the
 * REST payload shapes (`pull-request-graphql.ts`) and go through the REST path's transforms and
 * `storePullRequests`: the stored rows are the same. Each PR's GraphQL answer is its one raw payload.
 * @throws the last error of a page that failed `PAGE_ATTEMPTS` times (the cursor keeps the page).
 */
export async function syncPullRequestsGraphql(r: RepoSync): Promise<void> {
  const key = cursorKey(r, 'pulls');
  const stored = await getSyncCursor(r.ctx.db, key);
  const cursor = parseListCursor(stored.cursor);
  const backfill = r.ctx.backfill === true;
  const pending = cursor.pending;
  // The ETag is taken before the walk: a PR updated during it makes the next check see a change.
  const head = await fetchPullsPage(r, 1, !pending && !backfill ? stored.etag : null);
  // Running checks of PRs the walk does not bring are asked for all repositories at once
  // (`refreshPendingChecksAcross`, at the start of the GitHub sync).
  if (head.notModified) return;
  const etag = pending?.etag ?? head.etag;
  const watermark = backfill ? null : cursor.watermark;
  const horizon = r.since?.toISOString() ?? null;
  const options = {
    repositoryId: r.repositoryId,
    unplannedLabels: r.ctx.config.github.unplannedLabels,
    botLogins: r.ctx.config.github.botLogins,
    aiRules: aiDetectionRulesFor(r.ctx.config.ai),
  };
  let after = pending?.after ?? null;
  let newest = pending?.newest ?? null;
  let size = PULL_PAGE;
  let goodInARow = 0;
  let done = 0;
  let lost = 0;
  const waiting: Pending[] = [];
  const ready: Pending[] = [];
  for (;;) {
    r.ctx.signal?.throwIfAborted();
    let page: PullPage;
    for (let attempt = 1; ; attempt += 1) {
      try {
        page = await r.client.graphql<PullPage>(PULL_REQUESTS_QUERY, {
          owner: r.owner,
          name: r.repo,
          first: size,
          after,
        });
        goodInARow += 1;
        break;
      } catch (error) {
        goodInARow = 0;
        if (attempt >= PAGE_ATTEMPTS || !isShrinkable(error)) throw error;
        const next = Math.max(1, Math.floor(size / 2));
        r.ctx.logger.warn(
          {
            repository: r.fullName,
            first: size,
            nextFirst: next,
            possibleNodes: nodesOfPage(size),
            reason: (error as Error).message,
          },
          'github graphql: page failed (timeout, resource limits or partial answer); retrying smaller',
        );
        size = next;
      }
    }
    const connection = page.repository?.pullRequests;
    if (!connection) throw new Error(`github graphql: repository ${r.fullName} not found`);
    const nodes = connection.nodes.filter((n): n is PullRequestNode => n !== null);
    let stop = false;
    const candidates: { node: PullRequestNode; row: NewPullRequest }[] = [];
    for (const node of nodes) {
      const updated = isoOf(node.updatedAt);
      if (updated && ((watermark && updated < watermark) || (horizon && updated < horizon))) {
        stop = true;
        break;
      }
      newest = maxTime(newest, updated);
      try {
        candidates.push({
          node,
          row: transformPullRequest(restPullRequestOf(node, firstParts(node)), options),
        });
      } catch (error) {
        skipInvalid(r, error, r.client.graphqlUrl, 'pull request');
      }
    }
    const { versions, changed } = await changedPullRequests(r, candidates);
    for (const { node, row: listRow } of changed) {
      const merged = listRow.merged_at !== null;
      const open = listRow.state === 'open';
      // As the REST path: commits of merged PRs; reviews, comments and readiness of merged and
      // open ones; CI of open ones; the list fields (labels, requested reviewers) of all.
      const parts = await completeParts(r, node, merged || open ? PART_NAMES : ['labels', 'reviewRequests']);
      const payload = restPullRequestOf(node, parts);
      let row: NewPullRequest;
      try {
        row = transformPullRequest(payload, options);
        if (merged || open) row.ready_for_review_at = readyForReviewAt(restTimelineOf(parts.timelineItems));
      } catch (error) {
        skipInvalid(r, error, r.client.graphqlUrl, 'pull request');
        continue;
      }
      const url = r.client.graphqlUrl;
      const version = versions.get(row.external_id);
      logUnsafeLinks(r, [{ source: 'github', kind: 'pull_request', externalId: row.external_id, payload }]);
      // What waits to be stored is kept small (up to STORE_BATCH PRs, across pages): the PR is
      // classified now (its REST-shaped payload is then dropped) and its GraphQL answer, the raw
      // payload, is kept as JSON text (a fraction of the objects' size in memory).
      const fetched = withAiClass(options.aiRules)({
        payload,
        row,
        url,
        children:
          merged || open
            ? {
                commits: { items: merged ? parts.commits.map(restCommitOf) : [], url },
                reviews: { items: parts.reviews.map(restReviewOf), url },
                comments: { items: parts.comments.map(restCommentOf), url },
              }
            : null,
      });
      (open ? waiting : ready).push({
        fetched: { ...fetched, payload: null },
        headOid: node.headRefOid,
        version,
        raw: {
          source: 'github',
          kind: 'pull_request_graphql',
          externalId: row.external_id,
          url,
          payload: JSON.stringify({ ...node, ...parts }),
        },
      });
    }
    const last = stop || !connection.pageInfo.hasNextPage;
    // Open PRs wait for their CI state, asked for CHECK_BATCH head commits at a time across pages.
    if (waiting.length >= CHECK_BATCH || last) {
      const ciStates = await fetchCiStates(
        r,
        waiting.map((w) => w.headOid),
      );
      for (const w of waiting) w.fetched.row.ci_state = ciStateOfCheckRuns(ciStates.get(w.headOid) ?? null);
      ready.push(...waiting.splice(0));
    }
    // Stored in batches of STORE_BATCH PRs (a COPY-stage-merge costs about the same for 40 rows as
    // for thousands), or at the end of the walk.
    let stored = false;
    if (ready.length >= STORE_BATCH || (last && ready.length)) {
      await storeReady(r, ready.splice(0));
      stored = true;
    }
    done += candidates.length;
    r.ctx.onProgress?.({ scope: r.fullName, phase: 'pull requests', done });
    // Nodes still null after the retries (partial answer) are left to the next walk by keeping
    // the watermark where it was.
    lost += connection.nodes.length - nodes.length;
    if (last) {
      const next: ListCursor = { watermark: lost ? cursor.watermark : (newest ?? cursor.watermark) };
      await saveSyncCursor(r.ctx.db, key, { cursor: JSON.stringify(next), etag: lost ? null : etag });
      return;
    }
    after = connection.pageInfo.endCursor;
    if (size < PULL_PAGE && goodInARow >= PAGE_GROW_AFTER) {
      size = Math.min(PULL_PAGE, size * 2);
      goodInARow = 0;
    }
    // Progress is saved only when everything before it is stored (nothing waits nor is buffered):
    // a crash replays from that point (the writes are idempotent).
    if (stored && waiting.length === 0) {
      const progress: ListCursor = {
        watermark: cursor.watermark,
        pending: { page: 0, after, newest, oldestOpen: null, etag },
      };
      await saveSyncCursor(r.ctx.db, key, { cursor: JSON.stringify(progress) });
    }
  }
}

/** A PR fetched and transformed, waiting to be stored (an open one also for its CI state). */
interface Pending {
  fetched: FetchedPullRequest;
  headOid: string;
  version: SourceVersion | undefined;
  raw: RawPayloadInput;
}

/**
 * Stores PRs of one or more pages with their parts (`storePullRequests`, already classified),
 * each PR's answer (JSON text) its raw payload.
 */
async function storeReady(r: RepoSync, items: Pending[]) {
  const versions = new Map<string, SourceVersion>();
  for (const i of items) if (i.version) versions.set(i.fetched.row.external_id, i.version);
  await storePullRequests(
    r,
    items.map((i) => i.fetched),
    versions,
    items.map((i) => i.raw),
  );
}

/** The parts that came with the page (first pages only), for the list fields. */
function firstParts(node: PullRequestNode): Pick<PullRequestParts, 'labels' | 'reviewRequests'> {
  return {
    labels: (node.labels?.nodes ?? []).filter((n) => n !== null),
    reviewRequests: (node.reviewRequests?.nodes ?? []).filter((n) => n !== null),
  };
}

/**
 * The `parts` of a PR, complete: the page each came with, then follow-up queries for each one
 * with more than a page; the timeline split into events, commits, reviews and comments. Parts
 * not asked for are empty.
 */
async function completeParts(
  r: RepoSync,
  node: PullRequestNode,
  parts: readonly PartName[],
): Promise<PullRequestParts> {
  const lists: { [K in PartName]: unknown[] } = { reviewRequests: [], timelineItems: [], labels: [] };
  for (const part of parts) {
    let connection = node[part] as Connection<unknown> | null;
    while (connection) {
      lists[part].push(...connection.nodes.filter((n) => n !== null));
      if (!connection.pageInfo.hasNextPage) break;
      const answer = await r.client.graphql<{
        rateLimit?: PullPage['rateLimit'];
        repository: { pullRequest: Record<PartName, Connection<unknown> | null> | null } | null;
      }>(
        partQuery(part),
        { owner: r.owner, name: r.repo, number: node.number, after: connection.pageInfo.endCursor },
        { retries: 2 },
      );
      connection = answer.repository?.pullRequest?.[part] ?? null;
    }
  }
  return {
    reviewRequests: lists.reviewRequests as PullRequestParts['reviewRequests'],
    labels: lists.labels as PullRequestParts['labels'],
    ...splitTimeline(lists.timelineItems as TimelineItem[]),
  };
}

/** A repository whose running checks are asked again: the client of its credential, its names and id. */
export interface PendingChecksRepository {
  client: GitHubClient;
  owner: string;
  repo: string;
  fullName: string;
  repositoryId: string;
}

/**
 * The check runs of open PRs whose checks were running at the last collection, asked again for
 * every repository of a credential together (`checkRunsAcrossQuery`, `CHECK_BATCH` head commits
 * a query across repositories): a check that finishes leaves the PR's `updatedAt` as it was, so
 * neither the PR list's ETag nor the walk brings them, and GraphQL has no conditional requests. A
 * re-sync with nothing new then costs ceil(running-check commits / 83) queries per credential
 * instead of one per repository. A failing query keeps the stored states (logged; the next sync
 * asks again); a malformed answer is logged and skipped.
 */
export async function refreshPendingChecksAcross(
  ctx: SyncContext,
  repositories: readonly PendingChecksRepository[],
): Promise<void> {
  const byClient = new Map<GitHubClient, { repo: PendingChecksRepository; id: string; headSha: string }[]>();
  for (const repo of repositories) {
    for (const pr of await listPendingCheckPullRequests(ctx.db, repo.repositoryId)) {
      const list = byClient.get(repo.client) ?? [];
      list.push({ repo, id: pr.id, headSha: pr.headSha });
      byClient.set(repo.client, list);
    }
  }
  for (const [client, items] of byClient) {
    for (let at = 0; at < items.length; at += CHECK_BATCH) {
      ctx.signal?.throwIfAborted();
      const batch = items.slice(at, at + CHECK_BATCH);
      const groups: { repo: PendingChecksRepository; prs: typeof batch }[] = [];
      for (const item of batch) {
        const last = groups.at(-1);
        if (last?.repo === item.repo) last.prs.push(item);
        else groups.push({ repo: item.repo, prs: [item] });
      }
      const variables: Record<string, string> = {};
      let j = 0;
      for (const [i, g] of groups.entries()) {
        variables[`o${i}`] = g.repo.owner;
        variables[`n${i}`] = g.repo.repo;
        for (const pr of g.prs) variables[`c${j++}`] = pr.headSha;
      }
      let answer: Record<string, Record<string, { checkSuites?: Suites } | null> | null>;
      try {
        answer = await client.graphql(checkRunsAcrossQuery(groups.map((g) => g.prs.length)), variables, {
          retries: 2,
        });
      } catch (error) {
        ctx.logger.warn(
          {
            repositories: groups.map((g) => g.repo.fullName),
            pullRequests: batch.length,
            reason: (error as Error).message,
          },
          'github graphql: check runs of open pull requests could not be refreshed; the stored states are kept',
        );
        continue;
      }
      j = 0;
      for (const [i, g] of groups.entries()) {
        for (const pr of g.prs) {
          let suites = answer[`r${i}`]?.[`c${j++}`]?.checkSuites ?? null;
          try {
            if (suites?.pageInfo?.hasNextPage) {
              // More apps ran checks than the batch asks for: this commit alone, with all its suites.
              const alone = await client.graphql<{
                rateLimit?: PullPage['rateLimit'];
                repository: Record<string, { checkSuites?: Suites } | null> | null;
              }>(
                checkRunsQuery(1, CHECK_SUITES_MAX),
                { owner: g.repo.owner, name: g.repo.repo, c0: pr.headSha },
                {
                  retries: 2,
                },
              );
              suites = alone.repository?.c0?.checkSuites ?? suites;
            }
            const ciState = ciStateOfCheckRuns(restCheckRunsOf(suites));
            await setPullRequestCiState(ctx.db, { id: pr.id, headSha: pr.headSha, ciState });
          } catch (error) {
            ctx.logger.warn(
              { repository: g.repo.fullName, headSha: pr.headSha, reason: (error as Error).message },
              'github graphql: check runs of an open pull request not refreshed; the stored state is kept',
            );
          }
        }
      }
    }
  }
}

type Suites = Parameters<typeof restCheckRunsOf>[0] & { pageInfo?: { hasNextPage: boolean } };

/**
 * The check runs of each head commit (REST's `GET /commits/{ref}/check-runs` shape), in queries
 * of `CHECK_BATCH` commits (a commit with more check suites than the batch asks for is asked
 * again alone). A commit GitHub does not know has none.
 */
async function fetchCiStates(r: RepoSync, oids: readonly string[]): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  const unique = [...new Set(oids)];
  for (let i = 0; i < unique.length; i += CHECK_BATCH) {
    const batch = unique.slice(i, i + CHECK_BATCH);
    const answer = await r.client.graphql<{
      rateLimit?: PullPage['rateLimit'];
      repository: Record<string, { checkSuites?: Suites } | null> | null;
    }>(
      checkRunsQuery(batch.length),
      { owner: r.owner, name: r.repo, ...Object.fromEntries(batch.map((oid, j) => [`c${j}`, oid])) },
      { retries: 2 },
    );
    for (const [j, oid] of batch.entries()) {
      let suites = answer.repository?.[`c${j}`]?.checkSuites ?? null;
      if (suites?.pageInfo?.hasNextPage) {
        // More apps ran checks than the batch asks for: this commit alone, with all its suites.
        const alone = await r.client.graphql<{
          rateLimit?: PullPage['rateLimit'];
          repository: Record<string, { checkSuites?: Suites } | null> | null;
        }>(checkRunsQuery(1, CHECK_SUITES_MAX), { owner: r.owner, name: r.repo, c0: oid }, { retries: 2 });
        suites = alone.repository?.c0?.checkSuites ?? suites;
      }
      out.set(oid, restCheckRunsOf(suites));
    }
  }
  return out;
}
