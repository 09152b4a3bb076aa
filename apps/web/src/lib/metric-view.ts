import { bucketWithin, type Granularity, parseIsoInstant } from '@stride/metrics';
import type { DoraMetrics, PerformanceLevel, SeriesPoint, Trend } from '@stride/shared';
import { type ChangeUnit, type ChangeView, describeChange } from './change.ts';
import {
  type DoraMetricKey,
  doraMetricInfo,
  formatDuration,
  formatNumber,
  formatRatio,
  formatValue,
} from './format.ts';
import { isTooFew, type SampleNoun, sampleNouns, sampleText } from './sample.ts';

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
  /** What `n` counts (`deployments`, `changes`, `incidents`). */
  noun: SampleNoun;
  /** `n` with its noun, e.g. `1 incident`. */
  sample: string;
  /**
   * The sample behind the figure in one phrase, n first and said once (tables, subtitles, slides),
   * e.g. `n = 1,239 deployments, 84 failed`, `n = 70 incidents; p50 shown, p90 1d 16h`.
   */
  basis: string;
  /** Fewer items than the minimum sample: the level is not shown (docs/metrics.md). */
  tooFew: boolean;
  /** The move against the previous period, in pp for rates (see change.ts). */
  change: ChangeView;
  /** The previous period's figure in the headline's unit, e.g. `4.1/week`, `20 %`. */
  previousText: string;
}

/** Unit and better direction of the statistic each metric's trend compares (docs/metrics.md). */
const comparison: Record<DoraMetricKey, { unit: ChangeUnit; better: 'higher' | 'lower' }> = {
  deploymentFrequency: { unit: 'count', better: 'higher' },
  changeLeadTime: { unit: 'seconds', better: 'lower' },
  changeFailureRate: { unit: 'ratio', better: 'lower' },
  failedDeploymentRecoveryTime: { unit: 'seconds', better: 'lower' },
  deploymentReworkRate: { unit: 'ratio', better: 'lower' },
};

const DAY_MS = 86_400_000;

/** Weeks in `[from, to)` (ISO dates or date-times); null without a period. */
function weeksOf(period: { from: string; to: string } | undefined): number | null {
  if (!period) return null;
  const at = (v: string) => Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  const weeks = (at(period.to) - at(period.from)) / (7 * DAY_MS);
  return Number.isFinite(weeks) && weeks > 0 ? weeks : null;
}

/**
 * Headline of each metric as docs/metrics.md defines it (p50 for durations), with its sample,
 * its change against the previous period and the previous figure in the same unit.
 * @param period the summary's period: deployment frequency's previous count becomes a per-week
 *   rate over it (the previous period has the same length), so both sides are rates
 */
export function viewMetric(
  metrics: DoraMetrics,
  key: DoraMetricKey,
  period?: { from: string; to: string },
): MetricView {
  const base = baseView(metrics, key);
  const { unit, better } = comparison[key];
  // Deployment frequency's trend compares the counts (equal periods), the headline is per week.
  const current = key === 'deploymentFrequency' ? metrics.deploymentFrequency.value : base.value;
  const change = describeChange({
    unit,
    previous: base.trend.previous,
    current,
    better,
    format: (v) => formatValue(unit, v),
  });
  let previousText: string;
  if (key === 'deploymentFrequency') {
    const weeks = weeksOf(period);
    const previous = base.trend.previous;
    previousText =
      previous === null
        ? '—'
        : weeks === null
          ? `${formatNumber(previous)} deployments`
          : `${formatNumber(previous / weeks, 1)}/week`;
  } else {
    previousText = formatValue(doraMetricInfo[key].unit, base.trend.previous);
  }
  const noun = sampleNouns[doraMetricInfo[key].drill];
  const { basisRest, ...shown } = base;
  const sample = sampleText(base.n, noun);
  return {
    ...shown,
    noun,
    sample,
    basis: `n = ${sample}${basisRest}`,
    tooFew: isTooFew(base.n),
    change,
    previousText,
  };
}

