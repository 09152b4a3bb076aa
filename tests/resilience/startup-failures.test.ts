import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, startTsx } from '../support/child-process.ts';

const startScript = join(repoRoot, 'scripts/start.ts');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs `npm start`'s entry point until it exits: exit code and everything it printed. */
async function runStart(env: Record<string, string>) {
  const child = startTsx(startScript, { PORT: '0', HOST: '127.0.0.1', ...env });
  const timer = setTimeout(() => child.kill(), 90_000);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, output: child.output() };
}

/** One `[stride] cannot start: ...` line naming the cause, and no stack frames. */
function expectOneClearLine(output: string, cause: RegExp) {
  const lines = output.split('\n').filter((l) => l.includes('cannot start'));
  expect(lines, output).toHaveLength(1);
  expect(lines[0]).toMatch(cause);
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toMatch(/Uncaught|node:internal/);
}

describe('npm start fails in one clear line', { timeout: 120_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('on an unusable data directory (/proc) instead of hanging', async () => {
    const result = await runStart({ STRIDE_DATA_DIR: '/proc/stride-data' });
    expect(result.code).toBe(1);
    expectOneClearLine(result.output, /\/proc\/stride-data\/pg is not usable/);
  });

  it('on a port in use, naming it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const dir = await mkdtemp(join(tmpdir(), 'stride-port-'));
    await chmod(dir, 0o755);
    cleanups.push(async () => {
      await new Promise((resolve) => taken.close(resolve));
      await rm(dir, { recursive: true, force: true });
    });
    const config = join(dir, 'stride.config.yaml');
    await writeFile(config, JSON.stringify({ teams: [{ slug: 'core', name: 'Core' }] }));
    const result = await runStart({
      STRIDE_CONFIG: config,
      STRIDE_DATA_DIR: join(dir, 'data'),
      PORT: String(port),
    });
    expect(result.code).toBe(1);
    expectOneClearLine(result.output, new RegExp(`${port}`));
  });

  it('on a bad environment variable, naming it', async () => {
    const result = await runStart({ PORT: 'eighty' });
    expect(result.code).toBe(1);
    expectOneClearLine(result.output, /PORT/);
  });

  it.skipIf(!isRoot)('on a read-only file system, saying so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stride-ro-'));
    await chmod(dir, 0o755);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', dir]);
    cleanups.push(async () => {
      execFileSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    });
    const result = await runStart({ STRIDE_DATA_DIR: join(dir, 'data') });
    expect(result.code).toBe(1);
    expectOneClearLine(result.output, /read-only/);
  });

  it.skipIf(!isRoot)('on a full disk with existing data, saying so', async () => {
    // A tiny tmpfs holding a data directory (here: any existing file tree), filled to the brim.
    const dir = await mkdtemp(join(tmpdir(), 'stride-full-'));
    await chmod(dir, 0o755);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir]);
    cleanups.push(async () => {
      execFileSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    });
    await mkdir(join(dir, 'data', 'pg'), { recursive: true });
    await writeFile(join(dir, 'data', 'pg', 'PG_VERSION'), '17\n');
    await writeFile(join(dir, 'filler'), Buffer.alloc(1024)).catch(() => {});
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=4k', 'count=1000'], {
        stdio: 'ignore',
      });
    } catch {
      // dd stops at "No space left on device": that is the point
    }
    const result = await runStart({ STRIDE_DATA_DIR: join(dir, 'data') });
    expect(result.code).toBe(1);
    expectOneClearLine(result.output, /no space left/i);
  });
});
