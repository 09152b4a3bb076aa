import { createApiToken } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';
import type { Access, AccessRoute } from './access.ts';

const VIEWER = 'matrix-viewer-token-0123456789';
const ADMIN = 'matrix-admin-token-0123456789';
type Caller = 'anonymous' | 'viewer' | 'admin' | 'webhook';
const CALLERS: Caller[] = ['anonymous', 'viewer', 'admin', 'webhook'];

/** Who gets through each level once tokens exist (the rest get the status given). */
const REFUSED: Record<Access, Partial<Record<Caller, 401 | 403>>> = {
  public: {},
  viewer: { anonymous: 401, webhook: 401 },
  admin: { anonymous: 401, webhook: 401, viewer: 403 },
  webhook: { anonymous: 401, viewer: 401, admin: 401 },
};

/** A concrete path for a route pattern: sample values for its parameters. */
function samplePath(url: string): string {
  return url
    .replace(':team', 'core')
    .replace(':repo', 'api')
    .replace(':id', '999999')
    .replace(':key', 'matrix-setting')
    .replace(':source', 'no-such-source')
    .replace(/\*$/, 'index.css');
}

/**
 * The same target written as an attacker would: first letter of each segment percent-encoded,
 * every letter of the first segment encoded, and the absolute form with a host.
 */
function variants(path: string): string[] {
  const encodeFirst = path.replace(/\/([a-z])/g, (_m, c: string) => `/%${c.charCodeAt(0).toString(16)}`);
  const [, first = '', ...rest] = path.split('/');
  const encodeSegment = `/${[...first].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')}${rest.length ? `/${rest.join('/')}` : ''}`;
  return [
    path,
    encodeFirst,
    encodeSegment,
    `http://stride.example${path}`,
    `http://stride.example${encodeFirst}`,
  ];
}

describe('access matrix: every route × caller × URL form', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let webhook: string;
  let routes: AccessRoute[];
  const headersOf = (caller: Caller): Record<string, string> =>
    caller === 'anonymous'
      ? {}
      : { authorization: `Bearer ${caller === 'viewer' ? VIEWER : caller === 'admin' ? ADMIN : webhook}` };

  beforeAll(async () => {
    t = await createTestDatabase();
    webhook = (await createApiToken(t.db, { name: 'ci', role: 'webhook', scope: 'ci' })).token;
    app = await buildApp({
      db: t.db,
      databaseUrl: t.url,
      config: loadApiConfig({
        STRIDE_VIEWER_TOKEN: VIEWER,
        STRIDE_ADMIN_TOKEN: ADMIN,
        RATE_LIMIT_PER_MINUTE: '1000000',
      }),
      strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
      logger: false,
    });
    await app.ready();
    routes = app.accessRoutes();
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('every route declares a level, and the table covers the API, admin routes and /docs', () => {
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) expect(['public', 'viewer', 'admin', 'webhook']).toContain(route.access);
    const urls = new Set(routes.map((r) => r.url));
    for (const url of [
      '/api/teams',
      '/api/admin/tokens',
      '/api/admin/backfill',
      '/docs/json',
      '/api/webhooks/deployments',
    ])
      expect(urls).toContain(url);
    expect(routes.filter((r) => r.access === 'admin').length).toBeGreaterThanOrEqual(8);
  });

  it('answers each caller as the route declares, whatever the URL form', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const refused = REFUSED[route.access!];
      for (const caller of CALLERS) {
        const expected = refused[caller];
        for (const url of variants(samplePath(route.url))) {
          const res = await app.inject({ method: route.method as 'GET', url, headers: headersOf(caller) });
          const where = `${route.method} ${url} as ${caller} (${route.access})`;
          if (res.statusCode >= 500) failures.push(`${where}: ${res.statusCode}`);
          else if (expected !== undefined && res.statusCode !== expected)
            failures.push(`${where}: expected ${expected}, got ${res.statusCode}`);
          else if (expected === undefined && (res.statusCode === 401 || res.statusCode === 403))
            failures.push(`${where}: refused with ${res.statusCode}`);
          else if (
            expected === undefined &&
            res.statusCode === 404 &&
            route.method !== 'HEAD' &&
            // A file server's wildcard reads its file name undecoded: a 404 there is not a bypass.
            !route.url.endsWith('*')
          ) {
            // A 404 must be the handler's (unknown id/source, webhooks off), not the router's.
            const body = res.json() as { error: { message: string } };
            if (body.error.message.startsWith('route ')) failures.push(`${where}: router 404`);
          }
          if (res.statusCode >= 400 && route.method !== 'HEAD') {
            const body = res.json() as { error?: { code?: unknown; message?: unknown } };
            if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string')
              failures.push(`${where}: error body ${res.body.slice(0, 100)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('an unknown route is a 404 in the error shape for every caller and URL form', async () => {
    for (const caller of CALLERS) {
      for (const url of variants('/api/no-such-route')) {
        const res = await app.inject({ method: 'GET', url, headers: headersOf(caller) });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      }
    }
  });
});

describe('access matrix with open reads (no viewer or admin token)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '1000000' }),
      strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
      logger: false,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('opens viewer routes and /docs to anyone, never admin or webhook routes', async () => {
    for (const route of app.accessRoutes()) {
      for (const url of variants(samplePath(route.url))) {
        const res = await app.inject({ method: route.method as 'GET', url });
        const where = `${route.method} ${url} (${route.access})`;
        if (route.access === 'admin' || route.access === 'webhook') expect(res.statusCode, where).toBe(401);
        else expect([401, 403], where).not.toContain(res.statusCode);
        expect(res.statusCode, where).toBeLessThan(500);
      }
    }
  }, 600_000);
});
