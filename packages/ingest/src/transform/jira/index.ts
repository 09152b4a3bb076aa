// Pure Jira Cloud payload → row transforms: issue classification and issue/changelog mapping.
export {
  createJiraClassifier,
  type JiraClassificationRules,
  type JiraIssueTypeInfo,
} from './classify-jira-issue.ts';
export {
  adfToText,
  countEmbeddedHistories,
  type JiraHistory,
  JiraPayloadError,
  type MappedJiraIssue,
  mapJiraIssue,
} from './map-jira-issue.ts';
