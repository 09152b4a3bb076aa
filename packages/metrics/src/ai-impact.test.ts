import { describe, expect, it } from 'vitest';
import {
  AI_METRICS,
  type AiChangeSample,
  type AiMetricComparison,
  aiAdoptionSeries,
  compareAiGroups,
  findAdoptionStart,
  PR_SIZE_BANDS,
  type PrSizeBand,
  prSizeBand,
  splitAtAdoption,
  splitByAiUse,
} from './ai-impact.ts';
import { percentileCont } from './percentile.ts';
import { mulberry32 } from './seeded-random.ts';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
const sample = (over: Partial<AiChangeSample> = {}): AiChangeSample => ({
  mergedAt: day(0),
  aiClass: 'none',
  codingSeconds: null,
  pickupSeconds: null,
  reviewSeconds: null,
  deploySeconds: null,
  size: null,
  changesRequested: 0,
  reverted: false,
  failedDeployment: null,
  ...over,
});
const metricOf = (c: ReturnType<typeof compareAiGroups>, key: string) =>
  c.metrics.find((m) => m.metric === key)!;

describe('compareAiGroups', () => {
  const group = Array.from({ length: 40 }, (_, i) =>
    sample({ aiClass: 'assisted', codingSeconds: 100 + i * 10, size: 30 + i }),
  );
  const baseline = Array.from({ length: 50 }, (_, i) =>
    sample({ codingSeconds: 300 + i * 10, size: 60 + i * 10 }),
  );

  it('gives the observed difference of medians with its p50, p90 and n per side', () => {
    const coding = metricOf(compareAiGroups(group, baseline, { minSamples: 10 }), 'codingTime');
    expect(coding.group).toEqual({
      n: 40,
      value: 295,
      p90: percentileCont(
        group.map((s) => s.codingSeconds!),
        0.9,
      ),
    });
    expect(coding.baseline.value).toBe(545);
    expect(coding.difference).toBe(-250);
    expect(coding.low!).toBeLessThan(-250);
    expect(coding.high!).toBeGreaterThan(-250);
    expect(coding.high!).toBeLessThan(0);
  });

  it('is reproducible for a seed and equals a naive percentile bootstrap drawn from the same generator', () => {
    const a = compareAiGroups(group, baseline, { minSamples: 10, iterations: 200, seed: 7 });
    expect(compareAiGroups(group, baseline, { minSamples: 10, iterations: 200, seed: 7 })).toEqual(a);
    // Naive: materialise each resample and take percentile_cont(0.5) of each side.
    const random = mulberry32(7);
    const draw = (xs: AiChangeSample[]) =>
      Array.from({ length: xs.length }, () => xs[Math.floor(random() * xs.length)]!);
    const diffs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const ra = draw(group);
      const rb = draw(baseline);
      diffs.push(
        percentileCont(
          ra.map((s) => s.codingSeconds!),
          0.5,
        )! -
          percentileCont(
            rb.map((s) => s.codingSeconds!),
            0.5,
          )!,
      );
    }
    const coding = metricOf(a, 'codingTime');
    expect(coding.low).toBeCloseTo(percentileCont(diffs, 0.025)!, 9);
    expect(coding.high).toBeCloseTo(percentileCont(diffs, 0.975)!, 9);
    expect(
      metricOf(compareAiGroups(group, baseline, { minSamples: 10, iterations: 200, seed: 8 }), 'codingTime')
        .low,
    ).not.toBe(coding.low);
  });

  it('says not enough data under the minimum n on either side, with the n shown', () => {
    const coding = metricOf(compareAiGroups(group.slice(0, 9), baseline, { minSamples: 10 }), 'codingTime');
    expect(coding).toMatchObject({
      enoughData: false,
      difference: null,
      low: null,
      high: null,
      group: { n: 9 },
    });
    expect(coding.group.value).not.toBeNull();
  });

  it('compares rates as ratio differences and counts as means', () => {
    const g = Array.from({ length: 20 }, (_, i) =>
      sample({ aiClass: 'agent', reverted: i < 5, changesRequested: i % 2, failedDeployment: i < 2 }),
    );
    const b = Array.from({ length: 20 }, (_, i) =>
      sample({ reverted: i < 1, changesRequested: 0, failedDeployment: i < 10 ? false : null }),
    );
    const c = compareAiGroups(g, b, { minSamples: 10 });
    expect(metricOf(c, 'revertRate')).toMatchObject({
      group: { n: 20, value: 0.25 },
      baseline: { value: 0.05 },
    });
    expect(metricOf(c, 'revertRate').difference).toBeCloseTo(0.2, 12);
    expect(metricOf(c, 'reviewRounds')).toMatchObject({
      group: { value: 0.5 },
      baseline: { value: 0 },
      difference: 0.5,
    });
    // Not deployed: out of the failed-deployment sample.
    expect(metricOf(c, 'failedDeploymentRate')).toMatchObject({
      group: { n: 20, value: 0.1 },
      baseline: { n: 10, value: 0 },
    });
    // A side with no spread: the interval collapses onto the difference.
    expect(metricOf(c, 'reviewRounds').low).toBeGreaterThan(0);
  });

  it('repeats the comparison within PR-size bands', () => {
    const c = compareAiGroups(group, baseline, { minSamples: 10 });
    const xs = c.bands.find((b) => b.band === 'xs')!.metrics.find((m) => m.metric === 'codingTime')!;
    expect(xs.group.n).toBe(group.filter((s) => s.size! <= 50).length);
    expect(xs.baseline.n).toBe(0);
    expect(xs.enoughData).toBe(false);
    expect(c.bands.every((b) => b.metrics.every((m) => m.metric !== 'prSize'))).toBe(true);
  });
});

