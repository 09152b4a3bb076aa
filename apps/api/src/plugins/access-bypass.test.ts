import { createApiToken } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

// Access used to be decided from the raw URL (`startsWith('/api/')`) while the router matched
// the decoded path: `/%61pi/changes.csv` answered 200 with the data and no token.
describe('access is decided from the matched route, not the URL', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ STRIDE_VIEWER_TOKEN: 'viewer-token-0123456789' }),
      strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
      logger: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  for (const url of [
    '/%61pi/changes.csv',
    '/a%70i/changes.csv',
    '/api/changes%2ecsv',
    '/%61%70%69/teams',
    'http://stride.example/api/teams',
    'http://stride.example/%61pi/teams',
    '/api//teams',
    '/api/teams/',
    '/api/teams?x=1',
    '/api/teams;x=1',
    // Double encoding, dot segments, an empty first segment: never routed to the data.
    '/%2561pi/changes.csv',
    '/api/../api/teams',
    '/api/%2e%2e/api/teams',
    '/./api/teams',
    '//api/teams',
    '/API/teams',
  ]) {
    it(`refuses ${url} without a token`, async () => {
      const res = await app.inject({ method: 'GET', url });
      expect([401, 404]).toContain(res.statusCode);
      expect(res.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    });
  }

  it('refuses a route that declares no access level when the app boots', async () => {
    const other = await createTestDatabase();
    const bare = await buildApp({
      db: other.db,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({}),
      logger: false,
    });
    // Added after build, as a plugin would, without `config.access`.
    bare.get('/api/undeclared', async () => ({ secret: true }));
    await expect(bare.ready()).rejects.toThrow(/without a declared access level.*GET \/api\/undeclared/);
    await bare.close().catch(() => {});
    await other.destroy();
  });

  it('still serves the plain path with a viewer token', async () => {
    await createApiToken(t.db, { name: 'x', role: 'viewer', token: 'another-viewer-token-000' });
    const res = await app.inject({
      method: 'GET',
      url: '/%61pi/teams',
      headers: { authorization: 'Bearer another-viewer-token-000' },
    });
    expect(res.statusCode).toBe(200);
  });
});
