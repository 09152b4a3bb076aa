import { createApiToken, findApiToken } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { type SeededOrg, seedDashboardOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

const ADMIN = 'fuzz-admin-token-0123456789';
const VIEWER = 'fuzz-viewer-token-012345678';

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

describe('fuzz: every GET route, its path parameters and query (seeded)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await createTestDatabase();
    // A real organisation (fixed clock, so the run is reproducible): path parameters and query
    // values are drawn from its own team slugs and repositories as well as hostile strings, so
    // the fuzz reaches the code that reads and computes data, not only the 404 of unknown names.
    org = await seedDashboardOrg(t.db, {
      now: new Date('2026-11-30T12:00:00Z'),
      days: 60,
      seed: 7,
      teamCount: 2,
    });
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ STRIDE_ADMIN_TOKEN: ADMIN, RATE_LIMIT_PER_MINUTE: '1000000' }),
      strideConfig: parseStrideConfig({ teams: org.teams }),
      logger: false,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('answers no 5xx, and every error in the one shape (GET)', async () => {
    // GET routes are read-only, so fuzzing them cannot change what later runs see.
    const routes = app
      .accessRoutes()
      .filter((r) => r.method === 'GET' && !r.url.startsWith('/docs/static'))
      .map((r) => ({ ...r, keys: queryKeysOf(findQuerySchema(app, r.url)) }));
    const slugs = org.teams.map((team) => team.slug);
    const repositories = org.teams.flatMap((team) => team.repositories ?? []);
    expect(slugs.length).toBeGreaterThan(0);
    expect(repositories.length).toBeGreaterThan(0);
    // Values the data knows (and valid forms of the common query parameters), or hostile ones.
    const real = fc.constantFrom(
      ...slugs,
      ...repositories,
      '7d',
      '30d',
      '90d',
      'week',
      'month',
      '2026-10-01',
      '2026-11-30T00:00:00Z',
    );
    const value = fc.oneof({ arbitrary: real, weight: 3 }, { arbitrary: nasty, weight: 1 });
    // A path parameter: mostly one the data knows for that parameter, else hostile.
    const param = (known: string[]) =>
      fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: value, weight: 1 });
    const failures: string[] = [];
    const okRoutes = new Set<string>();
    const seen = new Map<string, string[]>();
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.record({ team: param(slugs), repo: param(repositories), other: value }),
        fc.array(fc.tuple(fc.nat(20), value), { maxLength: 3 }),
        fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
        async (route, params, query, authenticated) => {
          const path = route.url
            .split('/')
            .map((segment) =>
              segment.startsWith(':')
                ? encodeURIComponent(
                    segment === ':team' ? params.team : segment === ':repo' ? params.repo : params.other,
                  )
                : segment,
            )
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
          checkAnswer(`GET ${url}`, res, failures);
          if (res.statusCode === 200) okRoutes.add(route.url);
          const answers = seen.get(route.url) ?? [];
          if (answers.length < 12)
            answers.push(`${res.statusCode} ${url.slice(0, 70)} ${res.body.slice(0, 60)}`);
          seen.set(route.url, answers);
        },
      ),
      { seed: 20261201, numRuns: 2500 },
    );
    expect(requests).toBe(2500);
    expect(failures).toEqual([]);
    // Every route with a team or repository in its path answered with data at least once.
    const withParams = routes.filter((r) => /:(team|repo)\b/.test(r.url)).map((r) => r.url);
    expect(withParams.length).toBeGreaterThan(5);
    const never = withParams.filter((url) => !okRoutes.has(url));
    expect(never, never.flatMap((url) => seen.get(url) ?? []).join('\n')).toEqual([]);
  }, 600_000);
});

