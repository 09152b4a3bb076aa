import type { Db } from '../connection.ts';
import type { CiState } from '../schema.ts';

/**
 * Open PRs of a repository whose head commit's checks were still running when last collected
 * (`ci_state = 'pending'`): a finished check does not change the PR's `updated_at`, so the PR
 * walk would never ask again. @returns our id, the PR number and the head commit.
 */
export async function listPendingCheckPullRequests(
  db: Db,
  repositoryId: string,
): Promise<{ id: string; number: number; headSha: string }[]> {
  const rows = await db
    .selectFrom('pull_requests')
    .select(['id', 'number', 'head_sha'])
    .where('repository_id', '=', repositoryId)
    .where('state', '=', 'open')
    .where('ci_state', '=', 'pending')
    .where('head_sha', 'is not', null)
    .execute();
  return rows.map((r) => ({ id: r.id, number: r.number, headSha: r.head_sha! }));
}

/**
 * Stores the check state of a PR's head commit, unless the PR has moved to another head since
 * (that head's checks are collected with it). @returns whether the row was updated.
 */
export async function setPullRequestCiState(
  db: Db,
  input: { id: string; headSha: string; ciState: CiState | null },
): Promise<boolean> {
  const result = await db
    .updateTable('pull_requests')
    .set({ ci_state: input.ciState })
    .where('id', '=', input.id)
    .where('head_sha', '=', input.headSha)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
