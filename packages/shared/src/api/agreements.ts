/** Working agreements of a team checked on its PRs (docs/metrics.md, "Working agreements"). */
import { type Static, Type as T } from '@sinclair/typebox';
import { IsoDateTime, NullableNumber, PeriodSchema } from './common.ts';

export const AgreementRuleSchema = T.Union([
  T.Literal('pickup'),
  T.Literal('open_days'),
  T.Literal('wip'),
  T.Literal('pr_size'),
]);
export type AgreementRule = Static<typeof AgreementRuleSchema>;

/** What a stuck PR waits on: a first review, the author (changes requested), or the merge. */
export const WaitingOnSchema = T.Union([
  T.Literal('review'),
  T.Literal('author'),
  T.Literal('merge'),
  T.Null(),
]);

export const AgreementViolationSchema = T.Object({
  rule: AgreementRuleSchema,
  repository: T.String(),
  number: T.Integer(),
  title: T.String(),
  url: T.Union([T.String(), T.Null()]),
  state: T.Union([T.Literal('merged'), T.Literal('open')]),
  openedAt: IsoDateTime(),
  /** The measured value in the rule's unit: business hours, days, open PRs of its author, lines. */
  value: T.Number(),
  limit: T.Number(),
  /** Days since the PR was opened, at the period's end (or at its merge). */
  ageDays: T.Number(),
  waitingOn: WaitingOnSchema,
});
export type AgreementViolation = Static<typeof AgreementViolationSchema>;

export const AgreementCheckSchema = T.Object({
  rule: AgreementRuleSchema,
  label: T.String(),
  unit: T.Union([T.Literal('business_hours'), T.Literal('days'), T.Literal('open_prs'), T.Literal('lines')]),
  /** null: the team has not agreed on this rule. */
  limit: NullableNumber,
  /** PRs (or, for WIP, people with open PRs) the rule was checked on. */
  checked: T.Integer(),
  /** How many of them broke it (for WIP: people over the limit, never named). */
  broken: T.Integer(),
});

export const TeamAgreementsSchema = T.Object({
  team: T.String(),
  timezone: T.String(),
  period: PeriodSchema,
  rules: T.Array(AgreementCheckSchema),
  violations: T.Array(AgreementViolationSchema),
});
export type TeamAgreements = Static<typeof TeamAgreementsSchema>;
