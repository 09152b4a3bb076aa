/**
 * The HTTP API contract between apps/api and apps/web, as TypeBox schemas: the API validates and
 * documents (OpenAPI) with them, the dashboard imports only their static types.
 * Units: durations in seconds, ratios 0..1, times ISO-8601 UTC strings. Definitions: docs/metrics.md.
 */
import { type Static, Type as T } from '@sinclair/typebox';

const Nullable = <S extends ReturnType<typeof T.Number>>(schema: S) => T.Union([schema, T.Null()]);
const NullableNumber = Nullable(T.Number());

export const GranularitySchema = T.Union([T.Literal('day'), T.Literal('week'), T.Literal('month')]);
export type Granularity = Static<typeof GranularitySchema>;
export const BenchmarkYearSchema = T.Union([T.Literal(2023), T.Literal(2024)]);
export type BenchmarkYear = Static<typeof BenchmarkYearSchema>;
export const PerformanceLevelSchema = T.Union([
  T.Literal('elite'),
  T.Literal('high'),
  T.Literal('medium'),
  T.Literal('low'),
]);
export type PerformanceLevel = Static<typeof PerformanceLevelSchema>;

export const ErrorBodySchema = T.Object({ error: T.Object({ code: T.String(), message: T.String() }) });

/** Query of every metrics route. `from`/`to` ISO dates or date-times; `to` is exclusive. */
export const MetricsQuerySchema = T.Object({
  from: T.Optional(
    T.String({
      description: 'period start (ISO date or date-time, inclusive); default: 90 days before `to`',
    }),
  ),
  to: T.Optional(T.String({ description: 'period end (ISO date or date-time, exclusive); default: now' })),
  granularity: T.Optional(GranularitySchema),
  benchmark: T.Optional(T.Union([T.Literal('2023'), T.Literal('2024')])),
});
export type MetricsQuery = Static<typeof MetricsQuerySchema>;

export const PeriodSchema = T.Object({ from: T.String(), to: T.String() });
export type Period = Static<typeof PeriodSchema>;

/** p50/p90 of a duration sample, seconds; null when n = 0. */
export const DurationStatSchema = T.Object({ p50: NullableNumber, p90: NullableNumber, n: T.Integer() });
export type DurationStat = Static<typeof DurationStatSchema>;

export const TrendSchema = T.Object({
  /** Previous period of equal length, same statistic as `value`/`p50`. */
  previous: NullableNumber,
  /** (current - previous) / previous; null when either side is null or previous is 0. */
  change: NullableNumber,
  direction: T.Union([T.Literal('up'), T.Literal('down'), T.Literal('flat'), T.Literal('none')]),
  /** Whether the movement is an improvement for this metric; null when unknown. */
  improving: T.Union([T.Boolean(), T.Null()]),
});
export type Trend = Static<typeof TrendSchema>;

export const SeriesPointSchema = T.Object({
  /** Bucket start, ISO-8601 UTC. */
  bucket: T.String(),
  value: NullableNumber,
  p90: T.Optional(NullableNumber),
  n: T.Integer(),
});
export type SeriesPoint = Static<typeof SeriesPointSchema>;

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

export const ScopeSchema = T.Object({
  type: T.Union([T.Literal('org'), T.Literal('team'), T.Literal('repository')]),
  id: T.String(),
  name: T.String(),
});
export type Scope = Static<typeof ScopeSchema>;

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

export const TeamSummarySchema = T.Object({
  slug: T.String(),
  name: T.String(),
  timezone: T.String(),
  members: T.Integer({ description: 'members today' }),
  repositories: T.Array(T.String()),
  jiraProjects: T.Array(T.String()),
});
export type TeamSummary = Static<typeof TeamSummarySchema>;
export const TeamListSchema = T.Object({ teams: T.Array(TeamSummarySchema) });
export type TeamList = Static<typeof TeamListSchema>;

export const SizeBandSchema = T.Union([
  T.Literal('fragile'),
  T.Literal('small'),
  T.Literal('medium'),
  T.Literal('large'),
]);
export type SizeBand = Static<typeof SizeBandSchema>;

