import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '@stride/db';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningChild, repoRoot, startTsx } from '../support/child-process.ts';

const ADMIN = 'admin-token-beside-start-0001';

describe('npm run token while npm start serves the embedded database', () => {
  let dir = '';
  let stride: RunningChild | undefined;
  afterAll(async () => {
    stride?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates, lists and revokes tokens on the running server, and the API honours them at once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stride-token-beside-start-'));
    await chmod(dir, 0o755);
    const configPath = join(dir, 'stride.config.yaml');
    await writeFile(configPath, JSON.stringify({ teams: [{ slug: 'core', name: 'Core' }] }));
    const env = { STRIDE_CONFIG: configPath, STRIDE_DATA_DIR: join(dir, 'data') };
    stride = startTsx(join(repoRoot, 'scripts/start.ts'), {
      ...env,
      STRIDE_ADMIN_TOKEN: ADMIN,
      PORT: '0',
      HOST: '127.0.0.1',
    });
    const base = (await stride.waitFor(/Stride is running: (http:\/\/127\.0\.0\.1:\d+)\//, 120_000))[1]!;
    expect((await fetch(`${base}/api/teams`)).status).toBe(401);

    /** Runs `npm run token -- <args>` as its own process: exit code and output. */
    const runToken = async (...args: string[]) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(repoRoot, 'scripts/token.ts'), ...args],
        {
          cwd: repoRoot,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      return { code, output };
    };

    // Before: the second process found the data directory locked and died with a stack trace.
    const created = await runToken('create', 'viewer', 'grafana');
    expect(created.output).not.toMatch(/\n\s+at /);
    expect(created.code, created.output).toBe(0);
    const secret = /^(stride_\S+)$/m.exec(created.output)?.[1];
    expect(secret).toBeDefined();
    const headers = { authorization: `Bearer ${secret}` };
    expect((await fetch(`${base}/api/teams`, { headers })).status).toBe(200);

    const listed = await runToken('list');
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toContain('grafana');
    expect(listed.output).not.toContain(secret!);

    const revoked = await runToken('revoke', hashToken(secret!).slice(0, 8));
    expect(revoked.code, revoked.output).toBe(0);
    expect((await fetch(`${base}/api/teams`, { headers })).status).toBe(401);

    // The tool left the server it borrowed running.
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  }, 240_000);
});
