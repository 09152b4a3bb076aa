// Pure GitHub payload → row transforms, shared by the collector's sync and the webhooks.
export { ciStateOfCheckRuns } from './check-runs.ts';
export { transformIssueComment } from './comment.ts';
export { transformPullRequestCommit } from './commit.ts';
export { copilotMetricsDaySchema, transformCopilotMetricsDay } from './copilot-metrics.ts';
export {
  aggregateCopilotUsageReports,
  copilotOrganizationReportRowSchema,
  copilotReportLinksSchema,
  copilotUserReportRowSchema,
  copilotUserTeamRowSchema,
  parseCopilotReportNdjson,
} from './copilot-usage-reports.ts';
export { deploymentSchema, isProductionEnvironment, transformDeployment } from './deployment.ts';
export {
  DEPLOYMENT_STATES,
  type DeploymentOutcome,
  type DeploymentState,
  type DeploymentStatus,
  deriveDeploymentOutcome,
  transformDeploymentStatus,
} from './deployment-status.ts';
export { transformIssueToIncident } from './issue.ts';
export { findUnsafeLinks, InvalidPayloadError, isBot, LINK_FIELDS, linkUrl } from './payload.ts';
export {
  findLinkedIssueKeys,
  type PullRequestPayload,
  type PullRequestTransformOptions,
  pullRequestSchema,
  transformPullRequest,
} from './pull-request.ts';
export { type ReleasePayload, releaseSchema, releaseVersion, transformRelease } from './release.ts';
export { transformReview } from './review.ts';
export {
  gitObjectRefSchema,
  matchesTagPattern,
  repoCommitSchema,
  type TagPayload,
  tagExternalId,
  tagSchema,
  transformTag,
} from './tag.ts';
export { readyForReviewAt } from './timeline.ts';
export { transformWorkflowRun, type WorkflowRunPayload, workflowRunSchema } from './workflow-run.ts';
