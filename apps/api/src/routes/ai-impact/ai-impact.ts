import type { AiImpactSampleRow } from '@stride/db';
import {
  type AiChangeSample,
  aiAdoptionSeries,
  compareAiGroups,
  countAiClasses,
  findAdoptionStart,
  type Granularity,
  parseIsoDate,
  splitAtAdoption,
  splitByAiUse,
} from '@stride/metrics';
import type {
  AiAdoption,
  AiComparison,
  AiImpact,
  CopilotUsage,
  CsvValue,
  Scope,
  TeamAiImpact,
} from '@stride/shared';
import type { AiConfig } from '@stride/shared/config';

/** Bootstrap resamples behind every interval. */
export const BOOTSTRAP_ITERATIONS = 1000;
/** Seed when the request gives none: the same data give the same intervals. */
export const DEFAULT_SEED = 1;

/** What the figures cannot say; the API returns them with every answer and the dashboard shows them beside it. */
export const AI_IMPACT_CAVEATS = [
  'Observational data, not an experiment: a difference shows an association, not that the tools caused it.',
  'Selection effects: who uses AI tools, and on what work, is not random (e.g. small fixes, tests, boilerplate, newer services); teams and periods differ in more than AI use.',
  'Size differences: AI-assisted PRs can be smaller or larger than the others; compare within the PR-size bands before reading a time difference.',
  'Detection sees only traces left in commits and PRs (co-author trailers, footers, agent accounts, labels): "none" means no trace, and AI use is under-counted.',
  'Before/after compares all of a team’s changes around its adoption date; anything else that changed at that time (people, services, process) is mixed in.',
] as const;

/** One row per change (a change of an author in two teams is listed once per team). */
export function uniqueChanges(rows: readonly AiImpactSampleRow[]): AiImpactSampleRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

interface Period {
  from: Date;
  to: Date;
  granularity: Granularity;
}

function adoptionOf(samples: readonly AiChangeSample[], period: Period): AiAdoption {
  return {
    ...countAiClasses(samples),
    series: aiAdoptionSeries(samples, period).map(({ start, ...counts }) => ({
      bucket: start.toISOString(),
      ...counts,
    })),
  };
}

/**
 * A team's adoption date: `ai.adoptionDates[slug]` when configured, else the start of the first
 * calendar month of the period whose AI share reaches `ai.adoptionShare` (months, whatever the
 * view's buckets, so the date does not move with the chart's granularity).
 */
export function teamAdoptionDate(
  slug: string,
  samples: readonly AiChangeSample[],
  period: Period,
  ai: AiConfig,
): { adoptedAt: Date | null; source: 'configured' | 'detected' | null } {
  const configured = ai.adoptionDates[slug];
  if (configured) return { adoptedAt: parseIsoDate(configured), source: 'configured' };
  const detected = findAdoptionStart(
    aiAdoptionSeries(samples, { ...period, granularity: 'month' }),
    ai.adoptionShare,
  );
  return detected ? { adoptedAt: detected, source: 'detected' } : { adoptedAt: null, source: null };
}

/** The samples of the changes in `group` (ai, none, agent, ...), for figures and drill-downs alike. */
export function inAiGroup<T extends { aiClass: AiChangeSample['aiClass']; mergedAt: Date }>(
  rows: readonly T[],
  group: 'ai' | 'none' | 'agent' | 'assisted' | 'unclassified' | 'before' | 'after',
  adoptedAt: Date | null,
): T[] {
  if (group === 'ai') return splitByAiUse(rows).ai;
  if (group === 'none') return splitByAiUse(rows).other;
  if (group === 'unclassified') return rows.filter((r) => r.aiClass === null);
  if (group === 'agent' || group === 'assisted') return rows.filter((r) => r.aiClass === group);
  if (adoptedAt === null) return [];
  return splitAtAdoption(rows, adoptedAt)[group];
}

/** Copilot usage of a scope without collected metrics. */
export function copilotNotCollected(note: string, githubTeam: string | null = null): CopilotUsage {
  return {
    collected: false,
    githubTeam,
    note,
    days: 0,
    activeUsersMean: null,
    engagedUsersMean: null,
    acceptanceRate: null,
    series: [],
  };
}

const NO_COPILOT = copilotNotCollected('Copilot metrics not collected.');

function teamImpact(
  team: { slug: string; name: string },
  rows: readonly AiImpactSampleRow[],
  period: Period,
  ai: AiConfig,
  seed: number,
  copilot: CopilotUsage = NO_COPILOT,
): TeamAiImpact {
  const samples = rows.filter((r) => r.team === team.slug);
  const options = { minSamples: ai.minSamples, iterations: BOOTSTRAP_ITERATIONS, seed };
  const { ai: assisted, other } = splitByAiUse(samples);
  const { adoptedAt, source } = teamAdoptionDate(team.slug, samples, period, ai);
  const around = adoptedAt ? splitAtAdoption(samples, adoptedAt) : null;
  return {
    slug: team.slug,
    name: team.name,
    adoption: adoptionOf(samples, period),
    comparison: compareAiGroups(assisted, other, options),
    beforeAfter: {
      adoptedAt: adoptedAt?.toISOString() ?? null,
      source,
      comparison: around ? compareAiGroups(around.after, around.before, options) : null,
    },
    copilot,
  };
}

