import { endpoints } from '@stride/shared';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { loadApiConfig } from './config.ts';

describe('api app', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({}),
      logger: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  it('reports liveness and database readiness', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'up', writes: 'ok' });
  });

  it('answers unknown routes with the error model', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: 'route GET /api/nope was not found' },
    });
  });

  it('serves the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths).toHaveProperty('/api/health');
  });

  it('registers every endpoint of the contract map with its schema', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    };
    for (const [path, methods] of Object.entries(endpoints)) {
      for (const [method, spec] of Object.entries(methods)) {
        expect(app.hasRoute({ method: method as 'GET', url: path }), `${method} ${path}`).toBe(true);
        const operation = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
        expect(operation?.summary, `${method} ${path}`).toBe(spec.schema.summary);
        expect(operation?.tags, `${method} ${path}`).toEqual(spec.schema.tags);
      }
    }
  });

  it('rejects a malformed date naming the parameter and both accepted forms', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/org/dora?to=2025-02-30' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'invalid_parameter',
      message: 'to: must be an ISO date or date-time',
    });
  });

  it('fails at boot naming a bad environment variable', () => {
    expect(() => loadApiConfig({ PORT: 'eighty' })).toThrow(/environment variable PORT:/);
  });
});
