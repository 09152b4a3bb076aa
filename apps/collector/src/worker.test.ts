import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, RECORDED_FIXTURES_DIR, startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncTestContext } from './testing/sync-test-context.ts';
import { COLLECTOR_QUEUES, cronForInterval, startCollectorWorker } from './worker.ts';

describe('collector workers on pg-boss', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer();
  });
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
    await server.close();
    await t.destroy();
  });

  it('maps the interval to cron', () => {
    expect(cronForInterval(15)).toBe('*/15 * * * *');
    expect(cronForInterval(120)).toBe('0 */2 * * *');
  });

  it('two workers (each its own pg-boss, as two processes) share a sync: each repository is synced once, then linked', async () => {
    const ctx = createSyncTestContext(t.db, server.url);
    for (let i = 0; i < 2; i += 1) {
      stops.push(
        await startCollectorWorker({
          db: t.db,
          databaseUrl: t.url,
          config: ctx.config,
          env: ctx.env,
          logger: ctx.logger,
          schedule: i === 0,
          syncOnStart: true,
          pollingIntervalSeconds: 0.5,
          waitUnitMs: 20,
        }),
      );
    }
    // Wait until both repository jobs are completed (their sync and the linking after it).
    const completedJobs = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from pgboss.job
            where name = ${COLLECTOR_QUEUES.githubRepository} and state = 'completed'`.execute(t.db)
        ).rows[0]!.n,
      );
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && (await completedJobs()) < 2) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const done = await t.db
      .selectFrom('sync_runs')
      .select(['scope', 'status'])
      .where('source', '=', 'github')
      .execute();
    expect(done.map((r) => `${r.scope}:${r.status}`).sort()).toEqual([
      'facebook/OpenBIC:succeeded',
      'panjf2000/ants:succeeded',
    ]);
    const pulls = JSON.parse(readFileSync(`${RECORDED_FIXTURES_DIR}github_pulls.json`, 'utf8'))[
      'panjf2000/ants'
    ];
    const stored = await t.db
      .selectFrom('pull_requests')
      .select((e) => e.fn.countAll<string>().as('n'))
      .executeTakeFirst();
    expect(Number(stored?.n)).toBe(pulls.length);
    const schedules = await sql<{
      name: string;
      cron: string;
    }>`select name, cron from pgboss.schedule`.execute(t.db);
    expect(schedules.rows).toEqual([{ name: COLLECTOR_QUEUES.githubSync, cron: '*/15 * * * *' }]);
    // One repository job per repository, each completed by one of the two workers.
    expect(await completedJobs()).toBe(2);
    expect(await t.db.selectFrom('deployment_changes').select('pull_request_id').execute()).not.toHaveLength(
      0,
    );
  });
});
