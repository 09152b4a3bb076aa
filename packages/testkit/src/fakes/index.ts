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
} from './github-api-server.ts';
export {
  type FakeJiraFaults,
  type FakeJiraRequest,
  type FakeJiraServer,
  type FakeJiraServerOptions,
  startFakeJiraServer,
} from './jira-api-server.ts';
export { readJqlDate, zoneOffsetMinutes } from './jql-date.ts';
