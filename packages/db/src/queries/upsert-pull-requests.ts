import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { CiState, NewPullRequest, NewPullRequestCommit, NewPullRequestReview } from '../schema.ts';
import { fillExternalIds } from './fill-external-ids.ts';

/**
 * Inserts or updates pull requests on their GitHub id (`external_id`); idempotent. Deliveries and
 * polls arrive out of order, so the newer state wins: a row older than the stored one by the
 * source's `updated_at` (`source_updated_at`) changes nothing, and a merged PR never becomes
 * unmerged (`merged_at`, `state = 'merged'` and the merge commit are kept). Fields the list
 * endpoint does not carry (size, first commit, first review) are kept when the new row leaves
 * them null. @returns our id by external id, for every row sent (changed or kept).
 */
export async function upsertPullRequests(
  db: Db,
  rows: readonly NewPullRequest[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const result = await db
    .insertInto('pull_requests')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .column('external_id')
        .doUpdateSet((eb) => ({
          repository_id: eb.ref('excluded.repository_id'),
          number: eb.ref('excluded.number'),
          title: eb.ref('excluded.title'),
          author_login: eb.ref('excluded.author_login'),
          author_is_bot: eb.ref('excluded.author_is_bot'),
          state: sql<
            'open' | 'closed' | 'merged'
          >`case when pull_requests.merged_at is not null then 'merged' else excluded.state end`,
          draft: eb.ref('excluded.draft'),
          base_branch: eb.ref('excluded.base_branch'),
          head_branch: eb.ref('excluded.head_branch'),
          created_at: eb.ref('excluded.created_at'),
          ready_for_review_at: eb.fn.coalesce(
            'excluded.ready_for_review_at',
            'pull_requests.ready_for_review_at',
          ),
          first_commit_at: eb.fn.coalesce('excluded.first_commit_at', 'pull_requests.first_commit_at'),
          first_review_at: eb.fn.coalesce('excluded.first_review_at', 'pull_requests.first_review_at'),
          merged_at: eb.fn.coalesce('pull_requests.merged_at', 'excluded.merged_at'),
          closed_at: eb.ref('excluded.closed_at'),
          source_updated_at: eb.ref('excluded.source_updated_at'),
          additions: eb.fn.coalesce('excluded.additions', 'pull_requests.additions'),
          deletions: eb.fn.coalesce('excluded.deletions', 'pull_requests.deletions'),
          changed_files: eb.fn.coalesce('excluded.changed_files', 'pull_requests.changed_files'),
          commits_count: eb.fn.coalesce('excluded.commits_count', 'pull_requests.commits_count'),
          merge_commit_sha: eb.fn.coalesce('excluded.merge_commit_sha', 'pull_requests.merge_commit_sha'),
          labels: eb.ref('excluded.labels'),
          is_unplanned: eb.ref('excluded.is_unplanned'),
          linked_issue_keys: eb.ref('excluded.linked_issue_keys'),
          html_url: eb.ref('excluded.html_url'),
          // A row that could not classify (a webhook without commits) keeps the stored class.
          ai_class: eb.fn.coalesce('excluded.ai_class', 'pull_requests.ai_class'),
          ai_evidence: sql`case when excluded.ai_class is null then pull_requests.ai_evidence else excluded.ai_evidence end`,
          revert_refs: sql`case when cardinality(excluded.revert_refs) = 0 then pull_requests.revert_refs else excluded.revert_refs end`,
          requested_reviewers: eb.ref('excluded.requested_reviewers'),
          requested_teams: eb.ref('excluded.requested_teams'),
          head_sha: eb.fn.coalesce('excluded.head_sha', 'pull_requests.head_sha'),
          // A new head commit has checks of its own: the old state no longer applies.
          ci_state: sql<CiState | null>`case when excluded.head_sha is distinct from pull_requests.head_sha
            and excluded.head_sha is not null then excluded.ci_state
            else coalesce(excluded.ci_state, pull_requests.ci_state) end`,
        }))
        .where(sql<boolean>`excluded.source_updated_at >= pull_requests.source_updated_at`),
    )
    .returning(['id', 'external_id'])
    .execute();
  for (const row of result) ids.set(row.external_id, row.id);
  await fillExternalIds(db, 'pull_requests', rows, ids);
  return ids;
}

/**
 * Inserts or updates reviews (and review comments) on their GitHub id, then sets each touched
 * PR's `first_review_at`: the earliest review or comment by someone other than the author,
 * bots excluded (docs/metrics.md, pickup time).
 */
export async function upsertPullRequestReviews(db: Db, rows: readonly NewPullRequestReview[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('pull_request_reviews')
      .values([...rows])
      .onConflict((oc) =>
        oc.column('external_id').doUpdateSet((eb) => ({
          state: eb.ref('excluded.state'),
          kind: eb.ref('excluded.kind'),
          reviewer_login: eb.ref('excluded.reviewer_login'),
          reviewer_is_bot: eb.ref('excluded.reviewer_is_bot'),
          submitted_at: eb.ref('excluded.submitted_at'),
        })),
      )
      .execute();
    const prIds = [...new Set(rows.map((r) => String(r.pull_request_id)))];
    await refreshFirstReview(trx, prIds);
  });
}

async function refreshFirstReview(db: Db, pullRequestIds: readonly string[]): Promise<void> {
  await db
    .updateTable('pull_requests as pr')
    .set((eb) => ({
      first_review_at: eb
        .selectFrom('pull_request_reviews as r')
        .select((e) => e.fn.min('r.submitted_at').as('first'))
        .whereRef('r.pull_request_id', '=', 'pr.id')
        .where('r.reviewer_is_bot', '=', false)
        .where((e) =>
          e.or([
            e('pr.author_login', 'is', null),
            e('r.reviewer_login', 'is', null),
            e(e.fn('lower', ['r.reviewer_login']), '!=', e.fn('lower', ['pr.author_login'])),
          ]),
        ),
    }))
    .where('pr.id', 'in', [...pullRequestIds])
    .execute();
}

/**
 * Inserts or updates a PR's commits, then sets each touched PR's `first_commit_at` to the
 * earliest `commit.author.date` (docs/metrics.md, Change).
 */
export async function upsertPullRequestCommits(db: Db, rows: readonly NewPullRequestCommit[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('pull_request_commits')
      .values([...rows])
      .onConflict((oc) =>
        oc.columns(['pull_request_id', 'sha']).doUpdateSet((eb) => ({
          author_login: eb.ref('excluded.author_login'),
          author_email: eb.ref('excluded.author_email'),
          authored_at: eb.ref('excluded.authored_at'),
          committed_at: eb.ref('excluded.committed_at'),
        })),
      )
      .execute();
    const prIds = [...new Set(rows.map((r) => String(r.pull_request_id)))];
    await trx
      .updateTable('pull_requests as pr')
      .set((eb) => ({
        first_commit_at: eb
          .selectFrom('pull_request_commits as c')
          .select((e) => e.fn.min('c.authored_at').as('first'))
          .whereRef('c.pull_request_id', '=', 'pr.id'),
      }))
      .where('pr.id', 'in', prIds)
      .execute();
  });
}
