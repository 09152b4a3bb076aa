import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  type DashboardChange,
  filtersSearch,
  parseDashboardUrl,
  writeDashboardUrl,
} from '../../lib/dashboard-url.ts';
import { type Filters, metricsQuery } from '../../lib/period.ts';

/**
 * The dashboard's state in the URL (so a link reproduces the view): the period filters, the
 * team comparison, the retro date, the overview table's order and "got worse only" filter, and a
 * drill-down's scope, period, paging and figure filters.
 * The one place that reads and writes the URL's query (`lib/dashboard-url.ts` parses it).
 * @returns the parsed state, the API query of the filters, the filters' query string for links,
 *   and setters that each write only their part (pushing a history entry).
 */
export function useDashboardFilters() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseDashboardUrl(params), [params]);
  const query = useMemo(() => metricsQuery(state.filters), [state.filters]);
  // Each change applies to the URL as it is now, not as it was at the last render: react-router's
  // functional setSearchParams hands the params of the render (its closure), so two changes
  // before a re-render (a team, then a size band, chosen quickly on a busy machine) lost the first.
  const update = (change: (current: URLSearchParams) => DashboardChange) =>
    setParams(
      () => {
        const current = new URLSearchParams(window.location.search);
        return writeDashboardUrl(current, change(current));
      },
      { replace: false },
    );
  return {
    ...state,
    /** The whole URL query, to read a drill-down list's figure filters (`drillListQuery`). */
    params,
    query,
    /** Query string carrying the period filters, to keep them across links. */
    search: filtersSearch(state.filters),
    setFilters: (change: Partial<Filters>) =>
      update((current) => ({ filters: { ...parseDashboardUrl(current).filters, ...change } })),
    setCompare: (compare: boolean) => update(() => ({ compare })),
    setRetro: (retro: string) => update(() => ({ retro })),
    /** Annotation kinds to show on time charts; null shows every kind. */
    setEvents: (events: readonly string[] | null) => update(() => ({ events })),
    setDrill: (drill: DashboardChange['drill']) => update(() => ({ drill })),
    setTeamTable: (teamTable: DashboardChange['teamTable']) => update(() => ({ teamTable })),
    setAiView: (ai: NonNullable<DashboardChange['ai']>) => update(() => ({ ai })),
  };
}
