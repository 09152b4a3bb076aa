import { createApiToken, finishSyncRun, getAppSetting, setAppSetting, startSyncRun } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

describe('access, sessions, CORS, rate limit and sync status', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const viewer = 'viewer-token-0123456789';
  const admin = 'admin-token-0123456789ab';
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ CORS_ORIGIN: 'https://dash.example', RATE_LIMIT_PER_MINUTE: '40' }),
      strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
      logger: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  it('leaves reads open while no viewer or admin token exists, and reports sync status', async () => {
    expect(await getAppSetting(t.db, 'demo')).toBeUndefined();
    await setAppSetting(t.db, 'demo', true);
    const run = await startSyncRun(t.db, 'github', 'acme/api');
    await finishSyncRun(
      t.db,
      run,
      {
        requests: 3,
        notModified: 1,
        itemsUpserted: 9,
        itemsSkipped: 0,
        rateLimitRemaining: 4990,
        rateLimitResetAt: null,
      },
      'HTTP 502 from GitHub',
    );
    const res = await app.inject({ method: 'GET', url: '/api/sync-status' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      demo: true,
      sources: [
        {
          source: 'github',
          scope: 'acme/api',
          status: 'failed',
          error: 'HTTP 502 from GitHub',
          requests: 3,
          notModified: 1,
          rateLimitRemaining: 4990,
          lastSuccessAt: null,
        },
      ],
    });
    expect((await app.inject({ method: 'GET', url: '/api/session' })).json()).toEqual({
      open: true,
      role: null,
    });
  });

  it('needs a viewer token or session once a token exists; stores tokens hashed', async () => {
    await createApiToken(t.db, { name: 'ci', role: 'viewer', token: viewer });
    await createApiToken(t.db, { name: 'ops', role: 'admin', token: admin });
    const stored = await t.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(viewer);

    const anonymous = await app.inject({ method: 'GET', url: '/api/teams' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    const bad = await app.inject({
      method: 'GET',
      url: '/api/teams',
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.statusCode).toBe(401);
    const ok = await app.inject({
      method: 'GET',
      url: '/api/teams',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(ok.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

    const login = await app.inject({ method: 'POST', url: '/api/session', payload: { token: viewer } });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^stride_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(viewer);
    const session = cookie.split(';')[0]!;
    const withCookie = await app.inject({ method: 'GET', url: '/api/teams', headers: { cookie: session } });
    expect(withCookie.statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: session } })).json(),
    ).toEqual({ open: false, role: 'viewer' });
    // A session past its expiry is refused.
    const stored2 = await t.db
      .selectFrom('api_tokens')
      .select(['id', 'scope'])
      .where('scope', 'like', 'session:%')
      .executeTakeFirstOrThrow();
    expect(Date.parse(stored2.scope!.slice('session:'.length))).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    await t.db
      .updateTable('api_tokens')
      .set({ scope: 'session:2000-01-01T00:00:00.000Z' })
      .where('id', '=', stored2.id)
      .execute();
    expect(
      (await app.inject({ method: 'GET', url: '/api/teams', headers: { cookie: session } })).statusCode,
    ).toBe(401);
    await t.db.updateTable('api_tokens').set({ scope: stored2.scope }).where('id', '=', stored2.id).execute();
    const logout = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: session } });
    expect(logout.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/teams', headers: { cookie: session } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'POST', url: '/api/session', payload: { token: 'wrong' } })).statusCode,
    ).toBe(401);
  });

  it('allows CORS only for the configured origin', async () => {
    const allowed = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://dash.example' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://dash.example');
    const other = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rate-limits with the error model', async () => {
    let last = 0;
    let body: unknown;
    for (let i = 0; i < 45 && last !== 429; i++) {
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      last = res.statusCode;
      body = res.json();
    }
    expect(last).toBe(429);
    expect(body).toMatchObject({ error: { code: 'rate_limited' } });
  });
});
