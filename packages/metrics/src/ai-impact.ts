import { bucketStart, bucketStarts, type Granularity } from './period.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * AI impact (docs/metrics.md, "AI impact"): adoption of AI-assisted changes and how their
 * delivery figures differ from the other changes of the same team and period, each difference
 * with a 95 % bootstrap confidence interval. Pure: the samples come from packages/db.
 */

/** A merged change's AI class; null = not classified (commits unknown). */
export type AiChangeClass = 'agent' | 'assisted' | 'none' | null;

/** One merged change (seconds, lines; `failedDeployment` null when not deployed). */
export interface AiChangeSample {
  mergedAt: Date;
  aiClass: AiChangeClass;
  codingSeconds: number | null;
  pickupSeconds: number | null;
  reviewSeconds: number | null;
  deploySeconds: number | null;
  size: number | null;
  changesRequested: number;
  reverted: boolean;
  failedDeployment: boolean | null;
}

export const AI_METRIC_KEYS = [
  'codingTime',
  'pickupTime',
  'reviewTime',
  'deployTime',
  'prSize',
  'reviewRounds',
  'revertRate',
  'failedDeploymentRate',
] as const;
export type AiMetricKey = (typeof AI_METRIC_KEYS)[number];

/** `median`: p50 compared (p90 shown); `mean`: average count per PR; `share`: ratio 0..1. */
export type AiStatistic = 'median' | 'mean' | 'share';

interface AiMetricDefinition {
  key: AiMetricKey;
  statistic: AiStatistic;
  unit: 'seconds' | 'lines' | 'count' | 'ratio';
  value: (s: AiChangeSample) => number | null;
}

const bool = (b: boolean | null) => (b === null ? null : b ? 1 : 0);

/** What each compared figure is, per change. */
export const AI_METRICS: readonly AiMetricDefinition[] = [
  { key: 'codingTime', statistic: 'median', unit: 'seconds', value: (s) => s.codingSeconds },
  { key: 'pickupTime', statistic: 'median', unit: 'seconds', value: (s) => s.pickupSeconds },
  { key: 'reviewTime', statistic: 'median', unit: 'seconds', value: (s) => s.reviewSeconds },
  { key: 'deployTime', statistic: 'median', unit: 'seconds', value: (s) => s.deploySeconds },
  { key: 'prSize', statistic: 'median', unit: 'lines', value: (s) => s.size },
  { key: 'reviewRounds', statistic: 'mean', unit: 'count', value: (s) => s.changesRequested },
  { key: 'revertRate', statistic: 'share', unit: 'ratio', value: (s) => bool(s.reverted) },
  { key: 'failedDeploymentRate', statistic: 'share', unit: 'ratio', value: (s) => bool(s.failedDeployment) },
];

/** PR-size bands (additions + deletions) the comparison is repeated within; 400 is the contract's "large PR". */
export const PR_SIZE_BANDS = [
  { key: 'xs', min: 0, max: 50 },
  { key: 's', min: 51, max: 200 },
  { key: 'm', min: 201, max: 400 },
  { key: 'l', min: 401, max: Number.POSITIVE_INFINITY },
] as const;
export type PrSizeBand = (typeof PR_SIZE_BANDS)[number]['key'];
export const PR_SIZE_BAND_KEYS = ['xs', 's', 'm', 'l'] as const satisfies readonly PrSizeBand[];

/** The size band of a PR of `size` lines; null when the size is unknown. */
export function prSizeBand(size: number | null): PrSizeBand | null {
  if (size === null || !Number.isFinite(size)) return null;
  return PR_SIZE_BANDS.find((b) => size >= b.min && size <= b.max)?.key ?? null;
}

/** One side of a comparison: its n (changes with a value) and statistic (p50, mean or share). */
export interface AiSideSummary {
  n: number;
  value: number | null;
  /** p90 for median figures, else null. */
  p90: number | null;
}

/**
 * One compared figure: `difference = group - baseline` (seconds, lines, count or ratio: a rate's
 * difference is in ratio units, shown as percentage points) with its 95 % bootstrap interval
 * `[low, high]`; all three null when `enoughData` is false (fewer than `minSamples` on a side).
 */
export interface AiMetricComparison {
  metric: AiMetricKey;
  statistic: AiStatistic;
  unit: 'seconds' | 'lines' | 'count' | 'ratio';
  group: AiSideSummary;
  baseline: AiSideSummary;
  enoughData: boolean;
  difference: number | null;
  low: number | null;
  high: number | null;
}

