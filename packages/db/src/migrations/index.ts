import type { Migration } from 'kysely';
import * as initialSchema from './20261123090000-initial-schema.ts';
import * as apiTokenOrigin from './20261201020000-api-token-origin.ts';
import * as syncRunHeartbeat from './20261201030000-sync-run-heartbeat.ts';
import * as webhookDeliveryKind from './20261201060000-webhook-delivery-kind.ts';
import * as pullRequestAiClass from './20261201070000-pull-request-ai-class.ts';
import * as goalsAnnotationsDigests from './20261201080000-goals-annotations-digests.ts';
import * as openPullRequestState from './20261201090000-open-pull-request-state.ts';
import * as deploymentCommitsKnown from './20261201094500-deployment-commits-known.ts';
import * as copilotMetrics from './20261201100500-copilot-metrics.ts';
import * as doraDayRollups from './20261201101600-dora-day-rollups.ts';
import * as githubRateBudgets from './20261201185058-github-rate-budgets.ts';
import * as rollupMarksLinearUpdates from './20261201192429-rollup-marks-linear-updates.ts';
import * as commitsWithoutLoginIndex from './20261202023326-commits-without-login-index.ts';
import * as doraOrgSampleBins from './20261202063830-dora-org-sample-bins.ts';
import * as rollupMarksTeamNames from './20261202064227-rollup-marks-team-names.ts';
import * as listAndOpenPrIndexes from './20261202070948-list-and-open-pr-indexes.ts';
import * as doraMonthRollups from './20261202104622-dora-month-rollups.ts';

/**
 * Every migration, by timestamped name. Listed statically (not read from disk) so the same
 * Migrator works under tsx, vitest and a bundle. Add new files here in time order.
 */
export const migrations: Record<string, Migration> = {
  '20261123090000-initial-schema': initialSchema,
  '20261201020000-api-token-origin': apiTokenOrigin,
  '20261201030000-sync-run-heartbeat': syncRunHeartbeat,
  '20261201060000-webhook-delivery-kind': webhookDeliveryKind,
  '20261201070000-pull-request-ai-class': pullRequestAiClass,
  '20261201080000-goals-annotations-digests': goalsAnnotationsDigests,
  '20261201090000-open-pull-request-state': openPullRequestState,
  '20261201094500-deployment-commits-known': deploymentCommitsKnown,
  '20261201100500-copilot-metrics': copilotMetrics,
  '20261201101600-dora-day-rollups': doraDayRollups,
  '20261201185058-github-rate-budgets': githubRateBudgets,
  '20261201192429-rollup-marks-linear-updates': rollupMarksLinearUpdates,
  '20261202023326-commits-without-login-index': commitsWithoutLoginIndex,
  '20261202063830-dora-org-sample-bins': doraOrgSampleBins,
  '20261202064227-rollup-marks-team-names': rollupMarksTeamNames,
  '20261202070948-list-and-open-pr-indexes': listAndOpenPrIndexes,
  '20261202104622-dora-month-rollups': doraMonthRollups,
};
