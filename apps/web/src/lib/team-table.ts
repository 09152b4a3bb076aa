import type { DoraSummary } from '@stride/shared';
import { compareNames } from '@stride/shared/names';
import type { TeamTableView } from './dashboard-url.ts';
import { type DoraMetricKey, doraMetricKeys } from './format.ts';
import { viewMetric } from './metric-view.ts';

/** One team row of the overview table: its DORA summary once loaded. */
export interface TeamTableRow {
  team: { name: string };
  summary: DoraSummary | undefined;
}

/** Whether a loaded summary has any item behind any metric in the period. */
export function hasData(summary: DoraSummary): boolean {
  return doraMetricKeys.some((key) => viewMetric(summary.metrics, key, summary.period).n > 0);
}

/** The metrics of a summary that got worse against the previous period (describeChange's tone). */
export function worseMetrics(summary: DoraSummary): DoraMetricKey[] {
  return doraMetricKeys.filter(
    (key) => viewMetric(summary.metrics, key, summary.period).change.tone === 'worse',
  );
}

/**
 * The overview's team rows in the order and filter of `view`:
 * - `worseOnly` keeps the teams with at least one metric that got worse (a row still loading is
 *   left out until it is known);
 * - `sort` orders by team name (natural order: Team 2 before Team 10) or by a metric's headline value (`asc`/`desc`); a team without a
 *   value for it comes after every team with one, whatever the order; ties by name;
 * - teams whose summary has no data at all sit below the rest in every order.
 * Without `sort` the given (configured) order is kept. The input is not changed.
 */
export function orderTeamRows<R extends TeamTableRow>(rows: readonly R[], view: TeamTableView): R[] {
  const kept = view.worseOnly
    ? rows.filter((row) => row.summary !== undefined && worseMetrics(row.summary).length > 0)
    : [...rows];
  const sign = view.order === 'desc' ? -1 : 1;
  const value = (row: R): number | null => {
    if (!row.summary || !view.sort || view.sort === 'team') return null;
    const metric = viewMetric(row.summary.metrics, view.sort, row.summary.period);
    return metric.n > 0 ? metric.value : null;
  };
  const byName = (a: R, b: R) => compareNames(a.team.name, b.team.name);
  // Each row's emptiness and value once (not per comparison: the sort compares a row many times).
  return kept
    .map((row, index) => ({
      row,
      index,
      empty: row.summary !== undefined && !hasData(row.summary),
      value: value(row),
    }))
    .sort((a, b) => {
      const emptiness = Number(a.empty) - Number(b.empty);
      if (emptiness !== 0) return emptiness;
      if (!view.sort) return a.index - b.index;
      if (view.sort === 'team') return sign * byName(a.row, b.row);
      const va = a.value;
      const vb = b.value;
      if (va === null || vb === null) return va === vb ? byName(a.row, b.row) : va === null ? 1 : -1;
      return va === vb ? byName(a.row, b.row) : sign * (va - vb);
    })
    .map(({ row }) => row);
}
