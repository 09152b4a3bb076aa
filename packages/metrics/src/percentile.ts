/**
 * Interpolated percentile of a sample, exactly like PostgreSQL's `percentile_cont`: the value at
 * rank `p * (n - 1)` of the sorted sample, linear between the two nearest ranks.
 * Source of the convention: docs/metrics.md ("Aggregates of durations").
 *
 * @param values the sample (any order; not modified); non-finite values are ignored
 * @param p the fraction 0..1 (0.5 = median, 0.9 = p90)
 * @returns the percentile, or null when the sample is empty (n = 0 gives null, never 0)
 * @throws RangeError when p is outside 0..1
 */
export function percentileCont(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be within 0..1, got ${p}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (rank - lower);
}

/** The median (p50) of a sample; null when empty. See percentileCont. */
export function median(values: readonly number[]): number | null {
  return percentileCont(values, 0.5);
}

/**
 * p50, p90 and sample size of a sample (durations in seconds, sizes in lines...); p50/p90 null
 * when n = 0. The one shape of every percentile figure: SQL aggregates, API and dashboard.
 */
export interface PercentileSummary {
  p50: number | null;
  p90: number | null;
  n: number;
}

/** p50, p90 and sample size of a sample of durations (seconds); p50/p90 null when n = 0. */
export function summarizeDurations(values: readonly number[]): PercentileSummary {
  const finite = values.filter((v) => Number.isFinite(v));
  return { p50: percentileCont(finite, 0.5), p90: percentileCont(finite, 0.9), n: finite.length };
}

/** `part / whole` as a ratio 0..1; null when `whole` is 0 (n = 0 gives null). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
