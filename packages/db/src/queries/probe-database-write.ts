import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/** Rolls the probe's transaction back: nothing it wrote is kept. */
class ProbeRollback extends Error {}

/**
 * Whether the database can write new data now: in one transaction that is rolled back, a fresh
 * table (in the default tablespace) gets one row, so PostgreSQL must allocate a new page on disk.
 * A full disk answers SQLSTATE 53100 (`isDiskFullError`), which is thrown; reads may still work.
 * @throws the driver's error (53100 on a full disk, a connection error when the database is down).
 */
export async function probeDatabaseWrite(db: Db): Promise<void> {
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`create table stride_write_probe (at timestamptz)`.execute(trx);
      await sql`insert into stride_write_probe values (now())`.execute(trx);
      throw new ProbeRollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof ProbeRollback)) throw error;
    });
}