describe('fuzz: every route that writes, with fuzzed paths, queries, bodies and callers (seeded)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  // The callers' tokens by role. A fuzzed request may revoke one (DELETE /api/admin/tokens/:id,
  // DELETE /api/session with a bearer token, DELETE /api/admin/webhook-sources/fuzz); a revoked
  // token stays revoked, so a fresh one of the same role is created before the next request:
  // each request is made as the caller it names, whatever the requests before it did.
  const live = { viewer: VIEWER, admin: ADMIN, webhook: '' };
  let recreated = 0;
  const restoreCallers = async () => {
    for (const role of ['viewer', 'admin', 'webhook'] as const) {
      if (await findApiToken(t.db, live[role])) continue;
      recreated++;
      live[role] = (
        await createApiToken(t.db, {
          name: `fuzz ${role} ${recreated}`,
          role,
          scope: role === 'webhook' ? 'fuzz' : null,
          origin: 'cli',
        })
      ).token;
    }
  };
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({
      db: t.db,
      // With a queue, so that a valid backfill request is queued rather than refused.
      databaseUrl: t.url,
      config: loadApiConfig({
        STRIDE_ADMIN_TOKEN: ADMIN,
        STRIDE_VIEWER_TOKEN: VIEWER,
        GITHUB_WEBHOOK_SECRET: 'fuzz-webhook-secret',
        RATE_LIMIT_PER_MINUTE: '1000000',
      }),
      strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
      logger: false,
    });
    await app.ready();
    live.webhook = (
      await createApiToken(t.db, { name: 'webhook:fuzz', role: 'webhook', scope: 'fuzz', origin: 'cli' })
    ).token;
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('answers no 5xx, and every error in the one shape (POST, PUT, PATCH, DELETE)', async () => {
    const statuses = new Map<number, number>();
    const doc = app.swagger() as OpenApiDocument;
    const routes = app
      .accessRoutes()
      .filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .map((r) => ({ ...r, bodyKeys: bodyKeysOf(doc, r.url, r.method) }));
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /api/admin/tokens', 'PUT /api/admin/settings/:key', 'POST /api/session']),
    );
    // A body: a valid one with one field changed or dropped, any JSON, an object of the route's
    // own keys with hostile values, or broken JSON.
    const body = (route: string, keys: string[]) =>
      fc.oneof(
        fc
          .tuple(fc.constantFrom(...keys), fc.oneof(nasty, fc.jsonValue(), fc.constant(undefined)))
          .map(([key, value]) => JSON.stringify({ ...VALID_BODIES[route], [key]: value })),
        fc.constant(JSON.stringify(VALID_BODIES[route] ?? {})),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc
          .array(fc.tuple(fc.constantFrom(...keys), fc.oneof(nasty, fc.jsonValue())), { maxLength: 6 })
          .map((entries) => JSON.stringify(Object.fromEntries(entries))),
        fc.constantFrom('{', '{"a":', 'nul', '"\\u0000"', '[1,2', '\u0000'),
      );
    const callers = () => fc.constantFrom('anonymous', 'viewer', 'admin', 'webhook', 'not-a-token');
    const headersOf = (caller: string): Record<string, string> =>
      caller === 'anonymous'
        ? {}
        : caller === 'viewer' || caller === 'admin' || caller === 'webhook'
          ? { authorization: `Bearer ${live[caller]}` }
          : { authorization: 'Bearer not-a-token' };
    const failures: string[] = [];
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes).chain((route) =>
          fc.record({
            route: fc.constant(route),
            params: fc.array(fc.oneof(fc.constantFrom('demo', '1', '2', 'fuzz', 'argocd'), nasty), {
              minLength: 3,
              maxLength: 3,
            }),
            query: fc.array(fc.tuple(fc.constantFrom('unknown', 'days', '__proto__'), nasty), {
              maxLength: 2,
            }),
            payload: body(`${route.method} ${route.url}`, route.bodyKeys),
            caller: callers(),
            contentType: fc.constantFrom(
              'application/json',
              'application/json',
              'application/json; charset=utf-8',
              'text/plain',
            ),
          }),
        ),
        async ({ route, params, query, payload, caller, contentType }) => {
          let i = 0;
          const path = route.url
            .split('/')
            .map((segment) => (segment.startsWith(':') ? encodeURIComponent(params[i++ % 3]!) : segment))
            .join('/');
          const search = query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const url = search ? `${path}?${search}` : path;
          const res = await app.inject({
            method: route.method as 'POST',
            url,
            headers: { ...headersOf(caller), 'content-type': contentType },
            payload,
          });
          requests++;
          await restoreCallers();
          checkAnswer(`${route.method} ${url} ${payload.slice(0, 80)}`, res, failures);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        },
      ),
      { seed: 20261201, numRuns: 1000 },
    );
    expect(requests).toBe(1000);
    expect(failures).toEqual([]);
    // Every caller's token is live at the end too (checked, not assumed).
    for (const role of ['viewer', 'admin', 'webhook'] as const)
      expect(await findApiToken(t.db, live[role]), role).toBeDefined();
    // The fuzz reaches the handlers, not only the validators and the access check.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 201, 202, 204, 400, 401, 403]));
  }, 300_000);
});

