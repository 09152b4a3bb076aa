import type { GoalMetric, GoalStatistic } from '@stride/metrics';
import type { DoraSummary, TeamHealth } from '@stride/shared';

/** One figure a goal is judged on: its value (null when n = 0) and its n. */
export interface GoalFigure {
  value: number | null;
  n: number;
}

const pick = (stat: { p50: number | null; p90: number | null; n: number }, statistic: GoalStatistic) => ({
  value: statistic === 'p90' ? stat.p90 : stat.p50,
  n: stat.n,
});

/**
 * The figure of docs/metrics.md a goal names, read from a DORA summary and (for team signals)
 * a team health answer of the same period. Units are the API's (seconds, ratio 0..1, lines, per week).
 * @returns null when the figure needs the team health and none is given (an org scope)
 */
export function readGoalFigure(
  metric: GoalMetric,
  statistic: GoalStatistic,
  dora: DoraSummary['metrics'],
  health: TeamHealth | null,
): GoalFigure | null {
  switch (metric) {
    case 'deployment_frequency':
      return { value: dora.deploymentFrequency.perWeek, n: dora.deploymentFrequency.n };
    case 'deployment_days':
      return { value: dora.deploymentFrequency.medianDeploymentDaysPerWeek, n: dora.deploymentFrequency.n };
    case 'change_lead_time':
      return pick(dora.changeLeadTime, statistic);
    case 'change_failure_rate':
      return { value: dora.changeFailureRate.value, n: dora.changeFailureRate.n };
    case 'failed_deployment_recovery_time':
      return pick(dora.failedDeploymentRecoveryTime, statistic);
    case 'deployment_rework_rate':
      return { value: dora.deploymentReworkRate.value, n: dora.deploymentReworkRate.n };
  }
  if (!health) return null;
  switch (metric) {
    case 'coding_time':
    case 'pickup_time':
    case 'review_time':
    case 'deploy_time':
      return pick(health.cycleTime[metric.slice(0, -'_time'.length) as 'coding'], statistic);
    case 'pr_size':
      return pick(health.prSize, statistic);
    case 'pr_size_over_400_share':
      return { value: health.prSize.over400Share, n: health.prSize.n };
    case 'throughput':
      return { value: health.throughput.perWeek, n: health.throughput.mergedPrs };
    case 'work_in_progress':
      // A count: 0 open PRs is a measurement, not missing data.
      return { value: health.workInProgress.open, n: health.workInProgress.open };
    case 'stale_prs':
      return { value: health.workInProgress.stale, n: health.workInProgress.open };
    case 'busiest_reviewer_share':
      return { value: health.reviewLoad.busiestReviewerShare, n: health.reviewLoad.reviews };
    case 'merged_without_review':
      return {
        value: health.throughput.mergedPrs > 0 ? health.reviewLoad.mergedWithoutReview : null,
        n: health.throughput.mergedPrs,
      };
    case 'unplanned_work_ratio':
      return { value: health.unplannedWork.ratio, n: health.unplannedWork.resolved };
    case 'out_of_hours_share':
      return { value: health.outOfHours.share, n: health.outOfHours.commits };
    case 'incident_load':
      return { value: health.incidentLoad.perWeek, n: health.incidentLoad.incidents };
  }
}
