import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/**
 * Readiness of the database: one `select 1` round trip.
 * @throws the driver's error when the database cannot be reached or answers with an error.
 */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
