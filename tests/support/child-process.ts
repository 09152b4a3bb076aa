import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningChild {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first output line matching `pattern` (rejects on exit or after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves once `predicate(output)` holds (rejects on exit or after `ms`). */
  waitUntil(predicate: (output: string) => boolean, ms?: number): Promise<void>;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Sends SIGKILL to the process group if it is still running. */
  kill(): void;
}

/**
 * Starts `node --import tsx <script>` in its own process group with `env` (plus PATH), collecting
 * its output. For tests of whole processes: crashes, signals, exit codes.
 */
export function startTsx(script: string, env: Record<string, string>, cwd = repoRoot): RunningChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? -1);
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, ms = 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${output.slice(-3000)}`));
        }, ms);
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`process exited waiting for ${pattern}; output:\n${output.slice(-3000)}`));
          }
        };
        listeners.add(check);
        check();
      }),
    waitUntil: async (predicate, ms = 60_000) => {
      const deadline = Date.now() + ms;
      while (!predicate(output)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`process exited while waiting; output:\n${output.slice(-3000)}`);
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting; output:\n${output.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    kill: () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    },
  };
}

/**
 * Starts the collector worker (`npm run collect`: apps/collector/src/cli.ts) as a process on
 * `databaseUrl`, collecting `github` (a stride.config.yaml `github` section, written to a
 * temporary file) from `apiUrl` with `token`.
 */
export async function startCollectorProcess(options: {
  databaseUrl: string;
  github: Record<string, unknown>;
  apiUrl: string;
  token: string;
}): Promise<RunningChild> {
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'stride-collector-'));
  const configPath = join(dir, 'stride.config.yaml');
  await writeFile(configPath, JSON.stringify({ github: options.github, sync: { backfillDays: 20000 } }));
  return startTsx(join(repoRoot, 'apps/collector/src/cli.ts'), {
    DATABASE_URL: options.databaseUrl,
    STRIDE_CONFIG: configPath,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_TOKEN: options.token,
    LOG_LEVEL: 'warn',
  });
}
