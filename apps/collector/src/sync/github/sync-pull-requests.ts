import {
  type BulkPullRequestCommit,
  type BulkPullRequestReview,
  getSourceVersions,
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
  classifyPullRequestPayload,
  readyForReviewAt,
  transformIssueComment,
  transformPullRequest,
  transformPullRequestCommit,
  transformReview,
} from '@stride/ingest';
import { throwIfStopping } from '../sync-context.ts';
import {
  badPage,
  bulkRawOf,
  chunk,
  cursorKey,
  fetchAll,
  isoOf,
  logUnsafeLinks,
  mapLimit,
  minTime,
  type PageOutcome,
  PER_PAGE,
  type RepoSync,
  recordMissing,
  skipInvalid,
  walkList,
  writeBatch,
} from './repo-sync.ts';

/**
 * Pull requests of one repository: `GET /repos/{o}/{r}/pulls?state=all&sort=updated&direction=desc`,
 * stopping at the stored watermark (or the backfill horizon). A PR whose `updated_at` equals the
 * stored one is skipped with no further request. For each merged PR it also fetches the detail
 * (additions/deletions), the commits (first commit time), the reviews and the conversation
 * comments (pickup time) and the issue timeline (when a draft was marked ready for review); for
 * each open PR the reviews, comments and timeline too, and the check runs of its head commit
 * (what a stuck PR waits on). The PR's
 * `source_updated_at` moves only after its commits and reviews are stored, so a crash in between
 * makes the next run fetch it again.
 */
export async function syncPullRequests(r: RepoSync): Promise<void> {
  const fetched = await walkPullRequests(r);
  await refreshPendingChecks(r, fetched);
}

/**
 * Asks again for the check runs of open PRs whose checks were running at the last collection:
 * checks that finish leave the PR's `updated_at` as it was, so the walk skips those PRs. Each ask
 * is conditional (the ETag of the last answer): checks still running as before answer 304. A
 * failing request keeps the stored state (logged; the next sync asks again).
 */
export async function refreshPendingChecks(r: RepoSync, fetchedNow: ReadonlySet<number>): Promise<void> {
  // PRs the walk just fetched came with their check runs.
  const pending = (await listPendingCheckPullRequests(r.ctx.db, r.repositoryId)).filter(
    (pr) => !fetchedNow.has(pr.number),
  );
  await mapLimit(pending, FETCH_CONCURRENCY, async (pr) => {
    r.ctx.signal?.throwIfAborted();
    let checks: Awaited<ReturnType<typeof r.client.get>>;
    const key = checkRunsKey(r, pr.headSha);
    try {
      // Conditional: check runs that did not change answer 304, which costs no rate limit.
      const stored = await getSyncCursor(r.ctx.db, key);
      checks = await r.client.get(
        'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
        { owner: r.owner, repo: r.repo, ref: pr.headSha, per_page: PER_PAGE },
        stored.etag,
      );
    } catch (error) {
      const failure = describeFailure(error);
      recordMissing(r, PART_NAMES.checks, failure.reason);
      r.ctx.logger.warn(
        { repository: r.fullName, pullRequest: pr.number, reason: failure.reason },
        'github: check runs of an open pull request could not be refreshed; the stored state is kept',
      );
      return;
    }
    if (checks.notModified) return;
    let ciState: ReturnType<typeof ciStateOfCheckRuns>;
    try {
      ciState = ciStateOfCheckRuns(checks.data);
    } catch (error) {
      skipInvalid(r, error, checks.url, 'check runs');
      return;
    }
    await setPullRequestCiState(r.ctx.db, { id: pr.id, headSha: pr.headSha, ciState });
    await saveSyncCursor(r.ctx.db, key, { etag: checks.etag });
  });
}

/** The `sync_cursors` key holding the ETag of a head commit's check runs (asked again while pending). */
function checkRunsKey(r: RepoSync, sha: string) {
  return cursorKey(r, `check-runs:${sha}`);
}

