import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';
import { DIGEST_CHECK_QUEUE, startDigestJobs } from './digest-jobs.ts';

// A run with a Slack webhook registers the 15-minute digest check in pg-boss's tables; a later
// run without any channel must remove it, or the check keeps being queued with nowhere to go.
describe('digest schedule across runs', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '100000' }),
      strideConfig: parseStrideConfig({ teams: [] }),
      logger: false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  const schedules = async () => {
    const boss = new PgBoss({ connectionString: t.url, schema: 'pgboss', max: 1 });
    await boss.start();
    try {
      return (await boss.getSchedules()).map((s) => s.name);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  };

  it('unschedules at boot the check an earlier run with a channel registered', async () => {
    const base = { smtpUrl: undefined, emailFrom: 'stride@example.com', byDigest: {} };
    const withSlack = await startDigestJobs({
      app,
      databaseUrl: t.url,
      channels: { ...base, defaults: { slackWebhookUrl: 'http://127.0.0.1:9/hook', emailTo: [] } },
    });
    await withSlack.stop();
    expect(await schedules()).toContain(DIGEST_CHECK_QUEUE);

    const without = await startDigestJobs({
      app,
      databaseUrl: t.url,
      channels: { ...base, defaults: { slackWebhookUrl: undefined, emailTo: [] } },
    });
    await without.stop();
    expect(await schedules()).not.toContain(DIGEST_CHECK_QUEUE);
  }, 120_000);
});
