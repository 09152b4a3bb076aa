import type { Db } from '../connection.ts';

/**
 * The endpoints of a source scope that have a stored cursor and whose name starts with `prefix`
 * (e.g. the deployment pairs of a repository already compared, `compare:`), in one query.
 */
export async function listSyncCursorEndpoints(
  db: Db,
  source: string,
  scope: string,
  prefix: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('sync_cursors')
    .select('endpoint')
    .where('source', '=', source)
    .where('scope', '=', scope)
    .where('cursor', 'is not', null)
    .where('endpoint', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
    .execute();
  return new Set(rows.map((r) => r.endpoint));
}