export interface AiGroupComparison {
  metrics: AiMetricComparison[];
  /** The same figures within each PR-size band (PR size itself left out). */
  bands: { band: PrSizeBand; metrics: AiMetricComparison[] }[];
}

export interface BootstrapOptions {
  /** Fewer changes than this with a value on either side: not enough data. */
  minSamples: number;
  /** Bootstrap resamples (default 1000). */
  iterations?: number;
  /** Seed of the resampling (default 1): the same data and seed give the same interval. */
  seed?: number;
}

/** One side of one compared figure: its changes with a value, sorted by value (ties in sample order). */
interface SideCell {
  /** Sample indices of the changes with a value, by value. */
  index: Uint32Array;
  values: Float64Array;
  /** Band of the cell (-1: all changes): a resample's total starts from the draws in it. */
  scope: number;
  /** Changes of the scope without a value: their draws are taken off the scope's draws. */
  excluded: Uint32Array;
  /** Mean and share figures: the changes with a non-zero value, in `index` order (zeros add nothing). */
  nonZeroIndex: Uint32Array;
  nonZeroValues: Float64Array;
}

interface Cell {
  metric: AiMetricDefinition;
  band: PrSizeBand | null;
  sides: [SideCell, SideCell];
}

const BAND_KEYS: readonly PrSizeBand[] = PR_SIZE_BANDS.map((b) => b.key);

/** Per side and figure: the changes with a value, sorted by value (stable: ties in sample order), and those without. */
function sortedByValue(samples: readonly AiChangeSample[], metric: AiMetricDefinition) {
  const withValue: number[] = [];
  const values = new Float64Array(samples.length);
  const without: number[] = [];
  for (let i = 0; i < samples.length; i++) {
    const v = metric.value(samples[i]!);
    if (v !== null && Number.isFinite(v)) {
      values[i] = v;
      withValue.push(i);
    } else without.push(i);
  }
  withValue.sort((x, y) => values[x]! - values[y]!);
  return { withValue, values, without };
}

/** The cell of one band (-1: all changes): the band's part of the side's sorted order keeps its order. */
function sideCell(sorted: ReturnType<typeof sortedByValue>, bands: Int8Array, scope: number): SideCell {
  const inScope = (i: number) => scope < 0 || bands[i] === scope;
  const index = Uint32Array.from(sorted.withValue.filter(inScope));
  const values = Float64Array.from(index, (i) => sorted.values[i]!);
  const nonZeroIndex = index.filter((i) => sorted.values[i] !== 0);
  return {
    index,
    values,
    scope,
    excluded: Uint32Array.from(sorted.without.filter(inScope)),
    nonZeroIndex,
    nonZeroValues: Float64Array.from(nonZeroIndex, (i) => sorted.values[i]!),
  };
}

function observed(values: Float64Array, statistic: AiStatistic): AiSideSummary {
  if (values.length === 0) return { n: 0, value: null, p90: null };
  if (statistic === 'median')
    return { n: values.length, value: sortedPercentile(values, 0.5), p90: sortedPercentile(values, 0.9) };
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k]!;
  return { n: values.length, value: sum / values.length, p90: null };
}

/** percentile_cont of ascending, finite values (the same arithmetic as `percentileCont`). */
function sortedPercentile(sorted: ArrayLike<number>, p: number): number {
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (rank - lower);
}

/**
 * The statistic of a resample given as a count per original sample (counts[i] copies of sample
 * i). `scopeTotals[scope + 1]` holds the draws in the cell's scope (all changes, or a size band).
 */
function resampled(
  cell: SideCell,
  counts: Uint32Array,
  scopeTotals: Float64Array,
  statistic: AiStatistic,
): number {
  let total = scopeTotals[cell.scope + 1]!;
  for (let k = 0; k < cell.excluded.length; k++) total -= counts[cell.excluded[k]!]!;
  if (total === 0) return Number.NaN;
  if (statistic !== 'median') {
    let sum = 0;
    for (let k = 0; k < cell.nonZeroIndex.length; k++)
      sum += counts[cell.nonZeroIndex[k]!]! * cell.nonZeroValues[k]!;
    return sum / total;
  }
  // percentile_cont(0.5) of the resample: the values at ranks floor/ceil of 0.5 * (total - 1).
  const rank = 0.5 * (total - 1);
  const lowerRank = Math.floor(rank);
  const upperRank = Math.ceil(rank);
  let seen = 0;
  let lower = Number.NaN;
  for (let k = 0; k < cell.index.length; k++) {
    seen += counts[cell.index[k]!]!;
    if (Number.isNaN(lower) && seen > lowerRank) lower = cell.values[k]!;
    if (seen > upperRank) return lower + (cell.values[k]! - lower) * (rank - lowerRank);
  }
  return lower;
}

