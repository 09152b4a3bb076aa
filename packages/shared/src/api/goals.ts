/** Goals per team and org and their status in a period (docs/metrics.md, "Goals"). */
import { type Static, Type as T, type TLiteral } from '@sinclair/typebox';
import {
  GOAL_DIRECTIONS,
  GOAL_METRIC_IDS,
  GOAL_STATISTICS,
  type GoalDirection,
  type GoalMetric,
  type GoalStatistic,
} from '@stride/metrics';
import { IsoDateOrDateTime, IsoDateTime, NullableNumber, PeriodSchema } from './common.ts';

/** One of the given strings (anyOf literals in OpenAPI), statically their union. */
const oneOf = <V extends string>(values: readonly V[], description?: string) =>
  T.Unsafe<V>(T.Union(values.map((v) => T.Literal(v)) as TLiteral<V>[], description ? { description } : {}));

export const GoalMetricSchema = oneOf<GoalMetric>(GOAL_METRIC_IDS, 'a figure of docs/metrics.md');
export const GoalStatisticSchema = oneOf<GoalStatistic>(
  GOAL_STATISTICS,
  'p50 / p90 of a sample, or the value',
);
export const GoalDirectionSchema = oneOf<GoalDirection>(
  GOAL_DIRECTIONS,
  'how the figure compares with the target',
);
export const GoalStatusSchema = oneOf(['met', 'at_risk', 'missed', 'no_data', 'not_started'] as const);

export const GoalSchema = T.Object({
  id: T.String(),
  /** Team slug; null for an org goal. */
  team: T.Union([T.String(), T.Null()]),
  metric: GoalMetricSchema,
  label: T.String({ description: 'the figure, in words' }),
  unit: oneOf(['seconds', 'ratio', 'lines', 'per_week', 'count'] as const),
  statistic: GoalStatisticSchema,
  target: T.Number({ description: "in the figure's unit: seconds, ratio 0..1, lines, per week, count" }),
  direction: GoalDirectionSchema,
  startDate: T.Union([T.String({ format: 'date' }), T.Null()]),
  origin: oneOf(['config', 'api'] as const),
  createdAt: IsoDateTime(),
});
export type Goal = Static<typeof GoalSchema>;

export const GoalWithStatusSchema = T.Object({
  goal: GoalSchema,
  status: GoalStatusSchema,
  /** The figure in the period; null when n = 0. */
  value: NullableNumber,
  /** The figure in the previous period of equal length. */
  previous: NullableNumber,
  n: T.Integer(),
  headingWrongWay: T.Union([T.Boolean(), T.Null()]),
});
export type GoalWithStatus = Static<typeof GoalWithStatusSchema>;

export const GoalStatusListSchema = T.Object({
  period: PeriodSchema,
  previousPeriod: PeriodSchema,
  goals: T.Array(GoalWithStatusSchema),
});
export type GoalStatusList = Static<typeof GoalStatusListSchema>;

/** One team's goals and their status (`GET /api/teams/goals`). */
export const TeamGoalStatusesSchema = T.Object({
  team: T.Object({ slug: T.String(), name: T.String() }),
  /** The team's goals, each as `GET /api/teams/:team/goals` gives it; empty when it has none. */
  goals: T.Array(GoalWithStatusSchema),
});
export type TeamGoalStatuses = Static<typeof TeamGoalStatusesSchema>;

/** Every team's goal statuses in one answer, teams ordered as `GET /api/teams`. */
export const TeamsGoalStatusSchema = T.Object({
  period: PeriodSchema,
  previousPeriod: PeriodSchema,
  teams: T.Array(TeamGoalStatusesSchema),
});
export type TeamsGoalStatus = Static<typeof TeamsGoalStatusSchema>;

export const GoalPeriodQuerySchema = T.Object({
  from: T.Optional(IsoDateOrDateTime('period start (inclusive); default: 90 days before `to`')),
  to: T.Optional(IsoDateOrDateTime('period end (exclusive); default: now')),
});

/** A goal as an admin writes it: the target a number in the figure's unit or `4h`, `10%`. */
export const GoalBodySchema = T.Object(
  {
    team: T.Optional(
      T.Union([T.String({ minLength: 1 }), T.Null()], { description: 'team slug; null or absent: org' }),
    ),
    metric: GoalMetricSchema,
    statistic: GoalStatisticSchema,
    target: T.Union([T.Number(), T.String({ minLength: 1, maxLength: 20 })]),
    direction: GoalDirectionSchema,
    startDate: T.Optional(T.Union([T.String({ format: 'date' }), T.Null()])),
  },
  { additionalProperties: false },
);
export type GoalBody = Static<typeof GoalBodySchema>;
export const GoalListSchema = T.Object({ goals: T.Array(GoalSchema) });
export const GoalIdParams = T.Object({ id: T.String({ pattern: '^[0-9]{1,18}$' }) });