/**
 * The AI-impact answer (docs/metrics.md, "AI impact") of the org (every team listed) or of one
 * team, from the sample rows of `listAiImpactSamples` over [from, to).
 */
export function assembleAiImpact(input: {
  scope: Scope;
  period: Period;
  rows: readonly AiImpactSampleRow[];
  teams: readonly { slug: string; name: string }[];
  ai: AiConfig;
  revertWindowDays: number;
  seed?: number;
  /** Copilot usage of the scope and of each team by slug (`loadCopilotUsage`); default: not collected. */
  copilot?: { scope: CopilotUsage; teams?: Readonly<Record<string, CopilotUsage>> };
}): AiImpact {
  const seed = input.seed ?? DEFAULT_SEED;
  const { period, ai } = input;
  const method = {
    confidence: 0.95,
    iterations: BOOTSTRAP_ITERATIONS,
    seed,
    minSamples: ai.minSamples,
    adoptionShare: ai.adoptionShare,
    revertWindowDays: input.revertWindowDays,
  };
  const base = {
    scope: input.scope,
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    granularity: period.granularity,
    method,
    caveats: [...AI_IMPACT_CAVEATS],
  };
  const copilot = input.copilot?.scope ?? NO_COPILOT;
  if (input.scope.type === 'team') {
    const team = teamImpact({ slug: input.scope.id, name: input.scope.name }, input.rows, period, ai, seed);
    return {
      ...base,
      adoption: team.adoption,
      comparison: team.comparison,
      beforeAfter: team.beforeAfter,
      teams: [],
      copilot,
    };
  }
  const samples = uniqueChanges(input.rows);
  const { ai: assisted, other } = splitByAiUse(samples);
  return {
    ...base,
    adoption: adoptionOf(samples, period),
    comparison: compareAiGroups(assisted, other, {
      minSamples: ai.minSamples,
      iterations: BOOTSTRAP_ITERATIONS,
      seed,
    }),
    beforeAfter: null,
    teams: input.teams.map((t) =>
      teamImpact(t, input.rows, period, ai, seed, input.copilot?.teams?.[t.slug]),
    ),
    copilot,
  };
}

export const AI_IMPACT_CSV_COLUMNS = [
  'scope',
  'comparison',
  'band',
  'metric',
  'statistic',
  'unit',
  'group_n',
  'group_value',
  'group_p90',
  'baseline_n',
  'baseline_value',
  'baseline_p90',
  'difference',
  'ci95_low',
  'ci95_high',
  'enough_data',
  'bucket',
] as const;

function comparisonRows(scope: string, kind: string, comparison: AiComparison): CsvValue[][] {
  const rows = (band: string, metrics: AiComparison['metrics']) =>
    metrics.map((m) => [
      scope,
      kind,
      band,
      m.metric,
      m.statistic,
      m.unit,
      m.group.n,
      m.group.value,
      m.group.p90,
      m.baseline.n,
      m.baseline.value,
      m.baseline.p90,
      m.difference,
      m.low,
      m.high,
      m.enoughData,
      null,
    ]);
  return [...rows('all', comparison.metrics), ...comparison.bands.flatMap((b) => rows(b.band, b.metrics))];
}

/**
 * Copilot usage as CSV rows (`comparison` = `copilot_usage`, one row per bucket and figure, `bucket`
 * set, `group_n` = days with metrics, `group_value` the figure); a scope without metrics gets one row
 * with `enough_data` false.
 */
function copilotRows(scope: string, usage: CopilotUsage): CsvValue[][] {
  const row = (
    bucket: string | null,
    metric: string,
    statistic: string,
    unit: string,
    n: number,
    value: number | null,
  ) => [
    scope,
    'copilot_usage',
    'all',
    metric,
    statistic,
    unit,
    n,
    value,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    value !== null,
    bucket,
  ];
  if (!usage.collected) return [row(null, 'copilotActiveUsers', 'mean', 'users', 0, null)];
  return usage.series.flatMap((b) => [
    row(b.bucket, 'copilotActiveUsers', 'mean', 'users', b.days, b.activeUsersMean),
    row(b.bucket, 'copilotActiveUsers', 'max', 'users', b.days, b.activeUsersMax),
    row(b.bucket, 'copilotEngagedUsers', 'mean', 'users', b.days, b.engagedUsersMean),
    row(b.bucket, 'copilotSuggestions', 'sum', 'count', b.days, b.suggestions),
    row(b.bucket, 'copilotAcceptances', 'sum', 'count', b.days, b.acceptances),
  ]);
}

/** The comparison table as CSV rows: `ai_vs_none` per scope, `after_vs_before` per adopted team, then Copilot usage. */
export function aiImpactCsvRows(impact: AiImpact): CsvValue[][] {
  const out = comparisonRows(impact.scope.id, 'ai_vs_none', impact.comparison);
  if (impact.beforeAfter?.comparison)
    out.push(...comparisonRows(impact.scope.id, 'after_vs_before', impact.beforeAfter.comparison));
  for (const t of impact.teams) {
    out.push(...comparisonRows(t.slug, 'ai_vs_none', t.comparison));
    if (t.beforeAfter.comparison)
      out.push(...comparisonRows(t.slug, 'after_vs_before', t.beforeAfter.comparison));
  }
  out.push(...copilotRows(impact.scope.id, impact.copilot));
  for (const t of impact.teams) out.push(...copilotRows(t.slug, t.copilot));
  return out;
}
