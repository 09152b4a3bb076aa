import { randomBytes } from 'node:crypto';
import { createDb, type Db, ensureDatabase, migrateToLatest, withDatabaseName } from '@stride/db';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance connection string of the test server (embedded, or DATABASE_URL's server). */
    databaseAdminUrl: string;
  }
}

export interface TestDatabase {
  db: Db;
  url: string;
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named database on the test server (started by tests/setup/global-db.ts),
 * migrated to the latest schema unless `migrate` is false. Each test file gets its own database,
 * so files run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('databaseAdminUrl');
  const name = `stride_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const url = withDatabaseName(adminUrl, name);
  const db = createDb(url, 5);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    db,
    url,
    destroy: async () => {
      await db.destroy();
      const admin = createDb(adminUrl, 1);
      try {
        const { sql } = await import('kysely');
        await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
      } finally {
        await admin.destroy();
      }
    },
  };
}
