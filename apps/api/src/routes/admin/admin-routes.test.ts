import { createApiToken, touchApiToken } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';
import { createTouchThrottle } from '../../plugins/access.ts';

const ADMIN_1 = 'admin-token-first-value-0001';
const ADMIN_2 = 'admin-token-second-value-002';
const VIEWER_1 = 'viewer-token-first-value-001';

let t: TestDatabase;
const apps: FastifyInstance[] = [];

/** Boots the API as `npm start` would with these environment variables. */
async function boot(env: Record<string, string>): Promise<FastifyInstance> {
  const app = await buildApp({
    db: t.db,
    databaseUrl: t.url,
    config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '100000', ...env }),
    strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
    logger: false,
  });
  apps.push(app);
  return app;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await t?.destroy();
});

describe('admin routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await boot({ STRIDE_ADMIN_TOKEN: ADMIN_1, STRIDE_VIEWER_TOKEN: VIEWER_1 });
  });

  it('refuse a viewer with 403 on each', async () => {
    for (const [method, url] of [
      ['GET', '/api/admin/tokens'],
      ['POST', '/api/admin/tokens'],
      ['DELETE', '/api/admin/tokens/1'],
      ['GET', '/api/admin/settings'],
      ['PUT', '/api/admin/settings/x'],
      ['POST', '/api/admin/backfill'],
      ['GET', '/api/admin/webhook-sources'],
      ['POST', '/api/admin/webhook-sources'],
      ['DELETE', '/api/admin/webhook-sources/x'],
    ] as const) {
      const res = await app.inject({ method, url, headers: bearer(VIEWER_1), payload: {} });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    }
  });

  it('create, list (hash prefix, never a secret) and revoke tokens', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/tokens',
      headers: bearer(ADMIN_1),
      payload: { name: 'grafana', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json() as { token: { id: string; hashPrefix: string }; secret: string };
    expect(secret).toMatch(/^stride_/);
    expect((await app.inject({ url: '/api/teams', headers: bearer(secret) })).statusCode).toBe(200);

    const list = await app.inject({ url: '/api/admin/tokens', headers: bearer(ADMIN_1) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toContain(ADMIN_1);
    const rows = list.json().tokens as {
      id: string;
      name: string;
      role: string;
      origin: string;
      hashPrefix: string;
    }[];
    expect(rows.find((r) => r.id === token.id)).toMatchObject({
      name: 'grafana',
      role: 'viewer',
      origin: 'api',
    });
    expect(rows.map((r) => r.origin)).toEqual(
      expect.arrayContaining(['env:STRIDE_ADMIN_TOKEN', 'env:STRIDE_VIEWER_TOKEN']),
    );
    expect(token.hashPrefix).toMatch(/^[0-9a-f]{8}$/);

    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api/admin/tokens/${token.id}`,
      headers: bearer(ADMIN_1),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/teams', headers: bearer(secret) })).statusCode).toBe(401);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/admin/tokens/${token.id}`,
      headers: bearer(ADMIN_1),
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('not_found');
  });

  it('lists and replaces settings: known keys only, each value checked against its schema', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/api/admin/settings/demo',
      headers: bearer(ADMIN_1),
      payload: { value: true },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ key: 'demo', value: true, updatedAt: expect.any(String) });
    const list = await app.inject({ url: '/api/admin/settings', headers: bearer(ADMIN_1) });
    expect(list.json().settings).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'demo', value: true })]),
    );
    for (const [url, value, parameter] of [
      ['/api/admin/settings/Bad%20Key', 1, 'key'],
      // A key nobody reads would be stored and silently ignored.
      ['/api/admin/settings/dashboard.title', 'Delivery health', 'key'],
      ['/api/admin/settings/demo', 'yes', 'value'],
    ] as const) {
      const bad = await app.inject({ method: 'PUT', url, headers: bearer(ADMIN_1), payload: { value } });
      expect(bad.statusCode, url).toBe(400);
      expect(bad.json().error, url).toEqual({
        code: 'invalid_parameter',
        message: expect.stringContaining(parameter),
      });
    }
    const after = await app.inject({ url: '/api/admin/settings', headers: bearer(ADMIN_1) });
    expect(after.json().settings.map((s: { key: string }) => s.key)).not.toContain('dashboard.title');
  });

  it('queues a backfill job for the collector worker (pg-boss)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/backfill',
      headers: bearer(ADMIN_1),
      payload: { days: 30 },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'queued', days: 30 });
    const jobs = await sql<{
      data: { days: number };
    }>`select data from pgboss.job where name = 'stride-github-backfill'`.execute(t.db);
    expect(jobs.rows.map((r) => r.data)).toEqual([{ days: 30 }]);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/admin/backfill',
      headers: bearer(ADMIN_1),
      payload: { days: 0 },
    });
    expect(bad.statusCode).toBe(400);
    // "1e309" coerces to Infinity, which the integer schema let through: a 400 naming days, nothing queued.
    const infinite = await app.inject({
      method: 'POST',
      url: '/api/admin/backfill',
      headers: bearer(ADMIN_1),
      payload: { days: '1e309' },
    });
    expect([infinite.statusCode, infinite.json().error.message]).toEqual([
      400,
      expect.stringContaining('days'),
    ]);
    const after = await sql<{
      n: number;
    }>`select count(*)::int as n from pgboss.job where name = 'stride-github-backfill'`.execute(t.db);
    expect(after.rows[0]!.n).toBe(1);
  });

  it('creates, lists and revokes webhook sources', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/webhook-sources',
      headers: bearer(ADMIN_1),
      payload: { source: 'argocd' },
    });
    expect(created.statusCode).toBe(201);
    const secret = created.json().secret as string;
    const event = {
      eventId: 'e1',
      repository: 'acme/api',
      environment: 'production',
      status: 'success',
      deploymentId: 'd1',
      sha: 'a'.repeat(40),
      finishedAt: '2026-11-01T10:00:00Z',
    };
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/api/webhooks/deployments',
        headers: bearer(secret),
        payload: event,
      });
    expect([200, 202, 400]).toContain((await send()).statusCode);
    const list = await app.inject({ url: '/api/admin/webhook-sources', headers: bearer(ADMIN_1) });
    expect(list.json().sources).toEqual([
      { source: 'argocd', tokens: [expect.objectContaining({ role: 'webhook', source: 'argocd' })] },
    ]);
    expect(list.body).not.toContain(secret);
    const revoked = await app.inject({
      method: 'DELETE',
      url: '/api/admin/webhook-sources/argocd',
      headers: bearer(ADMIN_1),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await send()).statusCode).toBe(401);
  });
});

