import { median } from './percentile.ts';
import { fixedWindows } from './period.ts';

/**
 * Median number of deployment days per window over the period's consecutive windows of
 * `windowDays` days from `from` (docs/metrics.md, Performance levels: 7 for weeks, 30 for months).
 *
 * @param deploymentDays distinct UTC dates with at least one production deployment, as
 *   'YYYY-MM-DD' strings or Dates (midnight UTC)
 * @returns the median, or null when there are no deployment days (n = 0) or the period is empty
 */
export function medianDeploymentDays(
  deploymentDays: readonly (string | Date)[],
  from: Date,
  to: Date,
  windowDays: number,
): number | null {
  if (deploymentDays.length === 0) return null;
  const days = [
    ...new Set(deploymentDays.map((d) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10)))),
  ]
    .map((d) => Date.parse(`${d}T00:00:00Z`))
    .filter((t) => Number.isFinite(t));
  const counts = fixedWindows(from, to, windowDays).map(
    (w) => days.filter((t) => t >= w.from.getTime() && t < w.to.getTime()).length,
  );
  return median(counts);
}
