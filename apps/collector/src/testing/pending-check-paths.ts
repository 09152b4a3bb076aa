import type { Db } from '@stride/db';

/**
 * Head commits of open PRs whose checks were running at the last collection: a re-sync asks for
 * their check runs again (a check finishing does not change the PR's `updated_at`), with the
 * ETag of the last answer, so with nothing new each is answered 304.
 */
export async function pendingCheckPaths(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('pull_requests as pr')
    .innerJoin('repositories as r', 'r.id', 'pr.repository_id')
    .select(['r.full_name', 'pr.head_sha'])
    .where('pr.state', '=', 'open')
    .where('pr.ci_state', '=', 'pending')
    .execute();
  return rows.map((row) => `/repos/${row.full_name}/commits/${row.head_sha}/check-runs`).sort();
}