export const TeamHealthSchema = T.Object({
  scope: ScopeSchema,
  period: PeriodSchema,
  cycleTime: T.Object({
    coding: DurationStatSchema,
    pickup: DurationStatSchema,
    review: DurationStatSchema,
    deploy: DurationStatSchema,
  }),
  prSize: T.Object({
    p50: NullableNumber,
    p90: NullableNumber,
    n: T.Integer(),
    over400Share: NullableNumber,
  }),
  throughput: T.Object({
    mergedPrs: T.Integer(),
    perWeek: NullableNumber,
    perContributorPerWeek: NullableNumber,
    series: T.Array(SeriesPointSchema),
  }),
  workInProgress: T.Object({ open: T.Integer(), stale: T.Integer() }),
  reviewLoad: T.Object({
    reviews: T.Integer(),
    busiestReviewerShare: NullableNumber,
    mergedWithoutReview: T.Integer(),
  }),
  teamSize: T.Object({ members: T.Integer(), activeContributors: T.Integer(), band: SizeBandSchema }),
  busFactor: T.Array(
    T.Object({ repository: T.String(), busFactor: T.Union([T.Integer(), T.Null()]), mergedPrs: T.Integer() }),
  ),
  unplannedWork: T.Object({ ratio: NullableNumber, unplanned: T.Integer(), resolved: T.Integer() }),
  outOfHours: T.Object({ share: NullableNumber, commits: T.Integer() }),
  incidentLoad: T.Object({ incidents: T.Integer(), perWeek: NullableNumber, recovery: DurationStatSchema }),
});
export type TeamHealth = Static<typeof TeamHealthSchema>;

/** Drill-down lists: paginated and sortable. */
export const ListQuerySchema = T.Object({
  from: T.Optional(T.String()),
  to: T.Optional(T.String()),
  team: T.Optional(T.String()),
  repository: T.Optional(T.String()),
  page: T.Optional(T.Integer({ minimum: 1, default: 1 })),
  pageSize: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 50 })),
  sort: T.Optional(T.String()),
  order: T.Optional(T.Union([T.Literal('asc'), T.Literal('desc')])),
});
export type ListQuery = Static<typeof ListQuerySchema>;

export const DeploymentItemSchema = T.Object({
  id: T.String(),
  repository: T.String(),
  team: T.Union([T.String(), T.Null()]),
  source: T.String(),
  environment: T.String(),
  sha: T.Union([T.String(), T.Null()]),
  deployedAt: T.String(),
  failed: T.Boolean(),
  unplanned: T.Boolean(),
  changes: T.Integer(),
  url: T.Union([T.String(), T.Null()]),
});
export type DeploymentItem = Static<typeof DeploymentItemSchema>;

export const ChangeItemSchema = T.Object({
  id: T.String(),
  repository: T.String(),
  number: T.Integer(),
  title: T.String(),
  author: T.Union([T.String(), T.Null()]),
  team: T.Union([T.String(), T.Null()]),
  firstCommitAt: T.Union([T.String(), T.Null()]),
  openedAt: T.String(),
  firstReviewAt: T.Union([T.String(), T.Null()]),
  mergedAt: T.Union([T.String(), T.Null()]),
  deployedAt: T.Union([T.String(), T.Null()]),
  leadTimeSeconds: NullableNumber,
  attribution: T.Union([T.Literal('commit'), T.Literal('time'), T.Null()]),
  size: NullableNumber,
  url: T.Union([T.String(), T.Null()]),
});
export type ChangeItem = Static<typeof ChangeItemSchema>;

export const IncidentItemSchema = T.Object({
  id: T.String(),
  source: T.String(),
  key: T.Union([T.String(), T.Null()]),
  title: T.String(),
  repository: T.Union([T.String(), T.Null()]),
  team: T.Union([T.String(), T.Null()]),
  startedAt: T.String(),
  resolvedAt: T.Union([T.String(), T.Null()]),
  recoverySeconds: NullableNumber,
  causedByDeploymentId: T.Union([T.String(), T.Null()]),
  url: T.Union([T.String(), T.Null()]),
});
export type IncidentItem = Static<typeof IncidentItemSchema>;

