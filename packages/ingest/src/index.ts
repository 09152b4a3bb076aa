// One ingest path for the collector's syncs and the API's webhooks: payload → row transforms
// (GitHub, Jira, generic webhook events), deployment rules, the apply helpers that upsert one
// event, and the derived links every writer runs afterwards.

export {
  type AiClass,
  type AiCommit,
  type AiDetectionRules,
  type AiEvidence,
  aiCommitFromPayload,
  buildAiDetectionRules,
  classifyAiChange,
  findRevertRefs,
} from './ai/classify-ai-change.ts';
export {
  aiDetectionRulesFor,
  classifyPullRequestPayload,
  type PullRequestAiColumns,
} from './ai/classify-pull-request.ts';
export { classifyStoredChanges, type GraphqlPullRequestReader } from './ai/classify-stored-changes.ts';
export {
  AIDER_AUTHOR_NAME,
  KNOWN_AGENT_LOGINS,
  KNOWN_AI_LABELS,
  KNOWN_AI_MARKERS,
  type KnownAgentLogin,
  type KnownAiMarker,
} from './ai/known-ai-markers.ts';
export { type AppliedEvent, applyDeploymentEvent, type QueueLinks } from './apply/apply-deployment-event.ts';
export {
  applyGithubEvent,
  GITHUB_WEBHOOK_EVENTS,
  type GithubEventResult,
} from './apply/apply-github-event.ts';
export { applyIncidentEvent } from './apply/apply-incident-event.ts';
export { type DerivedLinks, type DeriveLinksScope, deriveLinks } from './derive-links.ts';
export { COLLECTOR_QUEUES, queueBackfill } from './jobs/collector-queues.ts';
export {
  createLinkQueue,
  LINK_QUEUE,
  type LinkJobs,
  linkJobKey,
  startLinkJobs,
  workLinkJobs,
} from './jobs/link-jobs.ts';
export {
  deploymentRuleFor,
  isConfiguredRepository,
  isConfiguredWorkflow,
  isDeploymentRun,
  isProductionEnvironmentOf,
  polledDeploymentSource,
} from './rules/deployment-rule.ts';
export * from './transform/github/index.ts';
export * from './transform/jira/index.ts';
export {
  type DeploymentEvent,
  deploymentEventTime,
  type StoredDeployment,
  transformDeploymentEvent,
  webhookDeploymentExternalId,
} from './transform/webhook/deployment-event.ts';
export {
  type IncidentEvent,
  incidentEventTime,
  transformIncidentEvent,
  webhookIncidentExternalId,
} from './transform/webhook/incident-event.ts';
