/**
 * Trend of a metric against the previous period of equal length (docs/metrics.md, Conventions):
 * `change = (current - previous) / previous`, null when either side is null or previous is 0.
 */
export type Better = 'higher' | 'lower';

export interface Trend {
  previous: number | null;
  change: number | null;
  /** up / down / flat when both sides are known, none otherwise. */
  direction: 'up' | 'down' | 'flat' | 'none';
  /** Whether the movement is an improvement for the metric; null when unknown or flat. */
  improving: boolean | null;
}

/**
 * @param current this period's value (null when n = 0)
 * @param previous the previous period's value (null when n = 0)
 * @param better which direction is an improvement: 'higher' (deployment frequency) or 'lower'
 *   (lead time, failure rate, recovery time, rework rate)
 */
export function computeTrend(current: number | null, previous: number | null, better: Better): Trend {
  if (current === null || previous === null) {
    return { previous, change: null, direction: 'none', improving: null };
  }
  const change = previous === 0 ? null : (current - previous) / previous;
  if (current === previous) return { previous, change, direction: 'flat', improving: null };
  const direction = current > previous ? 'up' : 'down';
  const improving = better === 'higher' ? direction === 'up' : direction === 'down';
  return { previous, change, direction, improving };
}
