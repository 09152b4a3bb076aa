import {
  getSourceVersions,
  type NewPullRequest,
  type NewPullRequestCommit,
  type NewPullRequestReview,
  type RawPayloadInput,
  type SourceVersion,
  upsertPullRequestCommits,
  upsertPullRequestReviews,
  upsertPullRequests,
} from '@stride/db';
import {
  transformIssueComment,
  transformPullRequest,
  transformPullRequestCommit,
  transformReview,
} from '@stride/ingest';
import {
  badPage,
  chunk,
  fetchAll,
  isoOf,
  mapLimit,
  type PageOutcome,
  PER_PAGE,
  type RepoSync,
  skipInvalid,
  storeRaw,
  walkList,
} from './repo-sync.ts';

/**
 * Pull requests of one repository: `GET /repos/{o}/{r}/pulls?state=all&sort=updated&direction=desc`,
 * stopping at the stored watermark (or the backfill horizon). A PR whose `updated_at` equals the
 * stored one is skipped with no further request. For each merged PR it also fetches the detail
 * (additions/deletions), the commits (first commit time), the reviews and the conversation
 * comments (pickup time). The PR's
 * `source_updated_at` moves only after its commits and reviews are stored, so a crash in between
 * makes the next run fetch it again.
 */
export async function syncPullRequests(r: RepoSync): Promise<void> {
  const options = {
    repositoryId: r.repositoryId,
    unplannedLabels: r.ctx.config.github.unplannedLabels,
    botLogins: r.ctx.config.github.botLogins,
  };
  await walkList<unknown>(
    r,
    'pulls',
    (page, etag) =>
      r.client.get(
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
      ),
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
      const versions = await getSourceVersions(
        r.ctx.db,
        { table: 'pull_requests' },
        rows.map((x) => x.row.external_id),
      );
      const changed = rows.filter(({ row }) => {
        const known = versions.get(row.external_id)?.sourceUpdatedAt;
        return !known || known.getTime() !== new Date(row.source_updated_at as string).getTime();
      });
      let done = 0;
      // Chunks of PRs: their sub-requests run concurrently, their rows are written in a few
      // statements; a crash loses at most one chunk's requests.
      for (const group of chunk(changed, PR_CHUNK)) {
        r.ctx.signal?.throwIfAborted();
        const fetched = await mapLimit(group, FETCH_CONCURRENCY, async (x) =>
          x.row.merged_at
            ? { ...x, ...(await fetchMergedPullRequest(r, x.payload, x.row, options)) }
            : { ...x, url, children: null },
        );
        await storePullRequests(r, fetched, versions);
        done += group.length;
        r.ctx.onProgress?.({ scope: r.fullName, phase: 'pull requests', done, total: changed.length });
      }
      return { newest, oldestOpen: null, stop };
    },
  );
}

interface FetchedPullRequest {
  payload: unknown;
  row: NewPullRequest;
  url: string;
  children: {
    commits: { items: unknown[]; url: string };
    reviews: { items: unknown[]; url: string };
    comments: { items: unknown[]; url: string };
  } | null;
}

const PR_CHUNK = 10;
const FETCH_CONCURRENCY = 8;

/** Detail (size), commits and reviews of a merged PR; a malformed detail keeps the list row. */
async function fetchMergedPullRequest(
  r: RepoSync,
  listPayload: unknown,
  listRow: NewPullRequest,
  options: Parameters<typeof transformPullRequest>[1],
): Promise<Omit<FetchedPullRequest, 'payload' | 'row'> & { payload: unknown; row: NewPullRequest }> {
  const params = { owner: r.owner, repo: r.repo, pull_number: listRow.number };
  const [detail, commits, reviews, comments] = await Promise.all([
    r.client.get('GET /repos/{owner}/{repo}/pulls/{pull_number}', params),
    fetchAll(r, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', params),
    fetchAll(r, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', params),
    fetchAll(r, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: r.owner,
      repo: r.repo,
      issue_number: listRow.number,
    }),
  ]);
  if (!detail.notModified) {
    try {
      return {
        payload: detail.data,
        row: transformPullRequest(detail.data, options),
        url: detail.url,
        children: { commits, reviews, comments },
      };
    } catch (error) {
      skipInvalid(r, error, detail.url, 'pull request detail');
    }
  }
  return { payload: listPayload, row: listRow, url: detail.url, children: { commits, reviews, comments } };
}

/**
 * Writes a chunk of PRs with their commits, reviews and raw payloads. The PRs are first written
 * with their previous `source_updated_at` and get the new one last, so a PR counts as stored
 * (and is skipped by the next walk) only once its commits and reviews are.
 */
async function storePullRequests(
  r: RepoSync,
  fetched: FetchedPullRequest[],
  versions: Map<string, SourceVersion>,
): Promise<void> {
  const botLogins = r.ctx.config.github.botLogins;
  const ids = await upsertPullRequests(
    r.ctx.db,
    fetched.map(({ row }) => ({
      ...row,
      source_updated_at:
        versions.get(row.external_id)?.sourceUpdatedAt?.toISOString() ?? (row.created_at as string),
    })),
  );
  const raw: RawPayloadInput[] = [];
  const commitRows: NewPullRequestCommit[] = [];
  const reviewRows: NewPullRequestReview[] = [];
  for (const { payload, row, url, children } of fetched) {
    raw.push({ source: 'github', kind: 'pull_request', externalId: row.external_id, url, payload });
    if (!children) continue;
    const pullRequestId = ids.get(row.external_id)!;
    for (const c of children.commits.items) {
      try {
        const commitRow = transformPullRequestCommit(c, { pullRequestId });
        commitRows.push(commitRow);
        raw.push({
          source: 'github',
          kind: 'pull_request_commit',
          externalId: `${row.external_id}:${commitRow.sha}`,
          url: children.commits.url,
          payload: c,
        });
      } catch (error) {
        skipInvalid(r, error, children.commits.url, 'pull request commit');
      }
    }
    for (const v of children.reviews.items) {
      try {
        const reviewRow = transformReview(v, { pullRequestId, botLogins });
        if (!reviewRow) continue;
        reviewRows.push(reviewRow);
        raw.push({
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
        const commentRow = transformIssueComment(c, { pullRequestId, botLogins });
        reviewRows.push(commentRow);
        raw.push({
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
  await upsertPullRequestCommits(r.ctx.db, commitRows);
  await upsertPullRequestReviews(r.ctx.db, reviewRows);
  await storeRaw(r, raw);
  await upsertPullRequests(
    r.ctx.db,
    fetched.map(({ row }) => row),
  );
  r.counts.upserted += fetched.length + commitRows.length + reviewRows.length;
}
