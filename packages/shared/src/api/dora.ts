/** DORA summaries of the org, a team or a repository (docs/metrics.md, DORA metrics). */
import { type Static, Type as T } from '@sinclair/typebox';
import {
  BenchmarkYearSchema,
  GranularitySchema,
  IsoDateTime,
  NullableNumber,
  PerformanceLevelSchema,
  PeriodSchema,
  ScopeSchema,
  SeriesPointSchema,
  TrendSchema,
} from './common.ts';

const metricCommon = {
  level: T.Union([PerformanceLevelSchema, T.Null()]),
  trend: TrendSchema,
  series: T.Array(SeriesPointSchema),
};

export const DoraMetricsSchema = T.Object({
  deploymentFrequency: T.Object({
    unit: T.Literal('count'),
    /** Production deployments in the period. */
    value: T.Integer(),
    n: T.Integer(),
    perWeek: NullableNumber,
    deploymentDays: T.Integer(),
    /** Median of deployment days per week over the period's weeks: what the level is based on. */
    medianDeploymentDaysPerWeek: NullableNumber,
    ...metricCommon,
  }),
  changeLeadTime: T.Object({
    unit: T.Literal('seconds'),
    p50: NullableNumber,
    p90: NullableNumber,
    n: T.Integer(),
    attribution: T.Object({ commit: T.Integer(), time: T.Integer() }),
    ...metricCommon,
  }),
  changeFailureRate: T.Object({
    unit: T.Literal('ratio'),
    value: NullableNumber,
    /** Deployments that caused an incident or were rolled back/reverted. */
    failed: T.Integer(),
    n: T.Integer(),
    ...metricCommon,
  }),
  failedDeploymentRecoveryTime: T.Object({
    unit: T.Literal('seconds'),
    p50: NullableNumber,
    p90: NullableNumber,
    n: T.Integer(),
    ...metricCommon,
  }),
  deploymentReworkRate: T.Object({
    unit: T.Literal('ratio'),
    value: NullableNumber,
    unplanned: T.Integer(),
    n: T.Integer(),
    level: T.Null(),
    trend: TrendSchema,
    series: T.Array(SeriesPointSchema),
  }),
});
export type DoraMetrics = Static<typeof DoraMetricsSchema>;

export const BenchmarkClusterSchema = T.Object({
  year: BenchmarkYearSchema,
  cluster: PerformanceLevelSchema,
  share: T.Number(),
  deploymentFrequency: T.String(),
  leadTime: T.String(),
  changeFailureRate: T.String(),
  recoveryTime: T.String(),
});
export type BenchmarkCluster = Static<typeof BenchmarkClusterSchema>;

export const DoraSummarySchema = T.Object({
  scope: ScopeSchema,
  period: PeriodSchema,
  previousPeriod: PeriodSchema,
  granularity: GranularitySchema,
  benchmark: BenchmarkYearSchema,
  metrics: DoraMetricsSchema,
  /** The chosen report year's clusters, a reference strip beside the levels (source: DORA report). */
  reference: T.Object({ source: T.String(), clusters: T.Array(BenchmarkClusterSchema) }),
});
export type DoraSummary = Static<typeof DoraSummarySchema>;

/** Every team's DORA summary for one period, in one answer (the org overview's table and charts). */
export const TeamsDoraSchema = T.Object({
  period: PeriodSchema,
  previousPeriod: PeriodSchema,
  granularity: GranularitySchema,
  benchmark: BenchmarkYearSchema,
  /** One summary per configured team, ordered by name (as `GET /api/teams`). */
  teams: T.Array(DoraSummarySchema),
});
export type TeamsDora = Static<typeof TeamsDoraSchema>;

/**
 * A series as columns over the answer's shared `buckets`: `value[i]` and `n[i]` belong to
 * `buckets[i]` (same figures as the SeriesPoint list of a DoraSummary, without p90).
 */
export const ColumnSeriesSchema = T.Object({
  value: T.Array(NullableNumber),
  n: T.Array(T.Integer()),
});
export type ColumnSeries = Static<typeof ColumnSeriesSchema>;

const m = DoraMetricsSchema.properties;
/** A team's five metrics as in DoraSummary (headline, n, level, trend), series as columns. */
export const DoraHeadlinesSchema = T.Object({
  deploymentFrequency: T.Object({ ...m.deploymentFrequency.properties, series: ColumnSeriesSchema }),
  changeLeadTime: T.Object({ ...m.changeLeadTime.properties, series: ColumnSeriesSchema }),
  changeFailureRate: T.Object({ ...m.changeFailureRate.properties, series: ColumnSeriesSchema }),
  failedDeploymentRecoveryTime: T.Object({
    ...m.failedDeploymentRecoveryTime.properties,
    series: ColumnSeriesSchema,
  }),
  deploymentReworkRate: T.Object({ ...m.deploymentReworkRate.properties, series: ColumnSeriesSchema }),
});
export type DoraHeadlines = Static<typeof DoraHeadlinesSchema>;

/**
 * Every team's DORA figures for the org overview's table, in about a quarter of TeamsDora's
 * bytes: the same headlines, n, levels and trends, each series as value and n columns over one
 * shared bucket list (no per-point bucket strings, no p90 per point), the benchmark reference once.
 */
export const TeamsDoraOverviewSchema = T.Object({
  period: PeriodSchema,
  previousPeriod: PeriodSchema,
  granularity: GranularitySchema,
  benchmark: BenchmarkYearSchema,
  reference: DoraSummarySchema.properties.reference,
  /** Bucket starts (ISO-8601 UTC) of every team's series, in order. */
  buckets: T.Array(IsoDateTime()),
  /** One entry per configured team, ordered by name (as `GET /api/teams`). */
  teams: T.Array(T.Object({ scope: ScopeSchema, metrics: DoraHeadlinesSchema })),
});
export type TeamsDoraOverview = Static<typeof TeamsDoraOverviewSchema>;
