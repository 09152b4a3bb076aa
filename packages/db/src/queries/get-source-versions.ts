import type { Db } from '../connection.ts';

export interface SourceVersion {
  id: string;
  /** The source's `updated_at` last stored (null when the source gives none). */
  sourceUpdatedAt: Date | null;
  /** Deployment status (deployments only). */
  status: string | null;
  /** Deployed commit SHA (deployments only). */
  sha: string | null;
}

/**
 * What is already stored of these source objects, so a sync can skip unchanged ones (and their
 * sub-requests): pull requests by GitHub id, Jira issues by Jira id, or deployments of one
 * `source` by external id.
 * @returns version by external id (absent = never stored).
 */
export async function getSourceVersions(
  db: Db,
  target: { table: 'pull_requests' } | { table: 'jira_issues' } | { table: 'deployments'; source: string },
  externalIds: readonly string[],
): Promise<Map<string, SourceVersion>> {
  const out = new Map<string, SourceVersion>();
  if (externalIds.length === 0) return out;
  if (target.table === 'pull_requests' || target.table === 'jira_issues') {
    const rows = await db
      .selectFrom(target.table)
      .select(['id', 'external_id', 'source_updated_at'])
      .where('external_id', 'in', [...externalIds])
      .execute();
    for (const r of rows)
      out.set(r.external_id, { id: r.id, sourceUpdatedAt: r.source_updated_at, status: null, sha: null });
    return out;
  }
  const rows = await db
    .selectFrom('deployments')
    .select(['id', 'external_id', 'source_updated_at', 'status', 'sha'])
    .where('source', '=', target.source as never)
    .where('external_id', 'in', [...externalIds])
    .execute();
  for (const r of rows)
    out.set(r.external_id, {
      id: r.id,
      sourceUpdatedAt: r.source_updated_at,
      status: r.status,
      sha: r.sha,
    });
  return out;
}
