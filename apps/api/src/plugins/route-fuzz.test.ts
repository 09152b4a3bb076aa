import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

const ADMIN = 'fuzz-admin-token-0123456789';

// Strings an attacker or a broken client sends: unicode, percent signs (valid and not), dots,
// slashes, control characters, huge numbers, dates near and far, injection classics.
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    '%',
    '%zz',
    '%00',
    '%E0%A4%A',
    '..',
    '../..',
    '%2e%2e%2f',
    '/',
    '//',
    '\\',
    ';',
    "'; drop table teams; --",
    '<script>alert(1)</script>',
    '9'.repeat(40),
    '-1',
    '0',
    'NaN',
    'Infinity',
    '1e309',
    'true',
    'null',
    '[]',
    '{}',
    '2026-02-30',
    '2026-13-01',
    '0000-01-01',
    '9999-12-31T23:59:60Z',
    '2026-11-01T00:00:00+25:00',
    'a'.repeat(300),
  ),
  fc.integer().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

/** Query keys of a route: those of its schema, plus unknown ones. */
function queryKeysOf(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return [...Object.keys(properties), 'unknown', '__proto__', 'constructor'];
}

describe('fuzz: every route, its path parameters and query (seeded)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ STRIDE_ADMIN_TOKEN: ADMIN, RATE_LIMIT_PER_MINUTE: '1000000' }),
      strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
      logger: false,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('answers no 5xx, and every error in the one shape', async () => {
    // GET routes are read-only, so fuzzing them cannot change what later runs see.
    const routes = app
      .accessRoutes()
      .filter((r) => r.method === 'GET' && !r.url.startsWith('/docs/static'))
      .map((r) => ({ ...r, keys: queryKeysOf(findQuerySchema(app, r.url)) }));
    const failures: string[] = [];
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(nasty, { minLength: 3, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(20), nasty), { maxLength: 5 }),
        fc.boolean(),
        async (route, params, query, authenticated) => {
          let i = 0;
          const path = route.url
            .split('/')
            .map((segment) => (segment.startsWith(':') ? encodeURIComponent(params[i++ % 3]!) : segment))
            .join('/');
          const search = query
            .map(
              ([k, v]) =>
                `${encodeURIComponent(route.keys[k % route.keys.length]!)}=${encodeURIComponent(v)}`,
            )
            .join('&');
          const url = search ? `${path}?${search}` : path;
          const res = await app.inject({
            method: 'GET',
            url,
            headers: authenticated ? { authorization: `Bearer ${ADMIN}` } : {},
          });
          requests++;
          if (res.statusCode >= 500) failures.push(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (res.statusCode >= 400) {
            let body: unknown;
            try {
              body = res.json();
            } catch {
              body = res.body;
            }
            const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
            if (
              typeof error?.code !== 'string' ||
              typeof error.message !== 'string' ||
              Object.keys(body as object).length !== 1
            )
              failures.push(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          }
        },
      ),
      { seed: 20261201, numRuns: 2500 },
    );
    expect(requests).toBe(2500);
    expect(failures).toEqual([]);
  }, 300_000);
});

/** The querystring schema a GET route was registered with (from the OpenAPI document). */
function findQuerySchema(app: FastifyInstance, url: string): unknown {
  const doc = app.swagger() as {
    paths?: Record<string, { get?: { parameters?: { in: string; name: string }[] } }>;
  };
  const openApiPath = url.replace(/:(\w+)/g, '{$1}');
  const parameters = doc.paths?.[openApiPath]?.get?.parameters ?? [];
  return {
    properties: Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, {}])),
  };
}
