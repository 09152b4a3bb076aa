import type { Db } from '@stride/db';

/**
 * Head commits of open PRs whose checks were running at the last collection: a re-sync asks for
 * their check runs again, unconditionally (a check finishing does not change the PR's
 * `updated_at`, and no ETag is stored for check runs), so these are the only non-304 requests of
 * a re-sync with nothing new.
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
