export { type CollectorConfig, loadCollectorConfig } from './config.ts';
export { type CollectRecordedDemoResult, collectRecordedDemo } from './demo/collect-recorded-demo.ts';
export { DEMO_DATABASE_NAME, DEMO_SEED, DEMO_SIZE } from './demo/demo-defaults.ts';
export {
  type EnsureDemoOrgOptions,
  type EnsureDemoOrgResult,
  ensureDemoOrg,
} from './demo/ensure-demo-org.ts';
export { DEMO_OWNER, type DemoOrg, type DemoOrgOptions, generateDemoOrg } from './demo/generate-demo-org.ts';
export { DEMO_ORG_SETTING, DEMO_SETTING, type DemoOrgMeta, loadDemoOrg } from './demo/load-demo-org.ts';
export {
  buildRecordedDemoConfig,
  RECORDED_BACKFILL_SINCE,
} from './demo/recorded-demo-config.ts';
export { generateGitHubData } from './fakes/generate-github-data.ts';
export {
  type FakeFault,
  type FakeGitHubServer,
  type FakeGitHubServerOptions,
  type FakePayload,
  type FakeRepoData,
  type FakeRequestRecord,
  type GeneratedVolumeOptions,
  loadRecordedGitHubData,
  RECORDED_FIXTURES_DIR,
  startFakeGitHubServer,
} from './fakes/github-api-server.ts';
export {
  type FakeJiraFaults,
  type FakeJiraServer,
  type FakeJiraServerOptions,
  startFakeJiraServer,
} from './fakes/jira-api-server.ts';
export { createLogger, type Logger } from './logger.ts';
export { GitHubClient, type GitHubClientOptions, type GitHubRequestStats } from './sources/github-client.ts';
export { linkDerived, runAllSyncs } from './sync/run-all-syncs.ts';
export type { SyncContext, SyncReport } from './sync/sync-context.ts';
export {
  createGitHubClient,
  type GitHubSyncOptions,
  listConfiguredRepositories,
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
