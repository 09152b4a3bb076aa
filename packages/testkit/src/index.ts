export {
  COPILOT_MIN_LICENCES,
  COPILOT_REPORTS_ORG_ID,
  type CopilotMetricsData,
  type CopilotMetricsDayPayload,
  type CopilotUsageReportsDay,
  copilotMetricsOfModel,
  copilotUsageReportsOfModel,
} from './adapters/github-copilot-metrics.ts';
export {
  type FakePayload,
  type FakeRepoData,
  githubPayloads,
  repositoryPayloads,
} from './adapters/github-rest.ts';
export { collectOrgModel, type OrgModelData } from './adapters/model-data.ts';
export {
  type ActivityRows,
  activityRows,
  collectOrgRows,
  type ModelRowsOptions,
  orgDataRows,
} from './adapters/model-rows.ts';
export { createOrgModel, MODEL_ISSUE_TYPES } from './model/org-model.ts';
export type {
  ModelCommit,
  ModelDeployment,
  ModelIncident,
  ModelJiraIssue,
  ModelPullRequest,
  ModelRepository,
  ModelReview,
  OrgModel,
  OrgModelOptions,
  RepositoryActivity,
} from './model/org-model-types.ts';
export {
  BENCH_SIZES,
  type BenchSize,
  benchSizeModelOptions,
  type DashboardOrgOptions,
  DEMO_ISSUE_TYPES,
  DEMO_OWNER,
  type DemoOrg,
  type DemoOrgOptions,
  dashboardModelOptions,
  demoModelOptions,
  type GeneratedOrg,
  type GeneratedVolumeOptions,
  type GenerateOrgOptions,
  generateDashboardOrg,
  generateDemoOrg,
  generatedOrgRows,
  generateGitHubData,
  generateOrg,
  githubVolumeModelOptions,
  parseBenchSize,
  routeTestModelOptions,
  type SeededOrg,
  scaleModelOptions,
  seedDashboardOrg,
  seedOrg,
} from './presets/size-presets.ts';
export { createRandom, type Random } from './random.ts';
export {
  type BulkLoadOrgModelOptions,
  type BulkLoadOrgModelResult,
  bulkLoadOrgModel,
} from './rows/bulk-load-org-model.ts';
export {
  type LoadOrgRowsOptions,
  type LoadOrgRowsResult,
  loadOrgModel,
  loadOrgRows,
} from './rows/load-org-rows.ts';
export type {
  FinishedSyncRun,
  KeyedCommit,
  KeyedDeployment,
  KeyedIncident,
  KeyedJiraTransition,
  KeyedPullRequest,
  KeyedReview,
  OrgRows,
} from './rows/org-rows.ts';
