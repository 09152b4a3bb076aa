import { createDb, type Db } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

// A statement no real route runs this long on test data: it stands for an aggregate over a
// very large organisation.
const SLOW = 'select pg_sleep(60) /* stride-slow-test */';

describe('statements of a request', () => {
  let t: TestDatabase;
  let observer: Db;
  const apps: FastifyInstance[] = [];
  const dbs: Db[] = [];

  /** The API on `db`, with one extra route running SLOW (public, like /api/health). */
  async function start(db: Db): Promise<FastifyInstance> {
    const app = await buildApp({
      db,
      config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '100000' }),
      strideConfig: parseStrideConfig({}),
      logger: false,
    });
    app.get('/api/test/slow', { config: { access: 'public' } }, async () => {
      await sql.raw(SLOW).execute(app.db);
      return { done: true };
    });
    apps.push(app);
    return app;
  }
  const running = async () =>
    Number(
      (
        await sql<{ n: string }>`
          select count(*) as n from pg_stat_activity
          where query like '%stride-slow-test%' and query not like '%pg_stat_activity%' and state = 'active'`.execute(
          observer,
        )
      ).rows[0]!.n,
    );
  async function waitFor(predicate: () => Promise<boolean>, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await predicate()) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return predicate();
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    observer = createDb(t.url, 1);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const db of dbs.splice(0)) await db.destroy();
  });
  afterAll(async () => {
    await observer?.destroy();
    await t?.destroy();
  });

  it('are cancelled when the client goes away before the answer', async () => {
    const db = createDb(t.url, 4);
    dbs.push(db);
    const app = await start(db);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = new AbortController();
    const request = fetch(`${base}/api/test/slow`, { signal: client.signal }).catch((e: Error) => e);
    expect(await waitFor(async () => (await running()) === 1, 30_000)).toBe(true);
    client.abort();
    expect(await request).toBeInstanceOf(Error);
    // Without cancellation the statement would run its full minute after the client left.
    expect(await waitFor(async () => (await running()) === 0, 20_000)).toBe(true);
    // The pool is whole again: the cancelled connection serves the next request.
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  }, 90_000);

  it('stop at STATEMENT_TIMEOUT_MS with a 503 query_timeout in the one error shape', async () => {
    const db = createDb(t.url, 2, { statementTimeoutMs: 300 });
    dbs.push(db);
    const app = await start(db);
    const res = await app.inject({ url: '/api/test/slow' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({ error: { code: 'query_timeout', message: expect.any(String) } });
    expect(await running()).toBe(0);
  }, 60_000);
});
