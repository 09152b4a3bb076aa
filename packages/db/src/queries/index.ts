// Every SQL query of Stride lives in this folder, one operation per file; each takes the
// executor (a Kysely instance or transaction) first.
export { attributeIncidentsToDeployments } from './attribute-incidents-to-deployments.ts';
export { type CreatedApiToken, createApiToken, hashToken } from './create-api-token.ts';
export { deleteIncidents } from './delete-incidents.ts';
export { ensureRepository } from './ensure-repository.ts';
export { type ApiTokenIdentity, findApiToken } from './find-api-token.ts';
export { getDeploymentByExternalId } from './get-deployment-by-external-id.ts';
export { getTeamIdBySlug } from './get-team-id-by-slug.ts';
export { linkChangesToDeployments, refreshDeploymentFlags } from './link-changes-to-deployments.ts';
export { recordWebhookDelivery } from './record-webhook-delivery.ts';
export { getSyncCursor, type SyncCursor, type SyncCursorKey, saveSyncCursor } from './sync-cursors.ts';
export { finishSyncRun, type SyncRunTotals, startSyncRun } from './sync-runs.ts';
export { syncTeamsFromConfig } from './sync-teams-from-config.ts';
export { type DeploymentChangeLink, upsertDeploymentChanges } from './upsert-deployment-changes.ts';
export { upsertDeployments } from './upsert-deployments.ts';
export { upsertIncidents } from './upsert-incidents.ts';
export { upsertJiraIssues, upsertJiraIssueTransitions } from './upsert-jira-issues.ts';
export {
  upsertPullRequestCommits,
  upsertPullRequestReviews,
  upsertPullRequests,
} from './upsert-pull-requests.ts';
export { type RawPayloadInput, upsertRawPayloads } from './upsert-raw-payloads.ts';
export { upsertRepositories } from './upsert-repositories.ts';