/** The walk of the PR list; @returns the numbers of the PRs whose parts it fetched. */
async function walkPullRequests(r: RepoSync): Promise<Set<number>> {
  const fetchedNumbers = new Set<number>();
  const options = {
    repositoryId: r.repositoryId,
    unplannedLabels: r.ctx.config.github.unplannedLabels,
    botLogins: r.ctx.config.github.botLogins,
    aiRules: aiDetectionRulesFor(r.ctx.config.ai),
  };
  await walkList<unknown>(
    r,
    'pulls',
    (page, etag) => fetchPullsPage(r, page, etag),
    (data) => data as unknown[],
    async (items, watermark, url): Promise<PageOutcome> => {
      if (!Array.isArray(items)) return badPage(r, url, 'an array of pull requests');
      const rows: { payload: unknown; row: NewPullRequest }[] = [];
      let newest: string | null = null;
      let stop = false;
      for (const payload of items) {
        const updated = isoOf((payload as { updated_at?: unknown })?.updated_at);
        if (updated && ((watermark && updated < watermark) || (r.since && updated < r.since.toISOString()))) {
          stop = true;
          break;
        }
        try {
          const row = transformPullRequest(payload, options);
          rows.push({ payload, row });
          if (updated && (newest === null || updated > newest)) newest = updated;
        } catch (error) {
          skipInvalid(r, error, url, 'pull request');
        }
      }
      const { versions, changed } = await changedPullRequests(r, rows);
      let done = 0;
      let retryFrom: string | null = null;
      // Chunks of PRs: their sub-requests run concurrently, their rows are written in a few
      // statements; a crash loses at most one chunk's requests.
      for (const group of chunk(changed, PR_CHUNK)) {
        throwIfStopping(r.ctx);
        const fetched = await mapLimit(group, FETCH_CONCURRENCY, async (x) =>
          x.row.merged_at || x.row.state === 'open'
            ? { ...x, ...(await fetchPullRequestParts(r, x.payload, x.row, options)) }
            : { ...x, url, children: null },
        );
        await storePullRequests(r, fetched.map(withAiClass(options.aiRules)), versions);
        for (const f of fetched) if (f.children) fetchedNumbers.add(f.row.number);
        for (const f of fetched) {
          for (const m of f.missing ?? []) recordMissing(r, PART_NAMES[m.part], m.reason);
          // A part that failed for a passing reason: the walk comes back to this PR next time.
          if (f.missing?.some((m) => m.retry)) retryFrom = minTime(retryFrom, isoOf(f.row.source_updated_at));
        }
        done += group.length;
        r.ctx.onProgress?.({ scope: r.fullName, phase: 'pull requests', done, total: changed.length });
      }
      return { newest, oldestOpen: retryFrom, stop, refetch: retryFrom !== null };
    },
  );
  return fetchedNumbers;
}

/**
 * The stored versions of a page's PRs and the PRs whose `updated_at` differs from the stored one
 * (the others are skipped with no further request).
 */
export async function changedPullRequests<T extends { row: NewPullRequest }>(
  r: RepoSync,
  rows: T[],
): Promise<{ versions: Map<string, SourceVersion>; changed: T[] }> {
  const versions = await getSourceVersions(
    r.ctx.db,
    { table: 'pull_requests' },
    rows.map((x) => x.row.external_id),
  );
  const changed = rows.filter(({ row }) => {
    const known = versions.get(row.external_id)?.sourceUpdatedAt;
    return !known || known.getTime() !== new Date(row.source_updated_at as string).getTime();
  });
  return { versions, changed };
}

/** One page of `GET /pulls?state=all&sort=updated&direction=desc` (conditional with `etag`). */
export function fetchPullsPage(r: RepoSync, page: number, etag: string | null) {
  return r.client.get(
    'GET /repos/{owner}/{repo}/pulls',
    {
      owner: r.owner,
      repo: r.repo,
      state: 'all',
      sort: 'updated',
      direction: 'desc',
      per_page: PER_PAGE,
      page,
    },
    etag,
  );
}

