/**
 * Goals on Stride's figures (docs/metrics.md, "Goals"): which figure a goal may name, how a
 * target is read, and the status of a goal in a period. Pure: the figures come from the API.
 */
import type { Better } from './trend.ts';

/** The statistic of a figure a goal is set on: a percentile of a duration/size sample, or the figure's value. */
export type GoalStatistic = 'p50' | 'p90' | 'value';
/** How the figure must compare with the target. */
export type GoalDirection = '<' | '<=' | '>' | '>=';
export const GOAL_DIRECTIONS: readonly GoalDirection[] = ['<', '<=', '>', '>='];
export const GOAL_STATISTICS: readonly GoalStatistic[] = ['p50', 'p90', 'value'];

/** Unit of a goal's figure and target: seconds, a ratio 0..1, lines, or a plain count/rate. */
export type GoalUnit = 'seconds' | 'ratio' | 'lines' | 'per_week' | 'count';

export interface GoalMetricSpec {
  label: string;
  unit: GoalUnit;
  statistics: readonly GoalStatistic[];
  /** Which direction of the figure is an improvement (docs/metrics.md, trends). */
  better: Better;
  /** Available for the whole org (the DORA figures) and not only per team. */
  org: boolean;
}

const durations = ['p50', 'p90'] as const;
const value = ['value'] as const;

/**
 * Every figure of docs/metrics.md a goal can be set on, by id. Units are the API's: durations
 * in seconds, rates as ratios 0..1, per-week figures per 7 days of the period.
 */
export const GOAL_METRICS = {
  deployment_frequency: {
    label: 'Deployments per week',
    unit: 'per_week',
    statistics: value,
    better: 'higher',
    org: true,
  },
  deployment_days: {
    label: 'Deployment days per week (median)',
    unit: 'per_week',
    statistics: value,
    better: 'higher',
    org: true,
  },
  change_lead_time: {
    label: 'Change lead time',
    unit: 'seconds',
    statistics: durations,
    better: 'lower',
    org: true,
  },
  change_failure_rate: {
    label: 'Change failure rate',
    unit: 'ratio',
    statistics: value,
    better: 'lower',
    org: true,
  },
  failed_deployment_recovery_time: {
    label: 'Failed deployment recovery time',
    unit: 'seconds',
    statistics: durations,
    better: 'lower',
    org: true,
  },
  deployment_rework_rate: {
    label: 'Deployment rework rate',
    unit: 'ratio',
    statistics: value,
    better: 'lower',
    org: true,
  },
  coding_time: { label: 'Coding time', unit: 'seconds', statistics: durations, better: 'lower', org: false },
  pickup_time: { label: 'Pickup time', unit: 'seconds', statistics: durations, better: 'lower', org: false },
  review_time: { label: 'Review time', unit: 'seconds', statistics: durations, better: 'lower', org: false },
  deploy_time: { label: 'Deploy time', unit: 'seconds', statistics: durations, better: 'lower', org: false },
  pr_size: { label: 'PR size', unit: 'lines', statistics: durations, better: 'lower', org: false },
  pr_size_over_400_share: {
    label: 'Share of PRs over 400 lines',
    unit: 'ratio',
    statistics: value,
    better: 'lower',
    org: false,
  },
  throughput: {
    label: 'Merged PRs per week',
    unit: 'per_week',
    statistics: value,
    better: 'higher',
    org: false,
  },
  work_in_progress: {
    label: 'Open PRs (work in progress)',
    unit: 'count',
    statistics: value,
    better: 'lower',
    org: false,
  },
  stale_prs: { label: 'Stale open PRs', unit: 'count', statistics: value, better: 'lower', org: false },
  busiest_reviewer_share: {
    label: "Busiest reviewer's share of reviews",
    unit: 'ratio',
    statistics: value,
    better: 'lower',
    org: false,
  },
  merged_without_review: {
    label: 'PRs merged without review',
    unit: 'count',
    statistics: value,
    better: 'lower',
    org: false,
  },
  unplanned_work_ratio: {
    label: 'Unplanned work ratio',
    unit: 'ratio',
    statistics: value,
    better: 'lower',
    org: false,
  },
  out_of_hours_share: {
    label: 'Out-of-hours work',
    unit: 'ratio',
    statistics: value,
    better: 'lower',
    org: false,
  },
  incident_load: {
    label: 'Incidents per week',
    unit: 'per_week',
    statistics: value,
    better: 'lower',
    org: false,
  },
} as const satisfies Record<string, GoalMetricSpec>;

export type GoalMetric = keyof typeof GOAL_METRICS;
export const GOAL_METRIC_IDS = Object.keys(GOAL_METRICS) as GoalMetric[];

export function isGoalMetric(id: string): id is GoalMetric {
  return Object.hasOwn(GOAL_METRICS, id);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Reads a goal's target in the figure's unit. Numbers are taken as they are (seconds, ratio
 * 0..1, lines, per week); strings may carry a unit: `4h`, `30m`, `2d`, `1w` for durations, `10%`
 * for ratios (→ 0.1).
 * @returns the number, or a message saying why the target cannot be read
 */
export function parseGoalTarget(metric: GoalMetric, target: number | string): number | { error: string } {
  const unit = GOAL_METRICS[metric].unit;
  if (typeof target === 'number') {
    if (!Number.isFinite(target) || target < 0) return { error: 'must be a number >= 0' };
    if (unit === 'ratio' && target > 1) return { error: 'a ratio is between 0 and 1 (or write it as "10%")' };
    return target;
  }
  const text = target.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseGoalTarget(metric, Number(text));
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent) {
    if (unit !== 'ratio') return { error: `a percentage only fits a rate; ${metric} is in ${unit}` };
    return parseGoalTarget(metric, Number(percent[1]) / 100);
  }
  const duration = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)$/.exec(text);
  if (duration) {
    if (unit !== 'seconds') return { error: `a duration only fits a time; ${metric} is in ${unit}` };
    return Number(duration[1]) * DURATION_UNITS[duration[2]!]!;
  }
  return { error: `'${target}' is not a number, a duration (4h, 2d) or a percentage (10%)` };
}

