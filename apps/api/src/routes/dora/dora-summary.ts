import type { DoraAggregate, DoraAggregates } from '@stride/db';
import {
  type BenchmarkYear,
  benchmarkReference,
  bucketStarts,
  changeFailureRateLevel,
  computeTrend,
  deploymentFrequencyLevel,
  type Granularity,
  leadTimeLevel,
  medianDeploymentDays,
  ratio,
  recoveryTimeLevel,
  weeksBetween,
} from '@stride/metrics';
import type {
  ColumnSeries,
  DoraHeadlines,
  DoraSummary,
  Scope,
  SeriesPoint,
  TeamsDora,
  TeamsDoraOverview,
} from '@stride/shared';
import type { ResolvedPeriod } from '../../lib/metrics-query.ts';

const EMPTY: DoraAggregate = {
  deployments: 0,
  deploymentDays: 0,
  failed: 0,
  unplanned: 0,
  leadTime: { p50: null, p90: null, n: 0, commit: 0, time: 0 },
  recovery: { p50: null, p90: null, n: 0 },
};

/** Aggregates of a scope with no rows in a period. */
export const EMPTY_AGGREGATES: DoraAggregates = { total: EMPTY, buckets: new Map(), deploymentDates: [] };

/**
 * Turns the SQL aggregates of a period and its previous period into the API's DORA summary
 * (docs/metrics.md): levels from the benchmark year's boundaries, trends against the previous
 * period, and a series with one point per calendar bucket (empty buckets have n = 0).
 */
export function assembleDoraSummary(input: {
  scope: Scope;
  period: ResolvedPeriod;
  granularity: Granularity;
  benchmark: BenchmarkYear;
  current: DoraAggregates;
  previous: DoraAggregates;
}): DoraSummary {
  const { period, granularity, benchmark, current, previous } = input;
  const cur = current.total;
  const prev = previous.total;
  const buckets = bucketStarts(period.from, period.to, granularity).map((start) => {
    const key = start.toISOString();
    return { bucket: key, agg: current.buckets.get(key) ?? EMPTY };
  });
  const series = (point: (agg: DoraAggregate) => Omit<SeriesPoint, 'bucket'>): SeriesPoint[] =>
    buckets.map(({ bucket, agg }) => ({ bucket, ...point(agg) }));

  const weekMedian = medianDeploymentDays(current.deploymentDates, period.from, period.to, 7);
  const monthMedian = medianDeploymentDays(current.deploymentDates, period.from, period.to, 30);
  const weeks = weeksBetween(period.from, period.to);
  const cfr = ratio(cur.failed, cur.deployments);
  const rework = ratio(cur.unplanned, cur.deployments);

  return {
    scope: input.scope,
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    previousPeriod: { from: period.previous.from.toISOString(), to: period.previous.to.toISOString() },
    granularity,
    benchmark,
    metrics: {
      deploymentFrequency: {
        unit: 'count',
        value: cur.deployments,
        n: cur.deployments,
        perWeek: cur.deployments > 0 ? cur.deployments / weeks : null,
        deploymentDays: cur.deploymentDays,
        medianDeploymentDaysPerWeek: weekMedian,
        level: deploymentFrequencyLevel(weekMedian, monthMedian, benchmark),
        trend: computeTrend(cur.deployments, prev.deployments, 'higher'),
        series: series((a) => ({ value: a.deployments, n: a.deployments })),
      },
      changeLeadTime: {
        unit: 'seconds',
        p50: cur.leadTime.p50,
        p90: cur.leadTime.p90,
        n: cur.leadTime.n,
        attribution: { commit: cur.leadTime.commit, time: cur.leadTime.time },
        level: leadTimeLevel(cur.leadTime.p50, benchmark),
        trend: computeTrend(cur.leadTime.p50, prev.leadTime.p50, 'lower'),
        series: series((a) => ({ value: a.leadTime.p50, p90: a.leadTime.p90, n: a.leadTime.n })),
      },
      changeFailureRate: {
        unit: 'ratio',
        value: cfr,
        failed: cur.failed,
        n: cur.deployments,
        level: changeFailureRateLevel(cfr, benchmark),
        trend: computeTrend(cfr, ratio(prev.failed, prev.deployments), 'lower'),
        series: series((a) => ({ value: ratio(a.failed, a.deployments), n: a.deployments })),
      },
      failedDeploymentRecoveryTime: {
        unit: 'seconds',
        p50: cur.recovery.p50,
        p90: cur.recovery.p90,
        n: cur.recovery.n,
        level: recoveryTimeLevel(cur.recovery.p50, benchmark),
        trend: computeTrend(cur.recovery.p50, prev.recovery.p50, 'lower'),
        series: series((a) => ({ value: a.recovery.p50, p90: a.recovery.p90, n: a.recovery.n })),
      },
      deploymentReworkRate: {
        unit: 'ratio',
        value: rework,
        unplanned: cur.unplanned,
        n: cur.deployments,
        level: null,
        trend: computeTrend(rework, ratio(prev.unplanned, prev.deployments), 'lower'),
        series: series((a) => ({ value: ratio(a.unplanned, a.deployments), n: a.deployments })),
      },
    },
    reference: benchmarkReference(benchmark),
  };
}

