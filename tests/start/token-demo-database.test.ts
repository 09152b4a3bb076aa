import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, loadApiConfig } from '@stride/api';
import { openDatabase } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { DEMO_DATABASE_NAME } from '@stride/testkit/demo';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { productDatabase } from '../../scripts/product-database.ts';
import { repoRoot } from '../support/child-process.ts';

/**
 * The demo (no STRIDE_CONFIG, no ./stride.config.yaml) is served from its own database,
 * `stride_demo`. `npm run webhook-token` once wrote to `stride`, so its token got a 401 from the
 * demo. Here `npm run token -- create` runs as an operator runs it, in demo mode on an embedded
 * data directory, and the token must open the API on the database `npm start` opens for the
 * same environment (scripts/start.ts takes it from productDatabase, as this test does).
 */
describe('npm run token on the demo database', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the token where the demo reads it: stride_demo, not stride', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stride-token-demo-'));
    await chmod(dir, 0o755);
    // No config anywhere: the repository root has only stride.config.example.yaml.
    const env = { STRIDE_DATA_DIR: join(dir, 'data') };
    const config = loadApiConfig(env);
    const target = productDatabase(config);
    expect(target.demo).toBe(true);
    expect(target.open.databaseName).toBe(DEMO_DATABASE_NAME);

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
    const created = await runToken('create', 'viewer', 'grafana');
    expect(created.code, created.output).toBe(0);
    expect(created.output).toContain('(demo)');
    const token = /^(stride_\S+)$/m.exec(created.output)?.[1];
    expect(token).toBeDefined();
    const webhook = await runToken('create', 'webhook', 'argocd');
    expect(webhook.code, webhook.output).toBe(0);
    const webhookToken = /^(stride_\S+)$/m.exec(webhook.output)?.[1];

    // The database npm start opens for this environment, as it opens it.
    const database = await openDatabase(target.open);
    try {
      const app = await buildApp({
        db: database.db,
        config,
        strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
        logger: false,
      });
      try {
        expect((await app.inject({ url: '/api/teams' })).statusCode).toBe(401);
        const res = await app.inject({ url: '/api/teams', headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode).toBe(200);
        // The webhook token names its source on the demo's database too (a 400 for the empty
        // body, past the access check; a token the database does not know is a 401).
        const hook = await app.inject({
          method: 'POST',
          url: '/api/webhooks/deployments',
          headers: { authorization: `Bearer ${webhookToken}`, 'content-type': 'application/json' },
          payload: '{}',
        });
        expect(hook.statusCode).toBe(400);
      } finally {
        await app.close();
      }
      // Nothing went to a non-demo database of the same server (it was never even created).
      const databases = await sql<{ datname: string }>`select datname from pg_database`.execute(database.db);
      expect(databases.rows.map((r) => r.datname)).toContain(DEMO_DATABASE_NAME);
      expect(databases.rows.map((r) => r.datname)).not.toContain('stride');
    } finally {
      await database.close();
    }
  }, 300_000);
});