/** A goal as stored and served: target already in the figure's unit. */
export interface GoalDefinition {
  metric: GoalMetric;
  statistic: GoalStatistic;
  target: number;
  direction: GoalDirection;
  /** ISO date from which the goal applies; null = always. */
  startDate: string | null;
}

/**
 * Checks the fields of a goal that depend on each other (the statistic and scope a metric
 * allows). @returns the offending field and why, or null when the goal is sound.
 */
export function checkGoal(goal: {
  metric: string;
  statistic: string;
  scope: 'org' | 'team';
}): { field: 'metric' | 'statistic'; message: string } | null {
  if (!isGoalMetric(goal.metric)) {
    return { field: 'metric', message: `'${goal.metric}' is not one of ${GOAL_METRIC_IDS.join(', ')}` };
  }
  const spec: GoalMetricSpec = GOAL_METRICS[goal.metric];
  if (!spec.statistics.includes(goal.statistic as GoalStatistic)) {
    return {
      field: 'statistic',
      message: `${goal.metric} takes ${spec.statistics.join(' or ')}, not '${goal.statistic}'`,
    };
  }
  if (goal.scope === 'org' && !spec.org) {
    return { field: 'metric', message: `${goal.metric} is a team signal; an org goal takes a DORA metric` };
  }
  return null;
}

export type GoalStatus = 'met' | 'at_risk' | 'missed' | 'no_data' | 'not_started';

export interface GoalEvaluation {
  status: GoalStatus;
  /** The figure in the period (null when n = 0). */
  value: number | null;
  /** The same figure in the previous period of equal length. */
  previous: number | null;
  n: number;
  /** Whether the figure moved away from the target against the previous period. */
  headingWrongWay: boolean | null;
}

/** Whether `value` satisfies `direction target`. */
export function meetsTarget(value: number, direction: GoalDirection, target: number): boolean {
  switch (direction) {
    case '<':
      return value < target;
    case '<=':
      return value <= target;
    case '>':
      return value > target;
    case '>=':
      return value >= target;
  }
}

/**
 * The status of a goal in a period (docs/metrics.md, "Goals"):
 * - `no_data` when the figure is null (n = 0 for an aggregate): nothing is judged;
 * - `not_started` when the period ends before the goal's start date;
 * - `missed` when the value does not satisfy the target;
 * - `at_risk` when it does, but moved away from the target against the previous period (a
 *   `<` goal whose figure went up, a `>` goal whose figure went down);
 * - `met` otherwise (also when there is no previous figure to compare with).
 * @param periodLastDay ISO date of the period's last day
 */
export function evaluateGoal(
  goal: Pick<GoalDefinition, 'target' | 'direction' | 'startDate'>,
  figure: { value: number | null; previous: number | null; n: number },
  periodLastDay: string,
): GoalEvaluation {
  const { value, previous, n } = figure;
  const headingWrongWay =
    value === null || previous === null || value === previous
      ? value === null || previous === null
        ? null
        : false
      : goal.direction.startsWith('<')
        ? value > previous
        : value < previous;
  const base = { value, previous, n, headingWrongWay };
  if (goal.startDate !== null && periodLastDay < goal.startDate) return { ...base, status: 'not_started' };
  if (value === null) return { ...base, status: 'no_data' };
  if (!meetsTarget(value, goal.direction, goal.target)) return { ...base, status: 'missed' };
  return { ...base, status: headingWrongWay ? 'at_risk' : 'met' };
}

/**
 * A goal's target in words, in the figure's unit: `4 h`, `2 d`, `30 min` for durations, `10 %`
 * for ratios, the number otherwise (`300 lines`, `3/week`).
 */
export function formatGoalTarget(metric: GoalMetric, target: number): string {
  const unit = GOAL_METRICS[metric].unit;
  const round = (x: number) => String(Math.round(x * 10) / 10);
  if (unit === 'seconds') {
    if (target >= 86_400 && target % 86_400 === 0) return `${round(target / 86_400)} d`;
    if (target >= 3600) return `${round(target / 3600)} h`;
    return `${round(target / 60)} min`;
  }
  if (unit === 'ratio') return `${round(target * 100)} %`;
  if (unit === 'lines') return `${round(target)} lines`;
  if (unit === 'per_week') return `${round(target)}/week`;
  return round(target);
}

/** A goal in words: `Pickup time p50 < 4 h`. */
export function describeGoal(
  goal: Pick<GoalDefinition, 'metric' | 'statistic' | 'direction' | 'target'>,
): string {
  const stat = goal.statistic === 'value' ? '' : ` ${goal.statistic}`;
  return `${GOAL_METRICS[goal.metric].label}${stat} ${goal.direction} ${formatGoalTarget(goal.metric, goal.target)}`;
}
