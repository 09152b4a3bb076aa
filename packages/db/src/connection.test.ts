import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';
import { migrateToLatest } from './migrate.ts';

describe('embedded PostgreSQL', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('starts, migrates and stops cleanly, and a second start reuses the data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stride-embedded-'));
    await chmod(dir, 0o755);
    dirs.push(dir);
    const dataDir = join(dir, 'pg');

    const first = await openDatabase({ dataDir });
    expect(first.embedded).toBe(true);
    expect(first.url).toMatch(/^postgres:\/\/postgres:.*@127\.0\.0\.1:\d+\/stride$/);
    expect(await migrateToLatest(first.db)).not.toEqual([]);
    await first.db.insertInto('teams').values({ slug: 'kept', name: 'Kept across restarts' }).execute();
    const version = await sql<{ server_version_num: string }>`show server_version_num`.execute(first.db);
    expect(Number(version.rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
    await first.close();

    const second = await openDatabase({ dataDir });
    try {
      expect(await migrateToLatest(second.db)).toEqual([]);
      const teams = await second.db.selectFrom('teams').select(['slug', 'name']).execute();
      expect(teams).toEqual([{ slug: 'kept', name: 'Kept across restarts' }]);
    } finally {
      await second.close();
    }
    // Stopped for real: nothing answers on the old URL.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: second.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  });

  it('uses DATABASE_URL as given, without starting a server', async () => {
    const handle = await openDatabase({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    expect(handle.embedded).toBe(false);
    expect(handle.url).toBe('postgres://nobody@127.0.0.1:1/none');
    await handle.close();
  });
});
