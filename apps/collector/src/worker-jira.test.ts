import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeJiraServer, startFakeJiraServer } from '@stride/testkit/fakes';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from './config.ts';
import { startCollectorWorker } from './worker.ts';

const fixtures = fileURLToPath(new URL('../../../tests/fixtures/recorded/', import.meta.url));
const issues: unknown[] = JSON.parse(readFileSync(`${fixtures}jira_issues.json`, 'utf8'));

describe('collector worker: Jira job', () => {
  let t: TestDatabase;
  let jira: FakeJiraServer;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    t = await createTestDatabase();
    jira = await startFakeJiraServer();
  });
  afterAll(async () => {
    await stop?.();
    await jira?.close();
    await t?.destroy();
  });

  it('queues and runs syncJira with every fan-out when Jira is configured', async () => {
    stop = await startCollectorWorker({
      db: t.db,
      databaseUrl: t.url,
      config: parseStrideConfig({ jira: { projects: ['EE', 'K5'] }, sync: { backfillDays: 5000 } }),
      env: loadCollectorConfig({ JIRA_HOST: jira.url, JIRA_EMAIL: 'me@example.com', JIRA_API_TOKEN: 'x' }),
      logger: pino({ level: 'silent' }),
      schedule: false,
      pollingIntervalSeconds: 0.5,
    });
    const deadline = Date.now() + 30_000;
    let stored = 0;
    while (Date.now() < deadline) {
      const row = await t.db
        .selectFrom('sync_runs')
        .select(({ fn }) => fn.countAll<string>().as('n'))
        .where('source', '=', 'jira')
        .where('status', '=', 'succeeded')
        .executeTakeFirstOrThrow();
      if (Number(row.n) >= 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    stored = Number(
      (
        await t.db
          .selectFrom('jira_issues')
          .select(({ fn }) => fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(stored).toBe(issues.length);
  });
});
