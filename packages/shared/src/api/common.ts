/**
 * Schemas shared by several resources of the HTTP API contract (TypeBox): the API validates and
 * documents (OpenAPI) with them, the dashboard imports only their static types.
 * Units: durations in seconds, ratios 0..1, times ISO-8601 UTC strings. Definitions: docs/metrics.md.
 */
import {
  type Static,
  Type as T,
  type TLiteral,
  type TLiteralValue,
  type TSchema,
  type TUnion,
} from '@sinclair/typebox';
import {
  BENCHMARK_YEARS,
  type BenchmarkYear,
  GRANULARITIES,
  type Granularity,
  PERFORMANCE_LEVELS,
  type PercentileSummary,
  type PerformanceLevel,
} from '@stride/metrics';

// The period, level and percentile types are @stride/metrics' own; the schemas are built from them.
export type { BenchmarkYear, Granularity, PerformanceLevel };

export const Nullable = <S extends TSchema>(schema: S) => T.Union([schema, T.Null()]);
export const NullableNumber = Nullable(T.Number());

/** An ISO-8601 date-time in UTC (`toISOString()`), e.g. `2025-06-01T00:00:00.000Z`. */
export const IsoDateTime = (options: { description?: string } = {}) =>
  T.String({ format: 'date-time', ...options });
export const NullableIsoDateTime = Nullable(IsoDateTime());
/**
 * A request instant: an ISO date (`2025-01-31`, midnight UTC) or a date-time with an offset.
 */
export const IsoDateOrDateTime = (description: string) =>
  T.Union([T.String({ format: 'date' }), T.String({ format: 'date-time' })], { description });

/** Union of literal schemas, one per value, typed as the tuple of values (static type = their union). */
export const literalUnion = <const V extends readonly TLiteralValue[]>(
  values: V,
): TUnion<{ -readonly [K in keyof V]: TLiteral<V[K]> }> => T.Union(values.map((v) => T.Literal(v))) as never;

export const GranularitySchema = literalUnion(GRANULARITIES);
export const BenchmarkYearSchema = literalUnion(BENCHMARK_YEARS);
export const PerformanceLevelSchema = literalUnion(PERFORMANCE_LEVELS);

export const ErrorBodySchema = T.Object({ error: T.Object({ code: T.String(), message: T.String() }) });

/** Query of every metrics route. `from`/`to` ISO dates or date-times; `to` is exclusive. */
export const MetricsQuerySchema = T.Object({
  from: T.Optional(
    IsoDateOrDateTime('period start (ISO date or date-time, inclusive); default: 90 days before `to`'),
  ),
  to: T.Optional(IsoDateOrDateTime('period end (ISO date or date-time, exclusive); default: now')),
  granularity: T.Optional(GranularitySchema),
  benchmark: T.Optional(literalUnion(BENCHMARK_YEARS.map((y) => `${y}` as const))),
});
export type MetricsQuery = Static<typeof MetricsQuerySchema>;

/** A resolved period [from, to), ISO date-times. */
export const PeriodSchema = T.Object({ from: IsoDateTime(), to: IsoDateTime() });
export type Period = Static<typeof PeriodSchema>;

/** p50/p90 of a duration sample, seconds; null when n = 0. */
export const DurationStatSchema = T.Object({ p50: NullableNumber, p90: NullableNumber, n: T.Integer() });
export type DurationStat = PercentileSummary;

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
  bucket: IsoDateTime(),
  value: NullableNumber,
  p90: T.Optional(NullableNumber),
  n: T.Integer(),
});
export type SeriesPoint = Static<typeof SeriesPointSchema>;

export const ScopeSchema = T.Object({
  type: T.Union([T.Literal('org'), T.Literal('team'), T.Literal('repository')]),
  id: T.String(),
  name: T.String(),
});
export type Scope = Static<typeof ScopeSchema>;

/** Path parameter of the team routes. */
export const TeamParamsSchema = T.Object({ team: T.String({ description: 'team slug' }) });
/** Path parameter of the repository routes. */
export const RepositoryParamsSchema = T.Object({
  repo: T.String({ description: 'repository full name owner/name, URL-encoded' }),
});

/** Drill-down lists: paginated and sortable. */
export const ListQuerySchema = T.Object({
  from: T.Optional(IsoDateOrDateTime('period start (inclusive); default: 90 days before `to`')),
  to: T.Optional(IsoDateOrDateTime('period end (exclusive); default: now')),
  team: T.Optional(T.String()),
  repository: T.Optional(T.String()),
  page: T.Optional(T.Integer({ minimum: 1, default: 1 })),
  pageSize: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 50 })),
  sort: T.Optional(T.String()),
  order: T.Optional(T.Union([T.Literal('asc'), T.Literal('desc')])),
});
export type ListQuery = Static<typeof ListQuerySchema>;

/** A boolean query parameter (`true` / `false`). */
export const QueryBoolean = T.Boolean({ description: 'true | false' });

export const pageOf = <S extends TSchema>(item: S) =>
  T.Object({ items: T.Array(item), total: T.Integer(), page: T.Integer(), pageSize: T.Integer() });
export interface Page<Item> {
  items: Item[];
  total: number;
  page: number;
  pageSize: number;
}