/**
 * A merged PR whose commits were fetched is classified again with them (AI trailers and
 * markers, revert bodies: docs/metrics.md, "AI impact"), from the messages already in hand.
 */
export function withAiClass(rules: ReturnType<typeof aiDetectionRulesFor>) {
  return (f: FetchedPullRequest): FetchedPullRequest => {
    // Open PRs come without their commits: their list-row class stands.
    if (!f.children || !f.row.merged_at || f.missing?.some((m) => m.part === 'commits')) return f;
    return {
      ...f,
      row: { ...f.row, ...classifyPullRequestPayload(f.payload, f.children.commits.items, rules) },
    };
  };
}

/** A PR of a page with the payloads of its parts (REST shapes), ready for `storePullRequests`. */
export interface FetchedPullRequest {
  payload: unknown;
  row: NewPullRequest;
  url: string;
  children: {
    commits: { items: unknown[]; url: string };
    reviews: { items: unknown[]; url: string };
    comments: { items: unknown[]; url: string };
  } | null;
  /** Parts of a merged PR that could not be fetched (the PR is stored without them). */
  missing?: MissingPart[];
}

const PR_CHUNK = 10;
const FETCH_CONCURRENCY = 8;

type Part = 'detail' | 'commits' | 'reviews' | 'comments' | 'timeline' | 'checks';
const PART_NAMES: Record<Part, string> = {
  detail: 'pull request details (size)',
  commits: 'pull request commits',
  reviews: 'pull request reviews',
  comments: 'pull request comments',
  timeline: 'pull request timeline (ready for review)',
  checks: 'pull request check runs',
};

/** A part that failed: the rest of the PR is kept; `retry` (5xx, network) means fetch it again next sync. */
interface MissingPart {
  part: Part;
  reason: string;
  retry: boolean;
}

function describeFailure(error: unknown): { reason: string; retry: boolean } {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  // 401/403/404/410: the token may not read this part (e.g. issue comments); retrying will not help.
  const permanent = typeof status === 'number' && status >= 400 && status < 500;
  return { reason: typeof status === 'number' ? `HTTP ${status}: ${message}` : message, retry: !permanent };
}

/**
 * The parts of a merged or open PR, each on its own: a failing part (after the client's retries)
 * is recorded as missing and the others are kept; a malformed detail keeps the list row.
 * - merged: detail (size), commits, reviews, comments, timeline;
 * - open: reviews, comments, timeline, and the check runs of the head commit.
 * The timeline dates readiness (`ready_for_review_at`) and the check runs give `ci_state`.
 */
