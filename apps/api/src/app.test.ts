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
    expect(res.json()).toEqual({ status: 'ok', database: 'up' });
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

  it('fails at boot naming a bad environment variable', () => {
    expect(() => loadApiConfig({ PORT: 'eighty' })).toThrow(/environment variable PORT:/);
  });
});
