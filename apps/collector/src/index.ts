export { type CollectorConfig, loadCollectorConfig } from './config.ts';
export {
  type FakeJiraFaults,
  type FakeJiraServer,
  type FakeJiraServerOptions,
  startFakeJiraServer,
} from './fakes/jira-api-server.ts';
export { createLogger, type Logger } from './logger.ts';
export type { SyncContext, SyncReport } from './sync/sync-context.ts';
export { syncJira } from './sync/sync-jira.ts';
