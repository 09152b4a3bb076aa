import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/**
 * Vacuums the rollup change queue `rollup_dirty` after a refresh consumed it (deleted its rows).
 * The DORA data version (`getDoraDataVersion`) reads the queue's highest id from the end of its
 * primary key: every consumed mark leaves a dead index entry there until the table is vacuumed,
 * so without it (autovacuum off, or between its runs) that read walks every mark ever consumed
 * (406,061 after an xl load: 1,720 index pages, 70-350 ms per read, and the API reads the version
 * on every DORA request). `skip_locked`: a vacuum already running (another refresh, autovacuum)
 * is enough, this one returns at once. Cannot run inside a transaction.
 * @throws the database's error
 */
export async function vacuumRollupQueue(db: Db): Promise<void> {
  await sql`vacuum (skip_locked) rollup_dirty`.execute(db);
}
