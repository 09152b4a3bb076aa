import type { Db } from '../connection.ts';

/**
 * Adds to `ids` our id of every row an upsert kept as it was (a guarded `on conflict … do update
 * … where` returns only the rows it changed), so callers get an id for every row they sent.
 * `source` narrows tables keyed by (source, external id).
 */
export async function fillExternalIds(
  db: Db,
  table: 'pull_requests' | 'deployments' | 'incidents' | 'jira_issues',
  rows: readonly { external_id: string; source?: string }[],
  ids: Map<string, string>,
): Promise<void> {
  const missing = rows.filter((r) => !ids.has(r.external_id));
  if (missing.length === 0) return;
  const sources = [...new Set(missing.map((r) => r.source).filter((s): s is string => s !== undefined))];
  let query = db
    .selectFrom(table)
    .select(['id', 'external_id'])
    .where(
      'external_id',
      'in',
      missing.map((r) => r.external_id),
    );
  if (sources.length > 0 && table !== 'pull_requests' && table !== 'jira_issues') {
    query = query.where('source' as never, 'in', sources as never);
  }
  for (const row of await query.execute()) ids.set(row.external_id, row.id);
}