/** A valid body of each write route, which the fuzz then changes one field of. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/session': { token: VIEWER },
  'POST /api/admin/tokens': { name: 'grafana', role: 'viewer' },
  'PUT /api/admin/settings/:key': { value: true },
  'POST /api/admin/backfill': { days: 7 },
  'POST /api/admin/webhook-sources': { source: 'argocd' },
  'POST /api/admin/annotations': { team: 'core', kind: 'reorg', title: 'Core splits', date: '2026-11-02' },
  'PUT /api/admin/annotations/:id': {
    team: null,
    kind: 'freeze',
    title: 'Freeze',
    date: '2026-11-02',
    endDate: '2026-11-06',
  },
  'POST /api/admin/goals': {
    team: 'core',
    metric: 'pickup_time',
    statistic: 'p50',
    target: '4h',
    direction: '<',
  },
  'PUT /api/admin/goals/:id': {
    metric: 'change_failure_rate',
    statistic: 'value',
    target: '10%',
    direction: '<=',
  },
  'POST /api/webhooks/deployments': {
    eventId: 'evt-1',
    repository: 'acme/core',
    environment: 'production',
    status: 'success',
    sha: 'abcdef1234567',
    finishedAt: '2026-11-02T10:00:00Z',
    url: 'https://ci.example.com/runs/1',
  },
  'POST /api/webhooks/incidents': {
    eventId: 'inc-1',
    title: 'Checkout down',
    startedAt: '2026-11-02T11:00:00Z',
    resolvedAt: '2026-11-02T12:00:00Z',
    team: 'core',
    url: 'https://pager.example.com/i/1',
  },
};

type OpenApiDocument = {
  paths?: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>
  >;
};

/** The top-level keys of a route's JSON body schema (from the OpenAPI document), plus unknown ones. */
function bodyKeysOf(doc: OpenApiDocument, url: string, method: string): string[] {
  const operation = doc.paths?.[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
  const properties = operation?.requestBody?.content?.['application/json']?.schema?.properties ?? {};
  return [...Object.keys(properties), 'unknown', '__proto__', 'constructor'];
}

/** Records an answer that is a 5xx or an error outside the one `{ error: { code, message } }` shape. */
function checkAnswer(
  request: string,
  res: { statusCode: number; body: string; json: () => unknown },
  failures: string[],
): void {
  const failed = () => failures.push(`${request}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  if (res.statusCode >= 500) failed();
  if (res.statusCode < 400) return;
  let body: unknown;
  try {
    body = res.json();
  } catch {
    body = res.body;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (
    typeof error?.code !== 'string' ||
    typeof error.message !== 'string' ||
    Object.keys(body as object).length !== 1
  )
    failed();
}

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
