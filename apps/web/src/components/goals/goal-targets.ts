import { formatGoalTarget } from '@stride/metrics';
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
