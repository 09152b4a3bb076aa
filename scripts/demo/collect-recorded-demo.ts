import {
  createLogger,
  type Logger,
  loadCollectorConfig,
  runAllSyncs,
  type SyncReport,
} from '@stride/collector';
import type { Db } from '@stride/db';
import { syncTeamsFromConfig } from '@stride/db';
import type { StrideConfig } from '@stride/shared/config';
import { buildRecordedDemoConfig, RECORDED_BACKFILL_SINCE } from '@stride/testkit/demo';
import { startFakeGitHubServer, startFakeJiraServer } from '@stride/testkit/fakes';

export interface CollectRecordedDemoResult {
  /** The config the recorded data was collected under (its teams are synced). */
  config: StrideConfig;
  reports: SyncReport[];
  /** Wall-clock seconds, servers included. */
  seconds: number;
}

/**
 * Collects the recorded real payloads of tests/fixtures/recorded with the real collector:
 * starts the local GitHub and Jira servers (real HTTP, recorded REST shapes) on free ports,
 * syncs the recorded config's teams, runs every sync through them (GitHub, Jira, then the
 * change/incident linking) with a backfill horizon reaching 2018, and stops the servers.
 * Idempotent: re-collecting upserts the same rows. Credentials given to the local servers are
 * placeholders; nothing leaves the machine.
 */
export async function collectRecordedDemo(
  db: Db,
  options: { logger?: Logger; config?: StrideConfig } = {},
): Promise<CollectRecordedDemoResult> {
  const started = performance.now();
  const config = options.config ?? (await buildRecordedDemoConfig());
  const logger = options.logger ?? createLogger('warn');
  await syncTeamsFromConfig(db, config.teams);
  const github = await startFakeGitHubServer();
  const jira = await startFakeJiraServer();
  try {
    const env = loadCollectorConfig({
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: 'recorded-demo',
      JIRA_HOST: jira.url,
      JIRA_EMAIL: 'demo@stride.invalid',
      JIRA_API_TOKEN: 'recorded-demo',
      LOG_LEVEL: 'warn',
    });
    const ctx = { db, config, env, logger, since: RECORDED_BACKFILL_SINCE, backfill: true };
    const reports = await runAllSyncs(ctx);
    return { config, reports, seconds: (performance.now() - started) / 1000 };
  } finally {
    await github.close();
    await jira.close();
  }
}
