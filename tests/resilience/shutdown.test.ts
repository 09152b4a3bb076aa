import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startEmbeddedPostgres,
  withDatabaseName,
} from '@stride/db';
import { seedDashboardOrg } from '@stride/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningChild, repoRoot, startTsx } from '../support/child-process.ts';

const startScript = join(repoRoot, 'scripts/start.ts');

/** Whether a process with this pid is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('SIGTERM to npm start on the embedded database', () => {
  let dir = '';
  let child: RunningChild | undefined;
  afterAll(async () => {
    child?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('drains in-flight requests, stops the database last and exits 0', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stride-sigterm-'));
    await chmod(dir, 0o755);
    const dataDir = join(dir, 'data');
    // An organisation in the embedded data directory, so requests do real work.
    const seedServer = await startEmbeddedPostgres(join(dataDir, 'pg'));
    let teams: unknown;
    try {
      await ensureDatabase(seedServer.adminUrl, 'stride');
      const db = createDb(withDatabaseName(seedServer.adminUrl, 'stride'), 2);
      await migrateToLatest(db);
      teams = (await seedDashboardOrg(db, { days: 60, teamCount: 3 })).teams;
      await db.destroy();
    } finally {
      await seedServer.stop();
    }
    const configPath = join(dir, 'stride.config.yaml');
    await writeFile(configPath, JSON.stringify({ teams }));

    child = startTsx(startScript, {
      STRIDE_CONFIG: configPath,
      STRIDE_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000000',
    });
    const running = await child.waitFor(/Stride is running: (http:\/\/127\.0\.0\.1:\d+)\//);
    const base = running[1]!;
    const postmaster = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(alive(postmaster)).toBe(true);

    const paths = ['/api/org/dora', '/api/teams/platform/health', '/api/teams/payments/dora', '/api/changes'];
    const total = 24;
    let sigtermAt = 0;
    const requests = Array.from({ length: total }, async (_, i) => {
      try {
        const response = await fetch(`${base}${paths[i % paths.length]}`);
        await response.arrayBuffer();
        return { status: response.status, at: Date.now() };
      } catch (error) {
        return { status: 0, at: Date.now(), error: String((error as Error).cause ?? error) };
      }
    });
    // Every request has reached the API (logged) before the signal: they are in flight.
    await child.waitUntil((output) => (output.match(/incoming request/g) ?? []).length >= total, 30_000);
    sigtermAt = Date.now();
    process.kill(child.child.pid!, 'SIGTERM');
    const outcomes = await Promise.all(requests);
    const code = await child.exited;

    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    expect(outcomes.some((o) => o.at >= sigtermAt)).toBe(true);
    expect(code, child.output().slice(-3000)).toBe(0);
    expect(child.output()).toContain('SIGTERM: stopping');
    // The database was stopped too (cleanly: no pid file left), not orphaned.
    expect(alive(postmaster)).toBe(false);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 300_000);
});