function drawCounts(n: number, random: () => number, counts: Uint32Array): void {
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]! += 1;
}

/** Draws of a resample per scope: [all changes, band xs, s, m, l]. */
function fillScopeTotals(counts: Uint32Array, bands: Int8Array, withBands: boolean, totals: Float64Array) {
  totals.fill(0);
  totals[0] = counts.length;
  if (!withBands) return;
  for (let i = 0; i < counts.length; i++) {
    const b = bands[i]!;
    if (b >= 0) totals[b + 1]! += counts[i]!;
  }
}

const bandsOf = (samples: readonly AiChangeSample[]) =>
  Int8Array.from(samples, (s) => {
    const band = prSizeBand(s.size);
    return band === null ? -1 : BAND_KEYS.indexOf(band);
  });

/**
 * Compares `group` (e.g. AI-assisted changes, or changes after adoption) with `baseline` (the
 * other changes, or before adoption) on every AI_METRICS figure, overall and within PR-size bands.
 * The interval is the percentile bootstrap (Efron & Tibshirani, An Introduction to the Bootstrap,
 * 1993, ch. 13): each side is resampled with replacement (same size) `iterations` times with a
 * seeded generator, the difference of the statistic is taken per resample, and its 2.5th and
 * 97.5th percentiles bound the 95 % interval. Every figure and band is computed from the same
 * resamples of changes.
 *
 * Cost: per resample, one pass over each side for the band totals, about half of each median
 * figure's changes, and only the non-zero changes of mean and share figures (a resample's
 * statistic is computed from per-change draw counts, never materialised); scripts/bench/ai-impact.
 */
export function compareAiGroups(
  group: readonly AiChangeSample[],
  baseline: readonly AiChangeSample[],
  options: BootstrapOptions,
): AiGroupComparison {
  const iterations = options.iterations ?? 1000;
  const bandsA = bandsOf(group);
  const bandsB = bandsOf(baseline);
  const sortedA = AI_METRICS.map((m) => sortedByValue(group, m));
  const sortedB = AI_METRICS.map((m) => sortedByValue(baseline, m));
  const cells: Cell[] = [];
  for (const band of [null, ...BAND_KEYS] as (PrSizeBand | null)[]) {
    const scope = band === null ? -1 : BAND_KEYS.indexOf(band);
    AI_METRICS.forEach((metric, m) => {
      if (band !== null && metric.key === 'prSize') return;
      cells.push({
        metric,
        band,
        sides: [sideCell(sortedA[m]!, bandsA, scope), sideCell(sortedB[m]!, bandsB, scope)],
      });
    });
  }
  const enough = (c: Cell) =>
    c.sides[0].index.length >= options.minSamples && c.sides[1].index.length >= options.minSamples;
  const live = cells.filter(enough);
  const diffs = live.map(() => new Float64Array(iterations));
  const diffCount = new Uint32Array(live.length);
  if (live.length > 0) {
    const random = mulberry32(options.seed ?? 1);
    const countsA = new Uint32Array(group.length);
    const countsB = new Uint32Array(baseline.length);
    const totalsA = new Float64Array(BAND_KEYS.length + 1);
    const totalsB = new Float64Array(BAND_KEYS.length + 1);
    const withBands = live.some((c) => c.band !== null);
    for (let it = 0; it < iterations; it++) {
      drawCounts(group.length, random, countsA);
      drawCounts(baseline.length, random, countsB);
      fillScopeTotals(countsA, bandsA, withBands, totalsA);
      fillScopeTotals(countsB, bandsB, withBands, totalsB);
      for (let k = 0; k < live.length; k++) {
        const c = live[k]!;
        const d =
          resampled(c.sides[0], countsA, totalsA, c.metric.statistic) -
          resampled(c.sides[1], countsB, totalsB, c.metric.statistic);
        if (Number.isFinite(d)) diffs[k]![diffCount[k]!++] = d;
      }
    }
  }
  const result = (c: Cell): AiMetricComparison => {
    const a = observed(c.sides[0].values, c.metric.statistic);
    const b = observed(c.sides[1].values, c.metric.statistic);
    const k = live.indexOf(c);
    const sorted = k >= 0 ? diffs[k]!.subarray(0, diffCount[k]!).sort() : null;
    const ok = sorted !== null && a.value !== null && b.value !== null;
    // Every resample empty on a side (a rare, tiny band): the difference stands without an interval.
    const interval = ok && sorted.length > 0;
    return {
      metric: c.metric.key,
      statistic: c.metric.statistic,
      unit: c.metric.unit,
      group: a,
      baseline: b,
      enoughData: ok,
      difference: ok ? a.value! - b.value! : null,
      low: interval ? sortedPercentile(sorted, 0.025) : null,
      high: interval ? sortedPercentile(sorted, 0.975) : null,
    };
  };
  return {
    metrics: cells.filter((c) => c.band === null).map(result),
    bands: PR_SIZE_BANDS.map((b) => ({
      band: b.key,
      metrics: cells.filter((c) => c.band === b.key).map(result),
    })),
  };
}