export const pageOf = <S extends Parameters<typeof T.Array>[0]>(item: S) =>
  T.Object({ items: T.Array(item), total: T.Integer(), page: T.Integer(), pageSize: T.Integer() });
export interface Page<Item> {
  items: Item[];
  total: number;
  page: number;
  pageSize: number;
}

export const SyncStatusSchema = T.Object({
  demo: T.Boolean({ description: 'true when the data is the generated demo organisation' }),
  sources: T.Array(
    T.Object({
      source: T.String(),
      scope: T.String(),
      lastRunAt: T.Union([T.String(), T.Null()]),
      lastSuccessAt: T.Union([T.String(), T.Null()]),
      status: T.String(),
      error: T.Union([T.String(), T.Null()]),
      requests: T.Integer(),
      notModified: T.Integer(),
      rateLimitRemaining: T.Union([T.Integer(), T.Null()]),
    }),
  ),
});
export type SyncStatus = Static<typeof SyncStatusSchema>;

export const HealthSchema = T.Object({
  status: T.Union([T.Literal('ok'), T.Literal('degraded')]),
  database: T.Union([T.Literal('up'), T.Literal('down')]),
});
export type Health = Static<typeof HealthSchema>;

// Drill-down filters: each selects exactly the rows behind one figure.
const QueryBoolean = T.Boolean({ description: 'true | false' });
export const DeploymentListQuerySchema = T.Composite([
  ListQuerySchema,
  T.Object({
    failed: T.Optional({
      ...QueryBoolean,
      description: 'only deployments that caused an incident or were rolled back (change failure rate)',
    }),
    unplanned: T.Optional({
      ...QueryBoolean,
      description: 'only deployments shipping a bug/hotfix/revert change (rework rate)',
    }),
  }),
]);
export type DeploymentListQuery = Static<typeof DeploymentListQuerySchema>;

export const ChangeListQuerySchema = T.Composite([
  ListQuerySchema,
  T.Object({
    dateField: T.Optional(
      T.Union([T.Literal('merged'), T.Literal('deployed')], {
        description: 'which time falls in [from, to): merged (default) or deployed (lead time)',
      }),
    ),
    state: T.Optional(
      T.Union([T.Literal('merged'), T.Literal('open')], {
        description: 'open = PRs open at `to` (work in progress)',
      }),
    ),
    deployed: T.Optional(QueryBoolean),
    withLeadTime: T.Optional({
      ...QueryBoolean,
      description: 'only changes with a lead time (the change lead time sample)',
    }),
    reviewed: T.Optional({
      ...QueryBoolean,
      description: 'false = merged without a review by someone other than the author',
    }),
    unplanned: T.Optional(QueryBoolean),
    stale: T.Optional({ ...QueryBoolean, description: 'open PRs created more than 7 days before `to`' }),
    includeBots: T.Optional(QueryBoolean),
  }),
]);
export type ChangeListQuery = Static<typeof ChangeListQuerySchema>;

export const IncidentListQuerySchema = T.Composite([
  ListQuerySchema,
  T.Object({
    dateField: T.Optional(
      T.Union([T.Literal('started'), T.Literal('resolved')], {
        description:
          'which time falls in [from, to): started (default, incident load) or resolved (recovery time)',
      }),
    ),
    caused: T.Optional({
      ...QueryBoolean,
      description: 'only incidents caused by a deployment (recovery time, change failure rate)',
    }),
    resolved: T.Optional(QueryBoolean),
  }),
]);
export type IncidentListQuery = Static<typeof IncidentListQuerySchema>;

/** `GET/POST /api/session`: whether reads are open (no viewer/admin token exists) and the caller's role. */
export const SessionSchema = T.Object({
  open: T.Boolean(),
  role: T.Union([T.Literal('viewer'), T.Literal('admin'), T.Null()]),
});
export type Session = Static<typeof SessionSchema>;