describe('token rotation revokes', () => {
  it('ends the old values and their sessions at the next boot; an admin revocation sticks', async () => {
    const first = await boot({ STRIDE_ADMIN_TOKEN: ADMIN_1, STRIDE_VIEWER_TOKEN: VIEWER_1 });
    const login = await first.inject({ method: 'POST', url: '/api/session', payload: { token: VIEWER_1 } });
    const session = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await first.inject({ url: '/api/teams', headers: { cookie: session } })).statusCode).toBe(200);

    // Rotated admin value, viewer variable removed.
    const second = await boot({ STRIDE_ADMIN_TOKEN: ADMIN_2 });
    expect((await second.inject({ url: '/api/admin/tokens', headers: bearer(ADMIN_1) })).statusCode).toBe(
      401,
    );
    expect((await second.inject({ url: '/api/teams', headers: bearer(VIEWER_1) })).statusCode).toBe(401);
    expect((await second.inject({ url: '/api/teams', headers: { cookie: session } })).statusCode).toBe(401);
    expect(
      (await second.inject({ url: '/api/session', headers: { cookie: session } })).json().role,
    ).toBeNull();
    const list = await second.inject({
      url: '/api/admin/tokens?includeRevoked=true',
      headers: bearer(ADMIN_2),
    });
    const rows = list.json().tokens as { origin: string; revokedReason: string | null }[];
    expect(rows.filter((r) => r.origin.startsWith('env:') && r.revokedReason === 'rotated')).toHaveLength(2);

    // An admin revokes the current admin token through a second admin token; re-registering it
    // at the next boot does not revive it.
    const other = await createApiToken(t.db, { name: 'ops', role: 'admin', origin: 'cli' });
    const own = rows as unknown as { id: string; origin: string; revokedAt: string | null }[];
    const current = own.find((r) => r.origin === 'env:STRIDE_ADMIN_TOKEN' && r.revokedAt === null)!;
    const revoke = await second.inject({
      method: 'DELETE',
      url: `/api/admin/tokens/${current.id}`,
      headers: bearer(other.token),
    });
    expect(revoke.statusCode).toBe(204);
    const third = await boot({ STRIDE_ADMIN_TOKEN: ADMIN_2 });
    expect((await third.inject({ url: '/api/admin/tokens', headers: bearer(ADMIN_2) })).statusCode).toBe(401);
    // Setting an old value again does not revive it either.
    const fourth = await boot({ STRIDE_ADMIN_TOKEN: ADMIN_1 });
    expect((await fourth.inject({ url: '/api/admin/tokens', headers: bearer(ADMIN_1) })).statusCode).toBe(
      401,
    );
  });

  it('revoking a token through the admin route ends the sessions made with it', async () => {
    const app = await boot({ STRIDE_VIEWER_TOKEN: 'viewer-token-for-sessions-01' });
    const admin = await createApiToken(t.db, { name: 'ops2', role: 'admin' });
    const viewer = await createApiToken(t.db, { name: 'laptop', role: 'viewer' });
    const login = await app.inject({ method: 'POST', url: '/api/session', payload: { token: viewer.token } });
    const session = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await app.inject({ url: '/api/teams', headers: { cookie: session } })).statusCode).toBe(200);
    await app.inject({
      method: 'DELETE',
      url: `/api/admin/tokens/${viewer.id}`,
      headers: bearer(admin.token),
    });
    expect((await app.inject({ url: '/api/teams', headers: { cookie: session } })).statusCode).toBe(401);
  });
});

