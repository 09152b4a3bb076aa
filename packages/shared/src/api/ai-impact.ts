/** AI impact: adoption of AI-assisted changes and how delivery differs (docs/metrics.md, "AI impact"). */

import { type Static, Type as T } from '@sinclair/typebox';
import { AI_METRIC_KEYS, PR_SIZE_BAND_KEYS } from '@stride/metrics';
import {
  GranularitySchema,
  IsoDateOrDateTime,
  IsoDateTime,
  literalUnion,
  Nullable,
  NullableNumber,
  PeriodSchema,
  ScopeSchema,
} from './common.ts';

export const AiClassSchema = Nullable(literalUnion(['agent', 'assisted', 'none'] as const));
export const AiMetricKeySchema = literalUnion(AI_METRIC_KEYS);
export const PrSizeBandSchema = literalUnion(PR_SIZE_BAND_KEYS);

export const AiSideSchema = T.Object({
  n: T.Integer({ description: 'changes with a value on this side' }),
  value: T.Union([T.Number(), T.Null()], {
    description: 'p50 (median figures), mean (review rounds) or share 0..1 (rates)',
  }),
  p90: T.Union([T.Number(), T.Null()], { description: 'p90 of median figures, else null' }),
});

export const AiMetricComparisonSchema = T.Object({
  metric: AiMetricKeySchema,
  statistic: literalUnion(['median', 'mean', 'share'] as const),
  unit: literalUnion(['seconds', 'lines', 'count', 'ratio'] as const),
  group: AiSideSchema,
  baseline: AiSideSchema,
  enoughData: T.Boolean({ description: 'false: fewer than minSamples on a side, no difference given' }),
  difference: T.Union([T.Number(), T.Null()], {
    description: 'group - baseline (a rate: ratio units, shown in percentage points)',
  }),
  low: NullableNumber,
  high: NullableNumber,
});
export type AiMetricComparison = Static<typeof AiMetricComparisonSchema>;

export const AiComparisonSchema = T.Object({
  metrics: T.Array(AiMetricComparisonSchema),
  bands: T.Array(T.Object({ band: PrSizeBandSchema, metrics: T.Array(AiMetricComparisonSchema) })),
});
export type AiComparison = Static<typeof AiComparisonSchema>;

const adoptionCounts = {
  merged: T.Integer(),
  agent: T.Integer(),
  assisted: T.Integer(),
  none: T.Integer(),
  unclassified: T.Integer({ description: 'commits not read yet: in neither group' }),
  n: T.Integer({ description: 'classified changes, the share’s denominator' }),
  share: T.Union([T.Number(), T.Null()], { description: '(agent + assisted) / n; null when n = 0' }),
};
export const AiAdoptionSchema = T.Object({
  ...adoptionCounts,
  series: T.Array(T.Object({ bucket: IsoDateTime(), ...adoptionCounts })),
});
export type AiAdoption = Static<typeof AiAdoptionSchema>;

export const AiBeforeAfterSchema = T.Object({
  /** Start of the adoption bucket (or the configured date); null when the team has not adopted. */
  adoptedAt: Nullable(IsoDateTime()),
  source: Nullable(literalUnion(['configured', 'detected'] as const)),
  /** group = changes merged from adoptedAt, baseline = before; null when adoptedAt is null. */
  comparison: Nullable(AiComparisonSchema),
});

/**
 * Copilot usage from GitHub's Copilot metrics API (collected by day, docs/metrics.md "Copilot active
 * users"): per bucket the mean and peak of daily active users, mean daily engaged users, and the code
 * suggestions and acceptances. GitHub gives daily counts only: weekly distinct users are not known.
 */
export const CopilotUsageSchema = T.Object({
  collected: T.Boolean({ description: 'false: no Copilot metrics stored for this scope (see note)' }),
  githubTeam: Nullable(
    T.String({ description: 'the GitHub team slug whose metrics these are; null: the organisation' }),
  ),
  note: Nullable(
    T.String({ description: 'why nothing is collected (the sync-status note when GitHub refused)' }),
  ),
  days: T.Integer({ description: 'days of the period with metrics' }),
  activeUsersMean: NullableNumber,
  engagedUsersMean: NullableNumber,
  acceptanceRate: T.Union([T.Number(), T.Null()], { description: 'acceptances / suggestions, 0..1' }),
  series: T.Array(
    T.Object({
      bucket: IsoDateTime(),
      days: T.Integer({ description: 'days of the bucket with metrics (none: the bucket is absent)' }),
      activeUsersMean: T.Number({ description: 'mean of the daily total_active_users' }),
      activeUsersMax: T.Number({ description: 'peak daily total_active_users' }),
      engagedUsersMean: T.Number({ description: 'mean of the daily total_engaged_users' }),
      suggestions: T.Integer(),
      acceptances: T.Integer(),
    }),
  ),
});
export type CopilotUsage = Static<typeof CopilotUsageSchema>;

