import type { DoraSummary } from '@stride/shared';
import { periodLabel } from '../../lib/change.ts';
import { drillHref, metricDrillFilters } from '../../lib/drill.ts';
import { type DoraMetricKey, doraMetricInfo, doraMetricKeys } from '../../lib/format.ts';
import { viewMetric } from '../../lib/metric-view.ts';
import { MetricCell } from './metric-cell.tsx';
import { ErrorState, Loading } from './query-state.tsx';

/** A sortable table's current order and the handler of a click on a column. */
export interface ColumnSort<K extends string> {
  key: K | undefined;
  order: 'asc' | 'desc';
  onSort: (key: K) => void;
}

/** A column header: its label, or a sort button when the table sorts (aria-sort tells the order). */
export function SortableHeader<K extends string>({
  column,
  label,
  title,
  sort,
}: {
  column: K;
  label: string;
  title?: string;
  sort?: ColumnSort<K>;
}) {
  const active = sort?.key === column;
  return (
    <th
      scope="col"
      title={title}
      data-column={column}
      aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      {sort ? (
        <button type="button" className="sort-button" onClick={() => sort.onSort(column)}>
          {label}
          <span aria-hidden="true">{active ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ' ⇅'}</span>
        </button>
      ) : (
        label
      )}
    </th>
  );
}

/** The header cells of a DORA table: one per metric, its definition as the tooltip; sortable with `sort`. */
export function DoraHeaderCells({ sort }: { sort?: ColumnSort<DoraMetricKey | 'team'> } = {}) {
  return doraMetricKeys.map((key) => (
    <SortableHeader
      key={key}
      column={key}
      label={doraMetricInfo[key].label}
      title={doraMetricInfo[key].definition}
      sort={sort}
    />
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
