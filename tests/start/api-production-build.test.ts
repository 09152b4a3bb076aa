import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/child-process.ts';

// The Dockerfile and docker-compose run the API as the esbuild bundle apps/api/dist/server.js with
// plain node (no tsx): a bundling mistake (a workspace package left external, an import esbuild
// cannot follow) would only show in production. This builds it and serves from it.
describe('the API production build (npm run build -w @stride/api)', () => {
  let database: TestDatabase | undefined;
  let kill = () => {};
  afterAll(async () => {
    kill();
    await database?.destroy();
  });

  it('runs with plain node: migrates, listens and answers', async () => {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/api/scripts/build.ts'], {
      cwd: repoRoot,
      timeout: 120_000,
    });
    database = await createTestDatabase({ migrate: false });
    const child = spawn(process.execPath, ['apps/api/dist/server.js'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    kill = () => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    };
    let output = '';
    const listening = new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = output.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
        if (match) resolve(match[1]!);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) =>
        reject(new Error(`dist/server.js exited (${code}):\n${output.slice(-3000)}`)),
      );
    });
    const base = await listening;
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });
    const dora = await fetch(`${base}/api/org/dora?from=2026-01-01T00:00:00Z&to=2026-04-01T00:00:00Z`);
    expect(dora.status).toBe(200);
    const bad = await fetch(`${base}/api/org/dora?from=yesterday`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('from');
  }, 180_000);
});
