import { appendFile, chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_PASSWORD_FILE, startEmbeddedPostgres } from './connection.ts';

/** Runs `text` on the `postgres` database as the superuser with `password`. */
async function query(port: number, password: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

const passwordOf = (adminUrl: string) => decodeURIComponent(new URL(adminUrl).password);

describe('embedded PostgreSQL superuser password and listen address', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('generates a password per data directory, keeps it in a 0600 file, reuses it, and never logs it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stride-pg-password-'));
    await chmod(dir, 0o755);
    dirs.push(dir);
    const dataDir = join(dir, 'pg');
    const lines: string[] = [];
    const onLog = (line: string) => lines.push(line);

    const first = await startEmbeddedPostgres(dataDir, onLog);
    let password: string;
    try {
      password = passwordOf(first.adminUrl);
      expect(password).toMatch(/^[0-9a-f]{64}$/);
      // The server's data directory (the requested one, unless relocated for the postgres user).
      const file = join(first.dataDir, EMBEDDED_PASSWORD_FILE);
      expect(await stat(`${dataDir}.password-pending`).catch(() => null)).toBeNull();
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, 'utf8')).trim()).toBe(password);
      // Loopback only, no unix socket.
      const listen = await query(first.port, password, 'show listen_addresses');
      expect(listen.rows[0]?.listen_addresses).toBe('127.0.0.1');
      const socket = await query(first.port, password, 'show unix_socket_directories');
      expect(socket.rows[0]?.unix_socket_directories).toBe('');
      // The old constant does not open it.
      await expect(query(first.port, 'stride', 'select 1')).rejects.toMatchObject({ code: '28P01' });
    } finally {
      await first.stop();
    }

    // Restart: the same password from the file.
    const second = await startEmbeddedPostgres(dataDir, onLog);
    try {
      expect(passwordOf(second.adminUrl)).toBe(password);
    } finally {
      await second.stop();
    }
    // Another data directory gets another password.
    const other = await startEmbeddedPostgres(join(dir, 'other'), onLog);
    try {
      expect(passwordOf(other.adminUrl)).not.toBe(password);
    } finally {
      await other.stop();
    }
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(password);
  });

  it('moves a data directory made with the old constant password to a generated one, logging statements or not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stride-pg-legacy-'));
    await chmod(dir, 0o755);
    dirs.push(dir);
    const dataDir = join(dir, 'pg');
    // A directory as the old code left it: superuser password `stride`, no password file.
    const made = await startEmbeddedPostgres(dataDir);
    const serverDir = made.dataDir;
    try {
      await query(made.port, passwordOf(made.adminUrl), "alter user postgres with password 'stride'");
    } finally {
      await made.stop();
    }
    await rm(join(serverDir, EMBEDDED_PASSWORD_FILE));
    // Log every statement: the ALTER USER carrying the new password must still stay out of the log.
    await appendFile(join(serverDir, 'postgresql.conf'), "\nlog_statement = 'all'\n");

    const lines: string[] = [];
    const migrated = await startEmbeddedPostgres(dataDir, (line) => lines.push(line));
    try {
      const password = passwordOf(migrated.adminUrl);
      expect(password).not.toBe('stride');
      expect(password).toMatch(/^[0-9a-f]{64}$/);
      expect((await stat(join(serverDir, EMBEDDED_PASSWORD_FILE))).mode & 0o777).toBe(0o600);
      expect((await query(migrated.port, password, 'select 1 as one')).rows).toEqual([{ one: 1 }]);
      await expect(query(migrated.port, 'stride', 'select 1')).rejects.toMatchObject({ code: '28P01' });
      // Statement logging was on (the SET before the ALTER shows up), the password never does.
      await query(migrated.port, password, 'select 42 as logged_statement');
      expect(lines.join('')).toContain('logged_statement');
      for (const line of lines) expect(line).not.toContain(password);
    } finally {
      await migrated.stop();
    }
  });
});