export const TeamAiImpactSchema = T.Object({
  slug: T.String(),
  name: T.String(),
  adoption: AiAdoptionSchema,
  comparison: AiComparisonSchema,
  beforeAfter: AiBeforeAfterSchema,
  copilot: CopilotUsageSchema,
});
export type TeamAiImpact = Static<typeof TeamAiImpactSchema>;

export const AiImpactSchema = T.Object({
  scope: ScopeSchema,
  period: PeriodSchema,
  granularity: GranularitySchema,
  method: T.Object({
    confidence: T.Number({ description: '0.95' }),
    iterations: T.Integer({ description: 'bootstrap resamples' }),
    seed: T.Integer(),
    minSamples: T.Integer({ description: 'minimum n per side for a difference' }),
    adoptionShare: T.Number({ description: 'share that marks a team’s adoption bucket' }),
    revertWindowDays: T.Integer(),
  }),
  /** What the figures cannot say: shown with them. */
  caveats: T.Array(T.String()),
  adoption: AiAdoptionSchema,
  /** AI-assisted (agent + assisted) vs none, in this scope; at org level it pools teams. */
  comparison: AiComparisonSchema,
  /** The team's before/after around its adoption; null at org level (see `teams`). */
  beforeAfter: Nullable(AiBeforeAfterSchema),
  /** Each team's figures (org level); empty for a team request. */
  teams: T.Array(TeamAiImpactSchema),
  /** Copilot usage of the scope (the organisation, or the team's GitHub team). */
  copilot: CopilotUsageSchema,
});
export type AiImpact = Static<typeof AiImpactSchema>;

export const AiImpactQuerySchema = T.Object({
  from: T.Optional(IsoDateOrDateTime('period start (inclusive); default: 90 days before `to`')),
  to: T.Optional(IsoDateOrDateTime('period end (exclusive); default: now')),
  granularity: T.Optional(GranularitySchema),
  seed: T.Optional(T.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: 'bootstrap seed; default 1' })),
});
export type AiImpactQuery = Static<typeof AiImpactQuerySchema>;

export const AiGroupSchema = literalUnion([
  'ai',
  'none',
  'agent',
  'assisted',
  'unclassified',
  'before',
  'after',
] as const);
export type AiGroup = Static<typeof AiGroupSchema>;

export const AiImpactChangesQuerySchema = T.Object({
  from: T.Optional(IsoDateOrDateTime('period start (inclusive); default: 90 days before `to`')),
  to: T.Optional(IsoDateOrDateTime('period end (exclusive); default: now')),
  team: T.Optional(T.String({ description: 'team slug; default: the org' })),
  group: T.Optional(AiGroupSchema),
  band: T.Optional(PrSizeBandSchema),
  page: T.Optional(T.Integer({ minimum: 1, default: 1 })),
  pageSize: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
export type AiImpactChangesQuery = Static<typeof AiImpactChangesQuerySchema>;

export const AiEvidenceSchema = T.Object({
  rule: T.String(),
  tool: T.String(),
  detail: T.String(),
  sha: Nullable(T.String()),
});

export const AiImpactChangeSchema = T.Object({
  id: T.String(),
  team: Nullable(T.String()),
  repository: T.String(),
  number: T.Integer(),
  title: T.String(),
  url: Nullable(T.String()),
  mergedAt: IsoDateTime(),
  aiClass: AiClassSchema,
  evidence: T.Array(AiEvidenceSchema),
  codingSeconds: NullableNumber,
  pickupSeconds: NullableNumber,
  reviewSeconds: NullableNumber,
  deploySeconds: NullableNumber,
  size: Nullable(T.Integer()),
  changesRequested: T.Integer(),
  reverted: T.Boolean(),
  failedDeployment: Nullable(T.Boolean()),
});
export type AiImpactChange = Static<typeof AiImpactChangeSchema>;
