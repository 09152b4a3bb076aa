import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, loadApiConfig } from '@stride/api';
import { loadCollectorConfig, runAllSyncs } from '@stride/collector';
import {
  createDb,
  type Db,
  ensureDatabase,
  migrateToLatest,
  startEmbeddedPostgres,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, startFakeGitHubServer } from '@stride/testkit/fakes';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess } from '../support/child-process.ts';
import {
  type Fault,
  type FaultProxy,
  startFaultProxy,
  waitForProxiedRequest,
} from '../support/fault-proxy.ts';
import { githubChecksums, githubRowsByNaturalKey } from '../support/github-checksums.ts';

// The fault matrix: for each fault a network and GitHub add, a sync through a fault proxy stores
// exactly what a clean sync stores (per-table checksums over natural keys), after at most the
// runs a collector makes anyway (each later run resumes from the saved cursors).
const OWNER = 'matrix';
const GITHUB = {
  repositories: [`${OWNER}/service-1`],
  deployments: { source: 'github_deployments', environment: '^production$' },
  incidentLabel: 'incident',
};
const MAX_RUNS = 4;

const contextFor = (t: { db: Db }, apiUrl: string) => ({
  db: t.db,
  config: parseStrideConfig({ github: GITHUB, sync: { backfillDays: 20_000, intervalMinutes: 15 } }),
  env: loadCollectorConfig({ GITHUB_API_URL: apiUrl, GITHUB_TOKEN: `token-${apiUrl}`, LOG_LEVEL: 'silent' }),
  logger: pino({ level: 'silent' }),
  waitUnitMs: 10,
});

/**
 * Syncs until a run reports neither an error nor missing parts (at most MAX_RUNS): what the
 * scheduled collector does (a part missing for a passing reason is fetched again next run).
 */
async function syncUntilClean(t: { db: Db }, apiUrl: string): Promise<number> {
  for (let run = 1; run <= MAX_RUNS; run += 1) {
    const reports = await runAllSyncs(contextFor(t, apiUrl));
    if (reports.every((r) => !r.error && !r.incomplete)) return run;
  }
  throw new Error(`still failing after ${MAX_RUNS} runs`);
}

/** The route kind of a GitHub path: ids and numbers replaced, query dropped. */
const routeKind = (path: string) =>
  path
    .split('?')[0]!
    .replace(/\/[0-9a-f]{40}(\.\.\.[0-9a-f]{40})?/g, '/:sha')
    .replace(/\/\d+/g, '/:n');