async function fetchPullRequestParts(
  r: RepoSync,
  listPayload: unknown,
  listRow: NewPullRequest,
  options: Parameters<typeof transformPullRequest>[1],
): Promise<Omit<FetchedPullRequest, 'payload' | 'row'> & { payload: unknown; row: NewPullRequest }> {
  const merged = Boolean(listRow.merged_at);
  const params = { owner: r.owner, repo: r.repo, pull_number: listRow.number };
  const issue = { owner: r.owner, repo: r.repo, issue_number: listRow.number };
  const none = Promise.resolve(null);
  const settled = await Promise.allSettled([
    merged ? r.client.get('GET /repos/{owner}/{repo}/pulls/{pull_number}', params) : none,
    merged ? fetchAll(r, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', params) : none,
    fetchAll(r, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', params),
    fetchAll(r, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', issue),
    fetchAll(r, 'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline', issue),
    !merged && listRow.head_sha
      ? r.client.get('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
          owner: r.owner,
          repo: r.repo,
          ref: listRow.head_sha,
          per_page: PER_PAGE,
        })
      : none,
  ]);
  r.ctx.signal?.throwIfAborted(); // a stop (ctx.stop) lets the chunk in hand finish
  const missing: MissingPart[] = [];
  const partOf = <T>(part: Part, result: PromiseSettledResult<T>, empty: T): T => {
    if (result.status === 'fulfilled') return result.value;
    const failure = describeFailure(result.reason);
    missing.push({ part, ...failure });
    r.ctx.logger.warn(
      { repository: r.fullName, pullRequest: listRow.number, part, reason: failure.reason },
      'github: part of a pull request could not be fetched; the rest is kept',
    );
    return empty;
  };
  const [detailResult, commitsResult, reviewsResult, commentsResult, timelineResult, checksResult] = settled;
  const emptyList = { items: [] as unknown[], url: '' };
  const children = {
    commits: partOf('commits', commitsResult, null) ?? emptyList,
    reviews: partOf('reviews', reviewsResult, emptyList),
    comments: partOf('comments', commentsResult, emptyList),
  };
  // Readiness and CI state complete whichever row is kept (list or detail).
  const extra: Partial<NewPullRequest> = {};
  const timeline = partOf('timeline', timelineResult, null);
  if (timeline?.url) {
    try {
      extra.ready_for_review_at = readyForReviewAt(timeline.items);
    } catch (error) {
      skipInvalid(r, error, timeline.url, 'pull request timeline');
    }
  }
  const checks = partOf('checks', checksResult, null);
  if (checks && !checks.notModified) {
    try {
      extra.ci_state = ciStateOfCheckRuns(checks.data);
      // Pending checks are asked again by the next sync: with this ETag, a 304 if nothing finished.
      if (extra.ci_state === 'pending' && checks.etag && listRow.head_sha) {
        await saveSyncCursor(r.ctx.db, checkRunsKey(r, listRow.head_sha), { etag: checks.etag });
      }
    } catch (error) {
      skipInvalid(r, error, checks.url, 'check runs');
    }
  }
  const detail = partOf('detail', detailResult, null);
  if (detail && !detail.notModified) {
    try {
      return {
        payload: detail.data,
        row: { ...transformPullRequest(detail.data, options), ...extra },
        url: detail.url,
        children,
        missing,
      };
    } catch (error) {
      skipInvalid(r, error, detail.url, 'pull request detail');
    }
  }
  return { payload: listPayload, row: { ...listRow, ...extra }, url: detail?.url ?? '', children, missing };
}

/**
 * Writes a chunk of PRs with their commits, reviews and raw payloads in one COPY-stage-merge
 * transaction (`writeBatch`): a PR counts as stored (and is skipped by the next walk) only once
 * its commits and reviews are, since all land together or not at all. A PR with a part that failed
 * for a passing reason keeps its previous `source_updated_at` (or its creation time), so the next
 * walk fetches it again; a newer state already stored (a webhook) is kept by the merge's
 * "newer state wins" rule. `rawPayloads`, when given, are stored instead of one raw row per PR,
 * commit, review and comment (the GraphQL path keeps each PR's answer whole, parts included).
 */
export async function storePullRequests(
  r: RepoSync,
  fetched: FetchedPullRequest[],
  versions: Map<string, SourceVersion>,
  rawPayloads?: RawPayloadInput[],
): Promise<void> {
  const botLogins = r.ctx.config.github.botLogins;
  // The earlier of the stored and the fetched version: a webhook may already have stored a newer
  // state, which this older page must not overwrite (the merge keeps the newer one).
  const heldBack = (row: NewPullRequest) =>
    versions.has(row.external_id)
      ? (minTime(
          versions.get(row.external_id)?.sourceUpdatedAt?.toISOString() ?? null,
          isoOf(row.source_updated_at),
        ) ?? (row.created_at as string))
      : (row.created_at as string);
  const raw: RawPayloadInput[] = [];
  const commitRows: BulkPullRequestCommit[] = [];
  const reviewRows: BulkPullRequestReview[] = [];
  // The transforms name the PR by our id; the bulk rows name it by its GitHub id instead.
  const noId = { pullRequestId: '' };
  // Given raw payloads replace the per-object ones, which are then not built.
  const keep = (input: RawPayloadInput) => {
    if (!rawPayloads) raw.push(input);
  };
  for (const { payload, row, url, children } of fetched) {
    keep({ source: 'github', kind: 'pull_request', externalId: row.external_id, url, payload });
    if (!children) continue;
    const parent = row.external_id;
    for (const c of children.commits.items) {
      try {
        const { pull_request_id: _, ...commitRow } = transformPullRequestCommit(c, noId);
        commitRows.push({ pull_request_external_id: parent, ...commitRow });
        keep({
          source: 'github',
          kind: 'pull_request_commit',
          externalId: `${parent}:${commitRow.sha}`,
          url: children.commits.url,
          payload: c,
        });
      } catch (error) {
        skipInvalid(r, error, children.commits.url, 'pull request commit');
      }
    }
    for (const v of children.reviews.items) {
      try {
        const review = transformReview(v, { ...noId, botLogins });
        if (!review) continue;
        const { pull_request_id: _, ...reviewRow } = review;
        reviewRows.push({ pull_request_external_id: parent, ...reviewRow });
        keep({
          source: 'github',
          kind: 'pull_request_review',
          externalId: reviewRow.external_id,
          url: children.reviews.url,
          payload: v,
        });
      } catch (error) {
        skipInvalid(r, error, children.reviews.url, 'pull request review');
      }
    }
    for (const c of children.comments.items) {
      try {
        const { pull_request_id: _, ...commentRow } = transformIssueComment(c, { ...noId, botLogins });
        reviewRows.push({ pull_request_external_id: parent, ...commentRow });
        keep({
          source: 'github',
          kind: 'pull_request_comment',
          externalId: commentRow.external_id,
          url: children.comments.url,
          payload: c,
        });
      } catch (error) {
        skipInvalid(r, error, children.comments.url, 'pull request comment');
      }
    }
  }
  const rawRows = rawPayloads ?? raw;
  logUnsafeLinks(r, rawRows);
  // First commit and first review of the rows in hand, so the merge writes each PR once: the
  // loader's refresh (commits and reviews stored earlier included) then finds them right and
  // rewrites only a PR whose stored parts change them (docs/metrics.md, Change and pickup time).
  const firstCommit = new Map<string, string>();
  for (const c of commitRows) {
    const at = isoOf(c.authored_at);
    const known = firstCommit.get(c.pull_request_external_id);
    if (at && (!known || at < known)) firstCommit.set(c.pull_request_external_id, at);
  }
  const authors = new Map(
    fetched.map(({ row }) => [row.external_id, row.author_login?.toLowerCase() ?? null]),
  );
  const firstReview = new Map<string, string>();
  for (const v of reviewRows) {
    const author = authors.get(v.pull_request_external_id) ?? null;
    if (v.reviewer_is_bot || (author && v.reviewer_login && v.reviewer_login.toLowerCase() === author))
      continue;
    const at = isoOf(v.submitted_at);
    const known = firstReview.get(v.pull_request_external_id);
    if (at && (!known || at < known)) firstReview.set(v.pull_request_external_id, at);
  }
  await writeBatch(r, {
    raw_payloads: rawRows.map(bulkRawOf(r)),
    pull_requests: fetched.map(({ row, missing }) => {
      const firsts = {
        first_commit_at: row.first_commit_at ?? firstCommit.get(row.external_id) ?? null,
        first_review_at: row.first_review_at ?? firstReview.get(row.external_id) ?? null,
      };
      return missing?.some((m) => m.retry)
        ? { ...row, ...firsts, source_updated_at: heldBack(row) }
        : { ...row, ...firsts };
    }),
    pull_request_commits: commitRows,
    pull_request_reviews: reviewRows,
  });
  r.counts.upserted += fetched.length + commitRows.length + reviewRows.length;
}
