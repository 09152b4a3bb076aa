import type { DoraSummary } from '@stride/shared';
import { periodLabel } from '../../lib/change.ts';
import { drillHref, metricDrillFilters } from '../../lib/drill.ts';
import { doraMetricInfo, doraMetricKeys } from '../../lib/format.ts';
import { viewMetric } from '../../lib/metric-view.ts';
import { MetricCell } from './metric-cell.tsx';
import { ErrorState, Loading } from './query-state.tsx';

/** The header cells of a DORA table: one per metric, its definition as the tooltip. */
export function DoraHeaderCells() {
  return doraMetricKeys.map((key) => (
    <th scope="col" key={key} title={doraMetricInfo[key].definition}>
      {doraMetricInfo[key].label}
    </th>
  ));
}

/**
 * The five DORA cells of one table row (org, team or repository): an error or loading cell across
 * the row until the summary arrives, then one MetricCell per metric drilling down within `scope`.
 */
export function DoraCells({
  result,
  scope,
  period,
  search,
}: {
  result: { data: DoraSummary | undefined; error: unknown; refetch: () => unknown };
  /** Which rows a figure's drill-down lists: a team's, a repository's, or the org's (`{}`). */
  scope: { team?: string; repository?: string };
  period: { from: string; to: string };
  search: string;
}) {
  if (result.error) {
    return (
      <td colSpan={doraMetricKeys.length}>
        <ErrorState error={result.error} retry={() => void result.refetch()} />
      </td>
    );
  }
  const data = result.data;
  if (!data) {
    return (
      <td colSpan={doraMetricKeys.length}>
        <Loading />
      </td>
    );
  }
  return doraMetricKeys.map((key) => (
    <td key={key}>
      <MetricCell
        view={viewMetric(data.metrics, key, data.period)}
        span={{ granularity: data.granularity, ...data.period }}
        versus={periodLabel(data.previousPeriod)}
        drillHref={drillHref(doraMetricInfo[key].drill, scope, period, search, metricDrillFilters[key])}
      />
    </td>
  ));
}