/** A series as value and n columns (its buckets are the answer's shared list). */
function columnsOf(series: readonly SeriesPoint[]): ColumnSeries {
  return { value: series.map((p) => p.value), n: series.map((p) => p.n) };
}

/**
 * Every team's DORA in the overview's compact form: the same figures as `teams` (headlines, n,
 * levels, trends, series values and n), each series as columns over one shared bucket list, the
 * benchmark reference once. Every team's series has the same buckets (one per calendar bucket of
 * the period, see assembleDoraSummary), taken from the first team's deployment series.
 */
export function teamsDoraOverviewOf(all: TeamsDora): TeamsDoraOverview {
  const first = all.teams[0];
  const headlines = (metrics: DoraSummary['metrics']): DoraHeadlines => ({
    deploymentFrequency: {
      ...metrics.deploymentFrequency,
      series: columnsOf(metrics.deploymentFrequency.series),
    },
    changeLeadTime: { ...metrics.changeLeadTime, series: columnsOf(metrics.changeLeadTime.series) },
    changeFailureRate: { ...metrics.changeFailureRate, series: columnsOf(metrics.changeFailureRate.series) },
    failedDeploymentRecoveryTime: {
      ...metrics.failedDeploymentRecoveryTime,
      series: columnsOf(metrics.failedDeploymentRecoveryTime.series),
    },
    deploymentReworkRate: {
      ...metrics.deploymentReworkRate,
      series: columnsOf(metrics.deploymentReworkRate.series),
    },
  });
  return {
    period: all.period,
    previousPeriod: all.previousPeriod,
    granularity: all.granularity,
    benchmark: all.benchmark,
    reference: first?.reference ?? benchmarkReference(all.benchmark),
    buckets: (first?.metrics.deploymentFrequency.series ?? []).map((p) => p.bucket),
    teams: all.teams.map((team) => ({ scope: team.scope, metrics: headlines(team.metrics) })),
  };
}

/** Columns of the DORA series export, one row per bucket. */
export const DORA_CSV_COLUMNS = [
  'bucket',
  'deployments',
  'change_lead_time_p50_seconds',
  'change_lead_time_p90_seconds',
  'change_lead_time_n',
  'change_failure_rate',
  'change_failure_rate_n',
  'failed_deployment_recovery_time_p50_seconds',
  'failed_deployment_recovery_time_p90_seconds',
  'failed_deployment_recovery_time_n',
  'deployment_rework_rate',
  'deployment_rework_rate_n',
] as const;

/** The summary's series as CSV rows (same buckets and figures as the JSON). */
export function doraCsvRows(summary: DoraSummary): (string | number | null)[][] {
  const m = summary.metrics;
  return m.deploymentFrequency.series.map((point, i) => [
    point.bucket,
    point.value,
    m.changeLeadTime.series[i]?.value ?? null,
    m.changeLeadTime.series[i]?.p90 ?? null,
    m.changeLeadTime.series[i]?.n ?? 0,
    m.changeFailureRate.series[i]?.value ?? null,
    m.changeFailureRate.series[i]?.n ?? 0,
    m.failedDeploymentRecoveryTime.series[i]?.value ?? null,
    m.failedDeploymentRecoveryTime.series[i]?.p90 ?? null,
    m.failedDeploymentRecoveryTime.series[i]?.n ?? 0,
    m.deploymentReworkRate.series[i]?.value ?? null,
    m.deploymentReworkRate.series[i]?.n ?? 0,
  ]);
}
