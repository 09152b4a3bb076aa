import { describeGoal, formatGoalTarget, type GoalMetric } from '@stride/metrics';
import type { GoalWithStatus } from '@stride/shared';
import type { DoraMetricKey } from '../../lib/format.ts';

/** The goal figure each DORA trend chart draws (its headline series: p50 for durations, per week for deployments). */
const chartedGoal: Record<DoraMetricKey, { metric: string; statistic: string }> = {
  deploymentFrequency: { metric: 'deployment_frequency', statistic: 'value' },
  changeLeadTime: { metric: 'change_lead_time', statistic: 'p50' },
  changeFailureRate: { metric: 'change_failure_rate', statistic: 'value' },
  failedDeploymentRecoveryTime: { metric: 'failed_deployment_recovery_time', statistic: 'p50' },
  deploymentReworkRate: { metric: 'deployment_rework_rate', statistic: 'value' },
};

/** Target lines of a DORA trend chart: the scope's goals on the figure the chart draws. */
export function doraTargets(goals: readonly GoalWithStatus[], metric: DoraMetricKey) {
  const want = chartedGoal[metric];
  return goals
    .filter((g) => g.goal.metric === want.metric && g.goal.statistic === want.statistic)
    .map(({ goal }) => ({
      value: goal.target,
      label: `Goal ${goal.direction} ${formatGoalTarget(goal.metric, goal.target)}`,
    }));
}

/** A goal target drawn on a team-health chart: its value in the chart's unit and its words. */
export interface HealthTarget {
  metric: GoalMetric;
  statistic: string;
  value: number;
  /** `Goal: Pickup time p50 < 4 h`. */
  label: string;
}

/**
 * Target lines of a team-health chart: the team's goals on the figures `metrics` the chart draws
 * (cycle-time phases, PR size, merged PRs per week), target in the goal's unit (seconds, lines,
 * per week).
 */
export function healthTargets(
  goals: readonly GoalWithStatus[],
  metrics: readonly GoalMetric[],
): HealthTarget[] {
  return goals
    .filter((g) => metrics.includes(g.goal.metric))
    .map(({ goal }) => ({
      metric: goal.metric,
      statistic: goal.statistic,
      value: goal.target,
      label: `Goal: ${describeGoal(goal)}`,
    }));
}
