import type { Db } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import pino from 'pino';
import { loadCollectorConfig } from '../config.ts';
import type { SyncContext } from '../sync/sync-context.ts';

/** Repository rules that fit the recorded data (tests/fixtures/recorded/README.md). */
export const RECORDED_GITHUB_CONFIG = {
  repositories: ['panjf2000/ants', 'facebook/OpenBIC'],
  repositoryRules: {
    // ants has no Deployments API data: its own default-branch runs of these workflows, pushed or
    // scheduled (CodeQL's weekly run), are deployments; fork PR runs never are.
    'panjf2000/ants': {
      source: 'workflow_runs',
      workflows: ['ci.yml', 'CodeQL'],
      workflowEvents: ['push', 'workflow_dispatch', 'schedule'],
    },
    'facebook/OpenBIC': { source: 'github_deployments', environment: '^github-pages$' },
  },
  // No ants issue carries `incident`; `bug` issues stand in for incidents.
  incidentLabel: 'bug',
} as const;

/**
 * A SyncContext for tests: the fake server's URL as GITHUB_API_URL, a backfill horizon that
 * reaches the 2018 recordings, shrunken retry/rate-limit waits, and a logger whose JSON lines
 * are kept in `logs`.
 */
export function createSyncTestContext(
  db: Db,
  apiUrl: string,
  github: Record<string, unknown> = RECORDED_GITHUB_CONFIG,
): SyncContext & { logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  return {
    db,
    config: parseStrideConfig({ github, sync: { backfillDays: 20_000, intervalMinutes: 15 } }),
    env: loadCollectorConfig({
      GITHUB_API_URL: apiUrl,
      GITHUB_TOKEN: 'test-token-never-logged',
      LOG_LEVEL: 'silent',
    }),
    logger,
    waitUnitMs: 20,
    logs,
  };
}
