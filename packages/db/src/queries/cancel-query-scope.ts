import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { QueryScope } from '../query-scope.ts';

/**
 * Cancels the statements running on the connections `scope` holds (`pg_cancel_backend`: the
 * statement fails with SQLSTATE 57014, the connection stays usable and returns to the pool).
 * Run it outside the scope (its own connection must not be among those cancelled).
 * @returns how many backends were signalled
 */
export async function cancelQueryScope(db: Db, scope: QueryScope): Promise<number> {
  const pids = [...scope.backendPids];
  if (pids.length === 0) return 0;
  const result = await sql<{ cancelled: boolean }>`
    select pg_cancel_backend(pid) as cancelled from unnest(${pids}::int[]) as pid`.execute(db);
  return result.rows.filter((r) => r.cancelled).length;
}
