// Every SQL query of Stride lives in this folder, one operation per file; each takes the
// executor (a Kysely instance or transaction) first.

export { getAppSetting, listAppSettings, setAppSetting } from './app-settings.ts';
export { attributeIncidentsToDeployments } from './attribute-incidents-to-deployments.ts';
export { cancelQueryScope } from './cancel-query-scope.ts';
export { countApiTokens } from './count-api-tokens.ts';
export { type CreatedApiToken, createApiToken, hashToken } from './create-api-token.ts';
export { deleteDemoRows } from './delete-demo-rows.ts';
export { deleteIncidents } from './delete-incidents.ts';
export {
  claimDigestDelivery,
  type DigestDeliveryKey,
  finishDigestDelivery,
  listDigestDeliveries,
} from './digest-deliveries.ts';
export { ensureRepository } from './ensure-repository.ts';
export { type ApiTokenIdentity, findApiToken, touchApiToken } from './find-api-token.ts';
export { findPullRequestsByMergeSha } from './find-pull-requests-by-merge-sha.ts';
export { getDeploymentByExternalId } from './get-deployment-by-external-id.ts';
export {
  type DoraAggregate,
  type DoraAggregates,
  getDoraAggregatesFromRaw,
} from './get-dora-aggregates.ts';
export { getIncidentByExternalId } from './get-incident-by-external-id.ts';
export { getLinkWatermark, type LinkWatermark } from './get-link-watermark.ts';
export { getRepositoryByName } from './get-repository-by-name.ts';
export { getSourceVersions, type SourceVersion } from './get-source-versions.ts';
export { getSyncStatus, type SyncStatusRow } from './get-sync-status.ts';
export {
  getTeamHealthAggregates,
  type TeamHealthAggregates,
} from './get-team-health-aggregates.ts';
export { getTeamIdBySlug } from './get-team-id-by-slug.ts';
export { getTeamsDoraAggregates, getTeamsDoraAggregatesFromRaw } from './get-teams-dora-aggregates.ts';
export {
  type GitHubRateBudgetKey,
  recordGitHubRateBudget,
  takeGitHubRateBudget,
} from './github-rate-budgets.ts';
export { linkChangesToDeployments, refreshDeploymentFlags } from './link-changes-to-deployments.ts';
export { type AiImpactSampleRow, listAiImpactSamples, REVERT_WINDOW_DAYS } from './list-ai-impact-samples.ts';
export {
  type AutomaticAnnotationSources,
  listAutomaticAnnotationSources,
} from './list-automatic-annotation-sources.ts';
export { CHANGE_SORT_KEYS, type ChangeFilter, type ChangeListRow, listChanges } from './list-changes.ts';
export { type CopilotUsageBucket, listCopilotUsage } from './list-copilot-usage.ts';
export {
  type CausedIncidentRow,
  DEPLOYMENT_SORT_KEYS,
  type DeploymentListRow,
  listDeployments,
  SHIPPED_PULL_REQUESTS_LIMIT,
  type ShippedPullRequestRow,
} from './list-deployments.ts';
export {
  type CausingDeploymentRow,
  INCIDENT_SORT_KEYS,
  type IncidentListRow,
  listIncidents,
} from './list-incidents.ts';
export { type DeployedSha, listProductionDeploymentShas } from './list-production-deployment-shas.ts';
export { listSyncCursorEndpoints } from './list-sync-cursor-endpoints.ts';
export { type AgreementPrRow, listTeamAgreementPrs } from './list-team-agreement-prs.ts';
export { findRepositoryId, listTeams, type TeamListRow } from './list-teams.ts';
export {
  listUnclassifiedPullRequests,
  setPullRequestAiClasses,
  type UnclassifiedPullRequest,
} from './list-unclassified-pull-requests.ts';
export type { ListResult, ListWindow, SortKeys } from './list-window.ts';
export {
  type AnnotationInput,
  type AnnotationRow,
  createAnnotation,
  deleteAnnotation,
  listStoredAnnotations,
  syncAnnotationsFromConfig,
  updateAnnotation,
} from './manage-annotations.ts';
export {
  type ApiTokenListRow,
  ENV_TOKEN_ROLES,
  type EnvTokenRegistration,
  listApiTokens,
  registerEnvTokens,
  revokeApiToken,
  revokeApiTokens,
  revokeApiTokensByReference,
} from './manage-api-tokens.ts';
export {
  createGoal,
  deleteGoal,
  type GoalInput,
  type GoalRow,
  listGoals,
  syncGoalsFromConfig,
  updateGoal,
} from './manage-goals.ts';
export {
  changeInScope,
  deploymentFailed,
  deploymentInScope,
  incidentInScope,
  isTeamMemberAt,
  type MetricScope,
  mergedIntoDefaultBranch,
} from './metric-scope.ts';
export { listPendingCheckPullRequests, setPullRequestCiState } from './pending-pull-request-checks.ts';
export { pingDatabase } from './ping-database.ts';
export { probeDatabaseWrite } from './probe-database-write.ts';
export { type ComparedDeployment, recordComparedDeployments } from './record-compared-deployments.ts';
export { recordShippedChanges } from './record-shipped-changes.ts';
export { recordWebhookDelivery } from './record-webhook-delivery.ts';
export { getDoraDataVersion } from './rollups/get-dora-data-version.ts';
export { type RollupTarget, readDoraRollups } from './rollups/read-dora-rollups.ts';
export { type RollupRefresh, refreshRollups } from './rollups/refresh-rollups.ts';
export { getDoraAggregates } from './serve-dora-aggregates.ts';
export { getSyncCursor, type SyncCursor, type SyncCursorKey, saveSyncCursor } from './sync-cursors.ts';
export { syncPlansFromConfig } from './sync-plans-from-config.ts';
export {
  finishSyncRun,
  markInterruptedSyncRuns,
  SYNC_HEARTBEAT_SECONDS,
  SYNC_STALE_SECONDS,
  type SyncRunTotals,
  startSyncRun,
  startSyncRunHeartbeat,
} from './sync-runs.ts';
export { syncTeamsFromConfig } from './sync-teams-from-config.ts';
export { type NewCopilotMetricsDay, upsertCopilotMetricsDays } from './upsert-copilot-metrics-days.ts';
export { type DeploymentChangeLink, upsertDeploymentChanges } from './upsert-deployment-changes.ts';
export { upsertDeployments } from './upsert-deployments.ts';
export { upsertIncidents } from './upsert-incidents.ts';
export { upsertJiraIssues, upsertJiraIssueTransitions } from './upsert-jira-issues.ts';
export {
  upsertPullRequestCommits,
  upsertPullRequestReviews,
  upsertPullRequests,
} from './upsert-pull-requests.ts';
export { getRawPayloadUpdatedAt, type RawPayloadInput, upsertRawPayloads } from './upsert-raw-payloads.ts';
export { upsertRepositories } from './upsert-repositories.ts';
