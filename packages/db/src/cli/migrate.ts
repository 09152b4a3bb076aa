// `npm run db:migrate`: migrates DATABASE_URL, or the embedded database under ./.stride/pg.
import { openDatabase } from '../connection.ts';
import { migrateToLatest } from '../migrate.ts';

const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined });
try {
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database schema is up to date');
} finally {
  await handle.close();
}
