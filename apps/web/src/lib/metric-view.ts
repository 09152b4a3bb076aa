import type { DoraMetrics, PerformanceLevel, SeriesPoint, Trend } from '@stride/shared';
import { type DoraMetricKey, doraMetricInfo, formatDuration, formatNumber, formatRatio } from './format.ts';

/** What a cell or tile shows for one metric: headline text, detail, level, trend and series. */
export interface MetricView {
  key: DoraMetricKey;
  label: string;
  /** The headline number (count, seconds p50 or ratio), null without data. */
  value: number | null;
  text: string;
  detail: string;
  level: PerformanceLevel | null;
  trend: Trend;
  series: SeriesPoint[];
  n: number;
}

/** Headline of each metric as docs/metrics.md defines it (p50 for durations). */
export function viewMetric(metrics: DoraMetrics, key: DoraMetricKey): MetricView {
  const base = { key, label: doraMetricInfo[key].label };
  switch (key) {
    case 'deploymentFrequency': {
      const m = metrics.deploymentFrequency;
      return {
        ...base,
        value: m.perWeek,
        text: m.perWeek === null ? '—' : `${formatNumber(m.perWeek, 1)}/week`,
        detail: `${formatNumber(m.value)} deployments on ${formatNumber(m.deploymentDays)} days; median ${formatNumber(m.medianDeploymentDaysPerWeek, 1)} deployment days/week`,
        level: m.level,
        trend: m.trend,
        series: m.series,
        n: m.n,
      };
    }
    case 'changeLeadTime': {
      const m = metrics.changeLeadTime;
      return {
        ...base,
        value: m.p50,
        text: formatDuration(m.p50),
        detail: `p50 of ${formatNumber(m.n)} changes; p90 ${formatDuration(m.p90)}`,
        level: m.level,
        trend: m.trend,
        series: m.series,
        n: m.n,
      };
    }
    case 'changeFailureRate': {
      const m = metrics.changeFailureRate;
      return {
        ...base,
        value: m.value,
        text: formatRatio(m.value),
        detail: `${formatNumber(m.failed)} failed of ${formatNumber(m.n)} deployments`,
        level: m.level,
        trend: m.trend,
        series: m.series,
        n: m.n,
      };
    }
    case 'failedDeploymentRecoveryTime': {
      const m = metrics.failedDeploymentRecoveryTime;
      return {
        ...base,
        value: m.p50,
        text: formatDuration(m.p50),
        detail: `p50 of ${formatNumber(m.n)} incidents; p90 ${formatDuration(m.p90)}`,
        level: m.level,
        trend: m.trend,
        series: m.series,
        n: m.n,
      };
    }
    case 'deploymentReworkRate': {
      const m = metrics.deploymentReworkRate;
      return {
        ...base,
        value: m.value,
        text: formatRatio(m.value),
        detail: `${formatNumber(m.unplanned)} unplanned of ${formatNumber(m.n)} deployments`,
        level: null,
        trend: m.trend,
        series: m.series,
        n: m.n,
      };
    }
  }
}

/**
 * Merges several named series into chart rows by bucket, `{ bucket, [key]: value }`, sorted by
 * bucket; a scope without a point in a bucket gets null there.
 */
export function mergeSeries(
  named: readonly { key: string; series: readonly SeriesPoint[] }[],
): Record<string, string | number | null>[] {
  const rows = new Map<string, Record<string, string | number | null>>();
  for (const { key, series } of named) {
    for (const point of series) {
      const row = rows.get(point.bucket) ?? { bucket: point.bucket };
      row[key] = point.value;
      rows.set(point.bucket, row);
    }
  }
  const keys = named.map((n) => n.key);
  return [...rows.values()]
    .map((row) => {
      for (const key of keys) if (!(key in row)) row[key] = null;
      return row;
    })
    .sort((a, b) => String(a.bucket).localeCompare(String(b.bucket)));
}