describe('last_used_at', () => {
  it('is written at most once a minute per token, however many requests use it', async () => {
    const app = await boot({ STRIDE_VIEWER_TOKEN: 'viewer-token-last-used-0001' });
    const viewer = await createApiToken(t.db, { name: 'busy', role: 'viewer' });
    const lastUsed = async () =>
      (
        await t.db
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('id', '=', viewer.id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    expect(await lastUsed()).toBeNull();
    await app.inject({ url: '/api/teams', headers: bearer(viewer.token) });
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await app.inject({ url: '/api/teams', headers: bearer(viewer.token) })).statusCode).toBe(200);
    }
    expect((await lastUsed())?.getTime()).toBe(first?.getTime());
  });

  it('the SQL condition holds across processes; the in-memory throttle per interval', async () => {
    const token = await createApiToken(t.db, { name: 'two-processes', role: 'viewer' });
    expect(await touchApiToken(t.db, token.id)).toBe(true);
    expect(await touchApiToken(t.db, token.id)).toBe(false);
    await t.db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date(Date.now() - 61_000) })
      .where('id', '=', token.id)
      .execute();
    expect(await touchApiToken(t.db, token.id)).toBe(true);

    let now = 1_000_000;
    const throttle = createTouchThrottle(60, () => now);
    expect(throttle.due('1')).toBe(true);
    now += 59_000;
    expect(throttle.due('1')).toBe(false);
    expect(throttle.due('2')).toBe(true);
    now += 1_000;
    expect(throttle.due('1')).toBe(true);
  });
});