describe('adoption', () => {
  it('counts classes per bucket, every bucket present, share over the classified', () => {
    const samples = [
      sample({ mergedAt: day(0), aiClass: 'assisted' }),
      sample({ mergedAt: day(1), aiClass: 'none' }),
      sample({ mergedAt: day(2), aiClass: null }),
      sample({ mergedAt: day(40), aiClass: 'agent' }),
    ];
    const series = aiAdoptionSeries(samples, { from: day(0), to: day(90), granularity: 'month' });
    expect(series.map((b) => [b.start.toISOString().slice(0, 10), b.merged, b.n, b.share])).toEqual([
      ['2026-01-01', 3, 2, 0.5],
      ['2026-02-01', 1, 1, 1],
      ['2026-03-01', 0, 0, null],
    ]);
  });

  it('finds the first bucket whose share reaches the threshold with at least 5 classified changes', () => {
    const bucket = (n: number, ai: number, start: number) => ({
      start: day(start),
      merged: n,
      agent: 0,
      assisted: ai,
      none: n - ai,
      unclassified: 0,
      n,
      share: n ? ai / n : null,
    });
    expect(findAdoptionStart([bucket(4, 4, 0), bucket(10, 2, 30), bucket(10, 3, 60)], 0.25)).toEqual(day(60));
    expect(findAdoptionStart([bucket(10, 1, 0)], 0.25)).toBeNull();
  });

  it('splits by AI use (unclassified in neither) and at the adoption date', () => {
    const s = [
      sample({ aiClass: 'agent' }),
      sample({ aiClass: 'assisted' }),
      sample({ aiClass: 'none' }),
      sample({ aiClass: null }),
    ];
    const { ai, other } = splitByAiUse(s);
    expect([ai.length, other.length]).toEqual([2, 1]);
    const { before, after } = splitAtAdoption(
      [sample({ mergedAt: day(1) }), sample({ mergedAt: day(2) })],
      day(2),
    );
    expect([before.length, after.length]).toEqual([1, 1]);
  });

  it('bands sizes at 50, 200 and 400 lines', () => {
    expect([0, 50, 51, 200, 201, 400, 401, null].map(prSizeBand)).toEqual([
      'xs',
      'xs',
      's',
      's',
      'm',
      'm',
      'l',
      null,
    ]);
  });
});

// The bootstrap as first merged (2026-12-01, commit e9ed94b), kept verbatim as the reference the
// faster one must equal to the last bit: same generator, same draws, same arithmetic.
interface OldCell {
  metric: (typeof AI_METRICS)[number];
  band: PrSizeBand | null;
  /** Per side: indices into the side's samples with a value, sorted by value; and the values. */
  sides: [{ index: Uint32Array; values: Float64Array }, { index: Uint32Array; values: Float64Array }];
}

function oldSideCell(
  samples: readonly AiChangeSample[],
  metric: (typeof AI_METRICS)[number],
  band: PrSizeBand | null,
) {
  const entries: [number, number][] = [];
  samples.forEach((s, i) => {
    if (band !== null && prSizeBand(s.size) !== band) return;
    const v = metric.value(s);
    if (v !== null && Number.isFinite(v)) entries.push([i, v]);
  });
  entries.sort((a, b) => a[1] - b[1]);
  return { index: Uint32Array.from(entries, (e) => e[0]), values: Float64Array.from(entries, (e) => e[1]) };
}

function oldObserved(
  values: Float64Array,
  statistic: AiMetricComparison['statistic'],
): AiMetricComparison['group'] {
  const list = Array.from(values);
  if (list.length === 0) return { n: 0, value: null, p90: null };
  if (statistic === 'median')
    return { n: list.length, value: percentileCont(list, 0.5), p90: percentileCont(list, 0.9) };
  return { n: list.length, value: list.reduce((a, b) => a + b, 0) / list.length, p90: null };
}