type BaseView = Omit<MetricView, 'noun' | 'sample' | 'basis' | 'tooFew' | 'change' | 'previousText'> & {
  /** What `basis` says after `n = <sample>`. */
  basisRest: string;
};

function baseView(metrics: DoraMetrics, key: DoraMetricKey): BaseView {
  const base = { key, label: doraMetricInfo[key].label };
  switch (key) {
    case 'deploymentFrequency': {
      const m = metrics.deploymentFrequency;
      return {
        ...base,
        value: m.perWeek,
        text: m.perWeek === null ? '—' : `${formatNumber(m.perWeek, 1)}/week`,
        detail: `${formatNumber(m.value)} deployments on ${formatNumber(m.deploymentDays)} days; median ${formatNumber(m.medianDeploymentDaysPerWeek, 1)} deployment days/week`,
        basisRest:
          m.n > 0
            ? ` on ${formatNumber(m.deploymentDays)} days; median ${formatNumber(m.medianDeploymentDaysPerWeek, 1)} deployment days/week`
            : '',
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
        basisRest: m.n > 0 ? `; p50 shown, p90 ${formatDuration(m.p90)}` : '',
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
        basisRest: m.n > 0 ? `, ${formatNumber(m.failed)} failed` : '',
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
        basisRest: m.n > 0 ? `; p50 shown, p90 ${formatDuration(m.p90)}` : '',
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
        basisRest: m.n > 0 ? `, ${formatNumber(m.unplanned)} unplanned` : '',
        level: null,
        trend: m.trend,
        series: m.series,
        n: m.n,
      };
    }
  }
}

/**
 * Merges several named series into chart rows by bucket, `{ bucket, [key]: value, [key:n]: n }`,
 * sorted by bucket; a scope without a point in a bucket gets null there (and n 0).
 */
export function mergeSeries(
  named: readonly { key: string; series: readonly SeriesPoint[] }[],
): Record<string, string | number | null>[] {
  const rows = new Map<string, Record<string, string | number | null>>();
  for (const { key, series } of named) {
    for (const point of series) {
      const row = rows.get(point.bucket) ?? { bucket: point.bucket };
      row[key] = point.value;
      // Each value's sample size rides along, for tooltips and weaker small-n points.
      row[`${key}:n`] = point.n;
      rows.set(point.bucket, row);
    }
  }
  const keys = named.map((n) => n.key);
  return [...rows.values()]
    .map((row) => {
      for (const key of keys) {
        if (!(key in row)) {
          row[key] = null;
          row[`${key}:n`] = 0;
        }
      }
      return row;
    })
    .sort((a, b) => String(a.bucket).localeCompare(String(b.bucket)));
}

const WEEK_MS = 7 * DAY_MS;

/**
 * A metric's series in its headline's unit, for charts and chart CSVs: deployment frequency's
 * per-bucket counts become deployments per week over the part of each bucket inside the period
 * (a month of 12 deployments reads about 2.8/week, like the headline); other metrics as they are.
 * `n` stays the count of items behind each point.
 * @param summary.period `[from, to)` ISO dates or date-times; buckets are UTC starts
 */
export function headlineSeries(
  summary: { metrics: DoraMetrics; granularity: Granularity; period: { from: string; to: string } },
  key: DoraMetricKey,
): SeriesPoint[] {
  const series = baseView(summary.metrics, key).series;
  if (key !== 'deploymentFrequency') return series;
  const from = parseIsoInstant(summary.period.from);
  const to = parseIsoInstant(summary.period.to);
  if (!from || !to) return series;
  return series.map((point) => {
    const start = parseIsoInstant(point.bucket);
    if (!start || point.value === null) return point;
    const within = bucketWithin(start, summary.granularity, { from, to });
    const weeks = (within.to.getTime() - within.from.getTime()) / WEEK_MS;
    return { ...point, value: weeks > 0 ? point.value / weeks : null };
  });
}
