import {
  getSourceVersions,
  type NewPullRequest,
  type NewPullRequestCommit,
  type NewPullRequestReview,
  type RawPayloadInput,
  upsertPullRequestCommits,
  upsertPullRequestReviews,
  upsertPullRequests,
} from '@stride/db';
import {
  transformPullRequest,
  transformPullRequestCommit,
  transformReview,
} from '../../transform/github/index.ts';
import {
  badPage,
  fetchAll,
  isoOf,
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
 * (additions/deletions), the commits (first commit time) and the reviews. The PR's
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
      let done = 0;
      for (const { payload, row } of rows) {
        r.ctx.signal?.throwIfAborted();
        const known = versions.get(row.external_id);
        const updated = new Date(row.source_updated_at as string).getTime();
        if (known?.sourceUpdatedAt && known.sourceUpdatedAt.getTime() === updated) continue;
        if (row.merged_at)
          await syncMergedPullRequest(r, payload, row, known?.sourceUpdatedAt ?? null, options);
        else {
          await upsertPullRequests(r.ctx.db, [row]);
          await storeRaw(r, [
            { source: 'github', kind: 'pull_request', externalId: row.external_id, url, payload },
          ]);
          r.counts.upserted += 1;
        }
        done += 1;
        r.ctx.onProgress?.({ scope: r.fullName, phase: 'pull requests', done });
      }
      return { newest, oldestOpen: null, stop };
    },
  );
}

async function syncMergedPullRequest(
  r: RepoSync,
  listPayload: unknown,
  listRow: NewPullRequest,
  storedVersion: Date | null,
  options: Parameters<typeof transformPullRequest>[1],
): Promise<void> {
  const number = listRow.number;
  const params = { owner: r.owner, repo: r.repo, pull_number: number };
  const [detail, commits, reviews] = await Promise.all([
    r.client.get('GET /repos/{owner}/{repo}/pulls/{pull_number}', params),
    fetchAll(r, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', params),
    fetchAll(r, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', params),
  ]);
  let row = listRow;
  let payload = listPayload;
  let detailUrl: string = detail.url;
  if (!detail.notModified) {
    try {
      row = transformPullRequest(detail.data, options);
      payload = detail.data;
      detailUrl = detail.url;
    } catch (error) {
      skipInvalid(r, error, detail.url, 'pull request detail');
    }
  }
  // Not yet the final `source_updated_at`: that marks the PR complete (see syncPullRequests).
  const placeholder = storedVersion ? storedVersion.toISOString() : (row.created_at as string);
  const ids = await upsertPullRequests(r.ctx.db, [{ ...row, source_updated_at: placeholder }]);
  const pullRequestId = ids.get(row.external_id)!;
  const raw: RawPayloadInput[] = [
    { source: 'github', kind: 'pull_request', externalId: row.external_id, url: detailUrl, payload },
  ];
  const commitRows: NewPullRequestCommit[] = [];
  for (const c of commits.items) {
    try {
      const commitRow = transformPullRequestCommit(c, { pullRequestId });
      commitRows.push(commitRow);
      raw.push({
        source: 'github',
        kind: 'pull_request_commit',
        externalId: `${row.external_id}:${commitRow.sha}`,
        url: commits.url,
        payload: c,
      });
    } catch (error) {
      skipInvalid(r, error, commits.url, 'pull request commit');
    }
  }
  const reviewRows: NewPullRequestReview[] = [];
  for (const v of reviews.items) {
    try {
      const reviewRow = transformReview(v, { pullRequestId, botLogins: options.botLogins ?? [] });
      if (reviewRow) {
        reviewRows.push(reviewRow);
        raw.push({
          source: 'github',
          kind: 'pull_request_review',
          externalId: reviewRow.external_id,
          url: reviews.url,
          payload: v,
        });
      }
    } catch (error) {
      skipInvalid(r, error, reviews.url, 'pull request review');
    }
  }
  await upsertPullRequestCommits(r.ctx.db, commitRows);
  await upsertPullRequestReviews(r.ctx.db, reviewRows);
  await storeRaw(r, raw);
  await upsertPullRequests(r.ctx.db, [row]);
  r.counts.upserted += 1 + commitRows.length + reviewRows.length;
}
