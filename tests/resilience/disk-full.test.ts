import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, loadApiConfig } from '@stride/api';
import { createApiToken, createDb, type Db } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A full disk at runtime, for real: the test database's tables (and any table it creates) live in
// a tablespace on a 2 MiB tmpfs, which a filler table then fills until PostgreSQL itself answers
// SQLSTATE 53100 ("could not extend file …: No space left on device"). Root only (mount).
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const TABLESPACE = `stride_full_${process.pid}`;

describe.skipIf(!isRoot)('a full disk at runtime', () => {
  let t: TestDatabase;
  let appDb: Db;
  let app: FastifyInstance;
  let dir: string;
  let token: string;
  const deployment = (eventId: string) => ({
    eventId,
    repository: 'acme/api',
    environment: 'production',
    status: 'success',
    finishedAt: '2026-03-01T10:00:00Z',
  });
  const post = (eventId: string) =>
    app.inject({
      method: 'POST',
      url: '/api/webhooks/deployments',
      headers: { authorization: `Bearer ${token}` },
      payload: deployment(eventId),
    });
  const health = () => app.inject({ method: 'GET', url: '/api/health' });

  beforeAll(async () => {
    t = await createTestDatabase();
    token = (await createApiToken(t.db, { name: 'ci', role: 'webhook', scope: 'ci' })).token;
    dir = mkdtempSync(join(tmpdir(), 'stride-full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dir]);
    execFileSync('chown', ['postgres:postgres', dir]);
    await sql.raw(`create tablespace ${TABLESPACE} location '${dir}'`).execute(t.db);
    const database = new URL(t.url).pathname.slice(1);
    await sql.raw(`alter table all in tablespace pg_default set tablespace ${TABLESPACE}`).execute(t.db);
    await sql.raw(`alter index all in tablespace pg_default set tablespace ${TABLESPACE}`).execute(t.db);
    await sql.raw(`alter database "${database}" set default_tablespace = ${TABLESPACE}`).execute(t.db);
    // The API's own connections start after the move, so what they create lands there too.
    appDb = createDb(t.url, 4);
    app = await buildApp({
      db: appDb,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({}),
      logger: false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await appDb?.destroy();
    await t?.destroy();
    const admin = await createTestDatabase();
    await sql.raw(`drop tablespace if exists ${TABLESPACE}`).execute(admin.db);
    await admin.destroy();
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('health says writes fail, webhooks answer 503 with Retry-After, and writes resume once space is freed', async () => {
    expect((await health()).json()).toEqual({ status: 'ok', database: 'up', writes: 'ok' });

    await sql.raw(`create table stride_filler (b text) tablespace ${TABLESPACE}`).execute(t.db);
    const fill = sql`insert into stride_filler select md5(random()::text) from generate_series(1, 400000)`;
    await expect(fill.execute(t.db)).rejects.toMatchObject({ code: '53100' });

    const refused = await post('during');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json().error.code).toBe('storage_full');
    const down = await health();
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'degraded', database: 'up', writes: 'failing' });
    // Reads still work, and the refused delivery left nothing behind (a resend is not a duplicate).
    expect(await t.db.selectFrom('webhook_deliveries').select('delivery_id').execute()).toEqual([]);

    await sql`drop table stride_filler`.execute(t.db);
    expect((await health()).json()).toEqual({ status: 'ok', database: 'up', writes: 'ok' });
    const resent = await post('during');
    expect(resent.statusCode).toBe(202);
    expect(resent.json().status).toBe('accepted');
  });
});
