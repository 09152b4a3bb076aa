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
  generateOrg,
  seedOrg,
} from './presets/generate-org.ts';
export { type SeededOrg, seedDashboardOrg } from './presets/seed-org.ts';
export { createRandom, type Random } from './random.ts';
