import { describe, expect, it } from 'vitest';
import {
  type AiChangeSample,
  aiAdoptionSeries,
  compareAiGroups,
  findAdoptionStart,
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
