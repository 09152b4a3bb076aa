export { type CollectorConfig, loadCollectorConfig } from './config.ts';
export { createLogger, type Logger } from './logger.ts';
export { GitHubClient, type GitHubClientOptions, type GitHubRequestStats } from './sources/github-client.ts';
export {
  type GitHubAppSettings,
  type GitHubCredential,
  tokenCredential,
} from './sources/github-credentials.ts';
export { linkDerived, runAllSyncs } from './sync/run-all-syncs.ts';
export type { SyncContext, SyncReport } from './sync/sync-context.ts';
export { type CopilotScope, copilotScopes, syncCopilotMetrics } from './sync/sync-copilot-metrics.ts';
export { redactSignedUrl, syncCopilotUsage } from './sync/sync-copilot-usage-reports.ts';
export {
  createGitHubClient,
  createGitHubClientPool,
  type GitHubSyncOptions,
  listConfiguredRepositories,
  resolveGitHubCredentials,
  syncGitHub,
} from './sync/sync-github.ts';
export { syncJira } from './sync/sync-jira.ts';
export {
  COLLECTOR_QUEUES,
  type CollectorWorkerOptions,
  cronForInterval,
  queueBackfill,
  startCollectorWorker,
} from './worker.ts';
