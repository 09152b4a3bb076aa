export {
  DEMO_ISSUE_TYPES,
  DEMO_OWNER,
  type DemoOrg,
  type DemoOrgOptions,
  generateDemoOrg,
} from './presets/generate-demo-org.ts';
export {
  type FakeRepoData,
  type GeneratedVolumeOptions,
  generateGitHubData,
} from './presets/generate-github-data.ts';
export {
  type GeneratedDeployment,
  type GeneratedIncident,
  type GeneratedJiraIssue,
  type GeneratedOrg,
  type GeneratedPullRequest,
  type GenerateOrgOptions,
  generatedOrgRows,
  generateOrg,
  seedOrg,
} from './presets/generate-org.ts';
export {
  type DashboardOrgOptions,
  generateDashboardOrg,
  type SeededOrg,
  seedDashboardOrg,
} from './presets/seed-org.ts';
export { createRandom, type Random } from './random.ts';
export { type LoadOrgRowsOptions, type LoadOrgRowsResult, loadOrgRows } from './rows/load-org-rows.ts';
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
