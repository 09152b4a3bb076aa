import { describe, expect, it } from 'vitest';
import { median, percentileCont, ratio, summarizeDurations } from './percentile.ts';

// Golden values: PostgreSQL `percentile_cont` over the same samples (rank p * (n - 1), linear).
describe('percentileCont', () => {
  it.each([
    { sample: [], p: 0.5, want: null },
    { sample: [7], p: 0.5, want: 7 },
    { sample: [7], p: 0.9, want: 7 },
    { sample: [1, 2], p: 0.5, want: 1.5 },
    { sample: [3, 1, 2], p: 0.5, want: 2 },
    { sample: [1, 2, 3, 4], p: 0.5, want: 2.5 },
    { sample: [1, 2, 3, 4], p: 0.9, want: 3.7 },
    { sample: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], p: 0.9, want: 91 },
    { sample: [0, 0, 0, 3600], p: 0.5, want: 0 },
    { sample: [5, 1], p: 0, want: 1 },
    { sample: [5, 1], p: 1, want: 5 },
  ])('p$p of $sample = $want', ({ sample, p, want }) => {
    const got = percentileCont(sample, p);
    if (want === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(want, 10);
  });

  it('ignores non-finite values and does not modify the sample', () => {
    const sample = [3, Number.NaN, 1, Number.POSITIVE_INFINITY];
    expect(median(sample)).toBe(2);
    expect(sample[0]).toBe(3);
  });

  it('rejects a fraction outside 0..1', () => {
    expect(() => percentileCont([1], 1.5)).toThrow(RangeError);
  });
});

describe('summarizeDurations and ratio', () => {
  it.each([
    { sample: [], want: { p50: null, p90: null, n: 0 } },
    { sample: [60], want: { p50: 60, p90: 60, n: 1 } },
    { sample: [0, 100], want: { p50: 50, p90: 90, n: 2 } },
  ])('summarizes $sample', ({ sample, want }) => {
    expect(summarizeDurations(sample)).toEqual(want);
  });

  it.each([
    { part: 0, whole: 0, want: null },
    { part: 3, whole: 0, want: null },
    { part: 0, whole: 4, want: 0 },
    { part: 1, whole: 4, want: 0.25 },
  ])('ratio($part, $whole) = $want', ({ part, whole, want }) => {
    expect(ratio(part, whole)).toBe(want);
  });
});