/** The statistic of a resample given as a count per original sample (counts[i] copies of sample i). */
function oldResampled(
  cell: { index: Uint32Array; values: Float64Array },
  counts: Uint32Array,
  statistic: AiMetricComparison['statistic'],
): number {
  let total = 0;
  for (let k = 0; k < cell.index.length; k++) total += counts[cell.index[k]!]!;
  if (total === 0) return Number.NaN;
  if (statistic !== 'median') {
    let sum = 0;
    for (let k = 0; k < cell.index.length; k++) sum += counts[cell.index[k]!]! * cell.values[k]!;
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

function oldDrawCounts(n: number, random: () => number, counts: Uint32Array): void {
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]! += 1;
}

/**
 * Compares `group` (e.g. AI-assisted changes, or changes after adoption) with `baseline` (the
 * other changes, or before adoption) on every AI_METRICS figure, overall and within PR-size bands.
 * The interval is the percentile bootstrap (Efron & Tibshirani, An Introduction to the Bootstrap,
 * 1993, ch. 13): each side is resampled with replacement (same size) `iterations` times with a
 * seeded generator, the difference of the statistic is taken per resample, and its 2.5th and
 * 97.5th percentiles bound the 95 % interval. Every figure and band is computed from the same
 * resamples of changes.
 */
function compareAiGroupsBeforeSpeedUp(
  group: readonly AiChangeSample[],
  baseline: readonly AiChangeSample[],
  options: { minSamples: number; iterations?: number; seed?: number },
): ReturnType<typeof compareAiGroups> {
  const iterations = options.iterations ?? 1000;
  const cells: OldCell[] = [];
  for (const band of [null, ...PR_SIZE_BANDS.map((b) => b.key)] as (PrSizeBand | null)[]) {
    for (const metric of AI_METRICS) {
      if (band !== null && metric.key === 'prSize') continue;
      cells.push({
        metric,
        band,
        sides: [oldSideCell(group, metric, band), oldSideCell(baseline, metric, band)],
      });
    }
  }
  const enough = (c: OldCell) =>
    c.sides[0].index.length >= options.minSamples && c.sides[1].index.length >= options.minSamples;
  const live = cells.filter(enough);
  const diffs = live.map(() => [] as number[]);
  if (live.length > 0) {
    const random = mulberry32(options.seed ?? 1);
    const countsA = new Uint32Array(group.length);
    const countsB = new Uint32Array(baseline.length);
    for (let it = 0; it < iterations; it++) {
      oldDrawCounts(group.length, random, countsA);
      oldDrawCounts(baseline.length, random, countsB);
      live.forEach((c, k) => {
        const d =
          oldResampled(c.sides[0], countsA, c.metric.statistic) -
          oldResampled(c.sides[1], countsB, c.metric.statistic);
        if (Number.isFinite(d)) diffs[k]!.push(d);
      });
    }
  }
  const result = (c: OldCell): AiMetricComparison => {
    const a = oldObserved(c.sides[0].values, c.metric.statistic);
    const b = oldObserved(c.sides[1].values, c.metric.statistic);
    const k = live.indexOf(c);
    const ok = k >= 0 && a.value !== null && b.value !== null;
    return {
      metric: c.metric.key,
      statistic: c.metric.statistic,
      unit: c.metric.unit,
      group: a,
      baseline: b,
      enoughData: ok,
      difference: ok ? a.value! - b.value! : null,
      low: ok ? percentileCont(diffs[k]!, 0.025) : null,
      high: ok ? percentileCont(diffs[k]!, 0.975) : null,
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

describe('compareAiGroups speed-up', () => {
  const random = mulberry32(11);
  const maybe = (p: number, v: () => number) => (random() < p ? v() : null);
  const changes = (n: number, aiClass: 'assisted' | 'none'): AiChangeSample[] =>
    Array.from({ length: n }, () => ({
      mergedAt: day(0),
      aiClass,
      codingSeconds: maybe(0.95, () => Math.round(random() * 100_000)),
      pickupSeconds: maybe(0.9, () => random() * 10_000),
      reviewSeconds: maybe(0.9, () => Math.round(random() * 50_000)),
      deploySeconds: maybe(0.7, () => random() * 10_000),
      size: maybe(0.97, () => Math.round(random() ** 2 * 900)),
      changesRequested: random() < 0.25 ? Math.floor(random() * 3) : 0,
      reverted: random() < 0.05,
      failedDeployment: random() < 0.7 ? random() < 0.12 : null,
    }));

  it('gives exactly the intervals of the first implementation (every figure, band and n)', () => {
    for (const [na, nb, seed] of [
      [300, 450, 1],
      [40, 25, 9],
      [12, 900, 3],
    ] as const) {
      const a = changes(na, 'assisted');
      const b = changes(nb, 'none');
      const options = { minSamples: 10, iterations: 300, seed };
      expect(compareAiGroups(a, b, options)).toEqual(compareAiGroupsBeforeSpeedUp(a, b, options));
    }
  });
});
