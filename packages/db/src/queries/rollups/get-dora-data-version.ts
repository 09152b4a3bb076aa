import { sql } from 'kysely';
import type { Db } from '../../connection.ts';

/**
 * A string that changes whenever a committed write can change a DORA figure, so an answer computed
 * after reading it may be reused for as long as it is unchanged:
 * - the highest committed id of the rollup change queue `rollup_dirty` (the statement triggers of
 *   every table a DORA figure reads add a row in the writing transaction, visible at its commit;
 *   ids only grow), and
 * - `rollup_state.built_at`, set by every refresh that consumed the queue (the queue is then empty,
 *   so without it the version could return to an earlier value).
 * Read it before computing: the figures are then at least as new as the version they are kept
 * under (a write committing in between changes the version the next reader sees).
 * Two index look-ups.
 */
export async function getDoraDataVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ version: string }>`
    select coalesce((select max(id) from rollup_dirty), 0)::text || '@'
      || coalesce((select to_char(built_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') from rollup_state where id = 1), '-')
      as version`.execute(db);
  return rows[0]?.version ?? '';
}
