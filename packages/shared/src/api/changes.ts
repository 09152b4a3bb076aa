/** `GET /api/changes`: the changes (merged PRs) or open PRs behind a figure. */
import { type Static, Type as T } from '@sinclair/typebox';
import { IsoDateTime, ListQuerySchema, NullableIsoDateTime, NullableNumber, QueryBoolean } from './common.ts';

export const ChangeItemSchema = T.Object({
  id: T.String(),
  repository: T.String(),
  number: T.Integer(),
  title: T.String(),
  author: T.Union([T.String(), T.Null()]),
  team: T.Union([T.String(), T.Null()]),
  firstCommitAt: NullableIsoDateTime,
  openedAt: IsoDateTime(),
  firstReviewAt: NullableIsoDateTime,
  mergedAt: NullableIsoDateTime,
  deployedAt: NullableIsoDateTime,
  leadTimeSeconds: NullableNumber,
  attribution: T.Union([T.Literal('commit'), T.Literal('time'), T.Null()]),
  size: NullableNumber,
  url: T.Union([T.String(), T.Null()]),
  draft: T.Boolean(),
  readyAt: IsoDateTime({ description: 'opened for review: when it left draft, else creation' }),
  codingSeconds: T.Union([T.Number(), T.Null()], { description: 'first commit → opened (seconds)' }),
  pickupSeconds: T.Union([T.Number(), T.Null()], { description: 'opened → first review (seconds)' }),
  reviewSeconds: T.Union([T.Number(), T.Null()], { description: 'first review → merged (seconds)' }),
  deploySeconds: T.Union([T.Number(), T.Null()], { description: 'merged → deployed (seconds)' }),
  ageSeconds: T.Union([T.Number(), T.Null()], { description: 'open PRs: created → `to` (seconds)' }),
  requestedReviewers: T.Array(T.String(), { description: 'logins requested and not yet reviewed' }),
  requestedTeams: T.Array(T.String(), { description: 'team slugs requested as reviewers' }),
  ciState: T.Union([T.Literal('success'), T.Literal('pending'), T.Literal('failure'), T.Null()]),
  verdict: T.Union([T.Literal('APPROVED'), T.Literal('CHANGES_REQUESTED'), T.Null()], {
    description:
      "the reviewers' standing verdict: changes requested by any reviewer's latest review, else approved",
  }),
  waitingOn: T.Union([T.Literal('review'), T.Literal('author'), T.Literal('ci'), T.Null()], {
    description: 'open PRs: who it waits on (docs/metrics.md, stuck PRs); null for merged ones',
  }),
});
export type ChangeItem = Static<typeof ChangeItemSchema>;

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
