import type { Db } from '../connection.ts';

/**
 * Merged pull requests of a repository whose merge commit is one of `shas`.
 * @returns our PR ids.
 */
export async function findPullRequestsByMergeSha(
  db: Db,
  repositoryId: string,
  shas: readonly string[],
): Promise<string[]> {
  if (shas.length === 0) return [];
  const rows = await db
    .selectFrom('pull_requests')
    .select('id')
    .where('repository_id', '=', repositoryId)
    .where('merged_at', 'is not', null)
    .where('merge_commit_sha', 'in', [...shas])
    .execute();
  return rows.map((r) => r.id);
}