describe('GitHub sync fault matrix: stored rows equal a clean sync, row for row', () => {
  let server: FakeGitHubServer;
  let expected: Record<string, string>;
  let expectedRows: Record<string, string[]>;
  const proxies: FaultProxy[] = [];
  const databases: TestDatabase[] = [];
  beforeAll(async () => {
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: OWNER, repositories: 1, pullsPerRepository: 30, seed: 23 },
    });
    const clean = await createTestDatabase();
    databases.push(clean);
    await syncUntilClean(clean, server.url);
    expected = await githubChecksums(clean.db);
    expectedRows = await githubRowsByNaturalKey(clean.db);
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(['pull_requests', 'pull_request_commits', 'deployments', 'deployment_changes']),
    );
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    for (const t of databases) await t.destroy();
    await server?.close();
  });

  const once = (fault: Fault, every = 5) => {
    let n = 0;
    return ({ seen }: { seen: number }): Fault => (seen === 0 && n++ % every === 0 ? fault : 'pass');
  };
  const reset = () => String(Math.floor(Date.now() / 1000) + 1);
  const modes: [string, () => (r: { path: string; seen: number }) => Fault][] = [
    [
      'primary rate limit (403, x-ratelimit-remaining: 0)',
      () => (r) =>
        once({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset() } }, 7)(r),
    ],
    [
      'secondary rate limit (403 with retry-after)',
      () =>
        once(
          {
            status: 403,
            headers: { 'retry-after': '1' },
            body: { message: 'You have exceeded a secondary rate limit' },
          },
          7,
        ),
    ],
    ['429 with retry-after', () => once({ status: 429, headers: { 'retry-after': '1' } }, 7)],
    [
      '5xx on every route kind (the first request of each kind: 500, 502, 503 in turn)',
      () => {
        const kinds = new Set<string>();
        let n = 0;
        return ({ path }) => {
          const kind = routeKind(path);
          if (kinds.has(kind)) return 'pass';
          kinds.add(kind);
          return { status: [500, 502, 503][n++ % 3]! };
        };
      },
    ],
    ['slow responses (every answer 150 ms late)', () => () => ({ delayMs: 150 })],
    ['truncated JSON bodies', () => once('truncate', 4)],
    ['connection resets', () => once('reset', 4)],
  ];

  it.each(modes)(
    '%s',
    async (_name, decide) => {
      const t = await createTestDatabase();
      databases.push(t);
      const proxy = await startFaultProxy(server.url, decide());
      proxies.push(proxy);
      await syncUntilClean(t, proxy.url);
      expect(proxy.requests.some((r) => r.fault !== 'pass')).toBe(true);
      expect(await githubChecksums(t.db)).toEqual(expected);
    },
    120_000,
  );

  it('SIGKILL of the collector mid-sync, then the next run', async () => {
    const t = await createTestDatabase();
    databases.push(t);
    // Slow enough that the kill lands mid-sync, after some pages are stored.
    const proxy = await startFaultProxy(server.url, () => ({ delayMs: 100 }));
    proxies.push(proxy);
    const child = await startCollectorProcess({
      databaseUrl: t.url,
      github: GITHUB,
      apiUrl: proxy.url,
      token: 'token-sigkill',
    });
    try {
      await waitForProxiedRequest(proxy, (r) => /\/pulls\/\d+\/commits/.test(r.path), child);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      child.kill();
    }
    await child.exited;
    await syncUntilClean(t, server.url);
    expect(await githubChecksums(t.db)).toEqual(expected);
  }, 150_000);

  it('PostgreSQL restart mid-sync, then the next run; the API answers 503 meanwhile and 200 after', async () => {
    // Its own embedded server, so that it can be stopped and started again on the same port.
    const dir = await mkdtemp(join(tmpdir(), 'stride-matrix-pg-'));
    await chmod(dir, 0o755);
    const dataDir = join(dir, 'pg');
    let postgres = await startEmbeddedPostgres(dataDir);
    const port = postgres.port;
    let db: Db | undefined;
    let apiDb: Db | undefined;
    let app: FastifyInstance | undefined;
    try {
      await ensureDatabase(postgres.adminUrl, 'stride');
      db = createDb(withDatabaseName(postgres.adminUrl, 'stride'), 4);
      await migrateToLatest(db);
      // Slow enough that the restart lands mid-sync, after some pages are stored.
      const proxy = await startFaultProxy(server.url, () => ({ delayMs: 200 }));
      proxies.push(proxy);
      let firstRunDone = false;
      const first = runAllSyncs(contextFor({ db }, proxy.url))
        .catch(() => undefined)
        .finally(() => {
          firstRunDone = true;
        });
      const deadline = Date.now() + 90_000;
      while (!proxy.requests.some((r) => /\/pulls\/\d+\/commits/.test(r.path))) {
        if (Date.now() > deadline) throw new Error('the sync never reached the PR commits');
        await new Promise((r) => setTimeout(r, 50));
      }
      // The API on the same database, on its own pool (as npm start runs it).
      apiDb = createDb(withDatabaseName(postgres.adminUrl, 'stride'), 2);
      app = await buildApp({
        db: apiDb,
        config: loadApiConfig({}),
        strideConfig: parseStrideConfig({ github: GITHUB }),
        logger: false,
      });
      const api = app;
      const get = (url: string) => api.inject({ method: 'GET', url });
      expect((await get('/api/health')).statusCode).toBe(200);
      // The restart lands mid-sync: the run may fail, or ride it out on fresh connections.
      expect(firstRunDone).toBe(false);
      await postgres.stop();
      const down = await get('/api/teams');
      expect(down.statusCode).toBe(503);
      expect(down.json().error.code).toBe('database_unavailable');
      expect((await get('/api/health')).json()).toMatchObject({ status: 'degraded', database: 'down' });
      postgres = await startEmbeddedPostgres(dataDir, undefined, { port });
      await first;
      // The same pool, without a restart of the collector: broken connections are replaced.
      await syncUntilClean({ db }, server.url);
      expect(await githubRowsByNaturalKey(db)).toEqual(expectedRows);
      expect(await githubChecksums(db)).toEqual(expected);
      // The API answers again once the database is back, without a restart.
      expect((await get('/api/health')).json()).toEqual({ status: 'ok', database: 'up', writes: 'ok' });
      expect((await get('/api/teams')).statusCode).toBe(200);
    } finally {
      await app?.close();
      await apiDb?.destroy();
      await db?.destroy();
      await postgres.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
