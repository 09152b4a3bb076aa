import type { AiMetricComparison } from '@stride/shared';
import { formatDuration } from './format.ts';

/** How each compared figure is named on screen and in exports. */
export const aiMetricLabels: Record<AiMetricComparison['metric'], string> = {
  codingTime: 'Coding time',
  pickupTime: 'Pickup time',
  reviewTime: 'Review time',
  deployTime: 'Deploy time',
  prSize: 'PR size',
  reviewRounds: 'Review rounds (changes requested per PR)',
  revertRate: 'Reverted within 30 days',
  failedDeploymentRate: 'Shipped in a failed deployment',
};

export const aiBandLabels = {
  xs: 'up to 50 lines',
  s: '51–200 lines',
  m: '201–400 lines',
  l: 'over 400 lines',
} as const;

export const aiClassLabels = { agent: 'agent', assisted: 'assisted', none: 'no AI trace' } as const;

/** One side's figure: `2h 10m` (p50), `120 lines`, `0.35 per PR`, `12.5 %`; `—` when n = 0. */
export function formatAiValue(unit: AiMetricComparison['unit'], value: number | null): string {
  if (value === null) return '—';
  if (unit === 'seconds') return formatDuration(value);
  if (unit === 'lines') return `${Math.round(value)} lines`;
  if (unit === 'count') return `${value.toFixed(2)} per PR`;
  return `${(value * 100).toFixed(1)} %`;
}

const sign = (v: number) => (v > 0 ? '+' : v < 0 ? '−' : '±');

/** A signed difference in the figure's unit; a rate's in percentage points (`+4.2 pp`). */
export function formatAiDifference(unit: AiMetricComparison['unit'], value: number): string {
  const abs = Math.abs(value);
  if (unit === 'seconds') return `${sign(value)}${formatDuration(abs)}`;
  if (unit === 'lines') return `${sign(value)}${Math.round(abs)} lines`;
  if (unit === 'count') return `${sign(value)}${abs.toFixed(2)} per PR`;
  return `${sign(value)}${(abs * 100).toFixed(1)} pp`;
}

/**
 * The difference cell of a comparison: `−3h 20m (95 % CI −5h to −1h)`, or why there is none:
 * `not enough data (n 7 and 40; at least 10 each)`.
 */
export function aiDifferenceText(m: AiMetricComparison, minSamples: number): string {
  if (!m.enoughData || m.difference === null || m.low === null || m.high === null) {
    return `not enough data (n ${m.group.n} and ${m.baseline.n}; at least ${minSamples} each)`;
  }
  return `${formatAiDifference(m.unit, m.difference)} (95 % CI ${formatAiDifference(m.unit, m.low)} to ${formatAiDifference(m.unit, m.high)})`;
}

/**
 * What the interval says: every figure here is better lower (times, size, review rounds,
 * reverts, failures), so an interval wholly below 0 is `better`, wholly above `worse`, and one
 * containing 0 is `unclear`; null without enough data.
 */
export function aiDifferenceVerdict(m: AiMetricComparison): 'better' | 'worse' | 'unclear' | null {
  if (!m.enoughData || m.low === null || m.high === null) return null;
  if (m.high < 0) return 'better';
  if (m.low > 0) return 'worse';
  return 'unclear';
}
