/** Teams and their health signals (docs/metrics.md, PR cycle time and team health). */
import { type Static, Type as T } from '@sinclair/typebox';
import {
  DurationStatSchema,
  NullableNumber,
  PeriodSchema,
  ScopeSchema,
  SeriesPointSchema,
} from './common.ts';

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
    reviewsPerReviewer: T.Array(T.Integer(), {
      description:
        'reviews given in the period by each reviewer of the team, and 0 for each member (on the last day) who gave none; largest first, without names',
    }),
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
