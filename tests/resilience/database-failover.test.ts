import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDb,
  type EmbeddedServer,
  ensureDatabase,
  migrateToLatest,
  startEmbeddedPostgres,
  withDatabaseName,
} from '@stride/db';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningChild, repoRoot, startTsx } from '../support/child-process.ts';

const serverScript = join(repoRoot, 'apps/api/src/server.ts');

interface Outcome {
  status: number;
  code?: string | undefined;
  at: number;
}

/**
 * `workers` concurrent loops of GET `path` until `until()` says stop; every answer is recorded
 * (a refused or reset connection to the API is status 0: the API process is gone).
 */
async function loadLoop(
  base: string,
  path: string,
  workers: number,
  until: () => boolean,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!until()) {
        try {
          const response = await fetch(`${base}${path}`);
          const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
          outcomes.push({ status: response.status, code: body.error?.code, at: Date.now() });
        } catch {
          outcomes.push({ status: 0, at: Date.now() });
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }),
  );
  return outcomes;
}

describe('API during a PostgreSQL restart under load', () => {
  let dir = '';
  let server: EmbeddedServer | undefined;
  let api: RunningChild | undefined;
  afterAll(async () => {
    api?.kill();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 database_unavailable while it is down, never crashes, and serves again once it is back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stride-failover-'));
    await chmod(dir, 0o755);
    const dataDir = join(dir, 'pg');
    server = await startEmbeddedPostgres(dataDir);
    const port = server.port;
    await ensureDatabase(server.adminUrl, 'stride');
    const url = withDatabaseName(server.adminUrl, 'stride');
    const setup = createDb(url, 1);
    await migrateToLatest(setup);
    await setup.insertInto('teams').values({ slug: 'core', name: 'Core' }).execute();
    await setup.destroy();

    api = startTsx(serverScript, {
      DATABASE_URL: url,
      PORT: '0',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000000',
    });
    const listening = await api.waitFor(/listening at (http:\/\/127\.0\.0\.1:\d+)/);
    const base = listening[1]!;

    // Phase 1: load while the database goes away and comes back on the same port.
    let stopLoad = false;
    const during = loadLoop(base, '/api/teams', 6, () => stopLoad);
    await new Promise((r) => setTimeout(r, 800));
    await server.stop();
    const downSince = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    const healthDown = await fetch(`${base}/api/health`);
    const healthDownBody = await healthDown.json();
    server = await startEmbeddedPostgres(dataDir, undefined, { port });
    const upAgain = Date.now();
    await new Promise((r) => setTimeout(r, 800));
    stopLoad = true;
    const phase1 = await during;

    // Phase 2: after recovery every request succeeds, with no restart of the API.
    let healthy = false;
    for (let i = 0; i < 50 && !healthy; i++) {
      healthy = (await fetch(`${base}/api/health`)).status === 200;
      if (!healthy) await new Promise((r) => setTimeout(r, 200));
    }
    expect(healthy).toBe(true);
    const phase2End = Date.now() + 1500;
    const after = await loadLoop(base, '/api/teams', 6, () => Date.now() > phase2End);

    const crashed = api.child.exitCode !== null || api.child.signalCode !== null;
    expect(crashed, api.output().slice(-2000)).toBe(false);
    expect(phase1.filter((o) => o.status === 0)).toEqual([]);
    // While down: only successes (before the stop took effect) or the one 503 code.
    expect(
      phase1.filter((o) => o.status !== 200 && !(o.status === 503 && o.code === 'database_unavailable')),
    ).toEqual([]);
    expect(
      phase1.filter((o) => o.at > downSince && o.at < upAgain && o.status === 503).length,
    ).toBeGreaterThan(0);
    expect(healthDown.status).toBe(503);
    expect(healthDownBody).toMatchObject({ status: 'degraded', database: 'down' });
    expect(after.length).toBeGreaterThan(20);
    expect(after.filter((o) => o.status !== 200)).toEqual([]);
    // No stack dumps for an expected outage.
    expect(api.output()).not.toMatch(/unhandled error|Uncaught| {4}at /);
  }, 180_000);
});