/** Changes merged in one bucket by AI class; `share` = (agent + assisted) / classified, null when none is classified. */
export interface AiAdoptionBucket {
  start: Date;
  merged: number;
  agent: number;
  assisted: number;
  none: number;
  unclassified: number;
  /** Classified changes: the share's denominator. */
  n: number;
  share: number | null;
}

/** Counts of a set of changes by AI class, with the AI share of the classified ones. */
export function countAiClasses(
  samples: readonly { aiClass: AiChangeClass }[],
): Omit<AiAdoptionBucket, 'start'> {
  const count = (c: AiChangeClass) => samples.filter((s) => s.aiClass === c).length;
  const agent = count('agent');
  const assisted = count('assisted');
  const none = count('none');
  const n = agent + assisted + none;
  return {
    merged: samples.length,
    agent,
    assisted,
    none,
    unclassified: samples.length - n,
    n,
    share: n > 0 ? (agent + assisted) / n : null,
  };
}

/** Adoption per calendar bucket (UTC) of [from, to): every bucket present, empty ones with n = 0 and share null. */
export function aiAdoptionSeries(
  samples: readonly { mergedAt: Date; aiClass: AiChangeClass }[],
  period: { from: Date; to: Date; granularity: Granularity },
): AiAdoptionBucket[] {
  const byBucket = new Map<number, { aiClass: AiChangeClass }[]>();
  for (const s of samples) {
    const key = bucketStart(s.mergedAt, period.granularity).getTime();
    const list = byBucket.get(key) ?? [];
    list.push(s);
    byBucket.set(key, list);
  }
  return bucketStarts(period.from, period.to, period.granularity).map((start) => ({
    start,
    ...countAiClasses(byBucket.get(start.getTime()) ?? []),
  }));
}

/** A bucket needs this many classified changes before its share can mark adoption. */
export const ADOPTION_MIN_BUCKET_N = 5;

/**
 * A team's adoption date: the start of the first bucket with at least ADOPTION_MIN_BUCKET_N
 * classified changes whose AI share reaches `share` (0..1); null when none does.
 */
export function findAdoptionStart(series: readonly AiAdoptionBucket[], share: number): Date | null {
  return (
    series.find((b) => b.n >= ADOPTION_MIN_BUCKET_N && b.share !== null && b.share >= share)?.start ?? null
  );
}

/** AI-assisted (`agent` or `assisted`) vs `none`; unclassified changes are in neither group. */
export function splitByAiUse<T extends { aiClass: AiChangeClass }>(
  samples: readonly T[],
): { ai: T[]; other: T[] } {
  return {
    ai: samples.filter((s) => s.aiClass === 'agent' || s.aiClass === 'assisted'),
    other: samples.filter((s) => s.aiClass === 'none'),
  };
}

/** Changes merged before / at-or-after `at` (every class: the team's whole output around its adoption). */
export function splitAtAdoption<T extends { mergedAt: Date }>(
  samples: readonly T[],
  at: Date,
): { after: T[]; before: T[] } {
  return {
    after: samples.filter((s) => s.mergedAt.getTime() >= at.getTime()),
    before: samples.filter((s) => s.mergedAt.getTime() < at.getTime()),
  };
}
