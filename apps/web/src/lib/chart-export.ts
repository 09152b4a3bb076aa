import type { Granularity } from '@stride/metrics';
import type { SeriesPoint } from '@stride/shared';
import type { CsvValue } from '@stride/shared/csv';
import { periodLabel } from './change.ts';
import { fileSlug } from './file-slug.ts';
import type { DoraMetricKey } from './format.ts';
import { mergeSeries } from './metric-view.ts';
import type { SampleNoun } from './sample.ts';

/** What each DORA chart's values measure, as a slide's unit line says it (docs/metrics.md). */
export const doraUnitText: Record<DoraMetricKey, string> = {
  deploymentFrequency: 'production deployments per week',
  changeLeadTime: 'p50 time from first commit to production deployment',
  changeFailureRate: '% of production deployments that failed (caused an incident or were rolled back)',
  failedDeploymentRecoveryTime:
    'p50 time from incident start to resolution, incidents caused by a deployment',
  deploymentReworkRate: '% of production deployments that were unplanned (bug, hotfix or revert)',
};

/** The column name of each metric's value in a chart CSV, before its unit. */
const csvValueName: Record<DoraMetricKey, string> = {
  deploymentFrequency: 'deployment frequency',
  changeLeadTime: 'change lead time p50',
  changeFailureRate: 'change failure rate',
  failedDeploymentRecoveryTime: 'failed deployment recovery time p50',
  deploymentReworkRate: 'rework rate',
};

const bucketColumn: Record<Granularity, string> = {
  day: 'day (UTC, YYYY-MM-DD)',
  week: 'week starting (UTC, YYYY-MM-DD)',
  month: 'month starting (UTC, YYYY-MM-DD)',
  quarter: 'quarter starting (UTC, YYYY-MM-DD)',
};

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** A duration for a CSV: whole seconds and hours to 2 decimals; empty cells when unknown. */
export function secondsAndHours(seconds: number | null | undefined): [number | null, number | null] {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return [null, null];
  return [Math.round(seconds), round(seconds / 3600, 2)];
}

/** A ratio 0..1 as a CSV percentage with one decimal; empty when unknown. */
export function percentCell(ratio: number | null | undefined): number | null {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) ? null : round(ratio * 100, 1);
}

/**
 * The CSV of a DORA trend chart, one row per bucket and, for each line, its value with the unit
 * in the header and human-sized numbers, then its n: deployment frequency in deployments per week
 * (2 decimals), durations in whole seconds plus hours (2 decimals), rates in % (1 decimal).
 * @param lines each line's label (`Organisation`, a team) and its series in the headline's unit
 *   (see headlineSeries: deployment frequency per week)
 * @param noun what n counts (`deployments`)
 * @returns header and rows for `toCsv` of `@stride/shared/csv`
 */
export function doraTrendCsv(
  metric: DoraMetricKey,
  granularity: Granularity,
  lines: readonly { label: string; series: readonly SeriesPoint[] }[],
  noun: SampleNoun,
): { header: string[]; rows: CsvValue[][] } {
  const name = csvValueName[metric];
  const columns = (label: string): string[] => {
    const n = `${label} n (${noun[1]})`;
    if (metric === 'deploymentFrequency') return [`${label} ${name} (deployments per week)`, n];
    if (metric === 'changeFailureRate' || metric === 'deploymentReworkRate') {
      return [`${label} ${name} (%)`, n];
    }
    return [`${label} ${name} (seconds)`, `${label} ${name} (hours)`, n];
  };
  const cells = (value: number | null, n: number): CsvValue[] => {
    if (metric === 'deploymentFrequency') return [value === null ? null : round(value, 2), n];
    if (metric === 'changeFailureRate' || metric === 'deploymentReworkRate') {
      return [percentCell(value), n];
    }
    return [...secondsAndHours(value), n];
  };
  const rows = mergeSeries(lines.map((line, i) => ({ key: String(i), series: line.series })));
  return {
    header: [bucketColumn[granularity], ...lines.flatMap((line) => columns(line.label))],
    rows: rows.map((row) => [
      String(row.bucket).slice(0, 10),
      ...lines.flatMap((_, i) => cells(row[String(i)] as number | null, Number(row[`${i}:n`] ?? 0))),
    ]),
  };
}

/** The period of a slide with its year and the previous period it is compared with. */
export function slidePeriod(
  period: { from: string; to: string },
  previous: { from: string; to: string },
): string {
  return `${periodLabel(period)} (UTC) · changes vs ${periodLabel(previous)}`;
}

/**
 * An export's file name (no extension): scope, metric and period with inclusive end dates, e.g.
 * `organisation-change-failure-rate-2026-09-07-to-2026-10-04`.
 */
export function exportFileName(scope: string, metric: string, period: { from: string; to: string }): string {
  const at = (v: string) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  const last = new Date(at(period.to).getTime() - 1).toISOString().slice(0, 10);
  return fileSlug(scope, metric, at(period.from).toISOString().slice(0, 10), 'to', last);
}

/**
 * The slide of a team-health chart: `<team>: <chart>` over the health period (with its year),
 * named by team, chart and period.
 * @param unit what the values measure; @param basis the n behind them, e.g. `n = 42 merged PRs`
 */
export function healthSlide(
  health: { scope: { name: string }; period: { from: string; to: string } },
  chart: string,
  unit: string,
  basis: string,
): { title: string; period: string; unit: string; basis: string; fileName: string } {
  return {
    title: `${health.scope.name}: ${chart}`,
    period: `${periodLabel(health.period)} (UTC)`,
    unit,
    basis,
    fileName: exportFileName(health.scope.name, chart, health.period),
  };
}
