export {
  type GeneratedDeployment,
  type GeneratedIncident,
  type GeneratedJiraIssue,
  type GeneratedOrg,
  type GeneratedPullRequest,
  type GenerateOrgOptions,
  generateOrg,
  seedOrg,
} from './generate-org.ts';
export { createTestDatabase, type TestDatabase } from './test-database.ts';
