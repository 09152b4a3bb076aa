import { bucketWithin, type Granularity, parseIsoInstant } from '@stride/metrics';
import {
  type AnyFigureFilters,
  filtersSearch,
  parseDashboardUrl,
  parseDrillView,
  parseFigureFilters,
  writeDashboardUrl,
} from './dashboard-url.ts';
import type { DrillKind, doraMetricKeys } from './format.ts';

/**
 * URL of the drill-down page listing the items behind a figure, keeping the dashboard filters.
 * `filters` are the drill-down list's own filters (e.g. failed=true).
 */
export function drillHref(
  kind: DrillKind,
  scope: { team?: string; repository?: string },
  period: { from: string; to: string },
  search: string,
  filters: AnyFigureFilters = {},
): string {
  const params = writeDashboardUrl(new URLSearchParams(search), {
    drill: { from: period.from, to: period.to, team: scope.team, repository: scope.repository },
    figure: filters,
  });
  return `/drill/${kind}?${params.toString()}`;
}

/**
 * Drill-down list filters that select exactly the items behind each DORA metric (the list
 * routes' figure filters, `@stride/shared` `*ListQuerySchema`).
 */
export const metricDrillFilters: Record<(typeof doraMetricKeys)[number], AnyFigureFilters> = {
  deploymentFrequency: {},
  changeLeadTime: { dateField: 'deployed', withLeadTime: true },
  changeFailureRate: { failed: true },
  failedDeploymentRecoveryTime: { dateField: 'resolved', caused: true, resolved: true },
  deploymentReworkRate: { unplanned: true },
};

/**
 * The `[from, to)` of one series bucket within the period the series was computed over: the
 * bucket (a day, ISO week, month or quarter in UTC) clipped to the period, so the drill-down
 * lists exactly the items the bucket's figure counts. @returns ISO date-times.
 * @throws RangeError when a date is not ISO-8601
 */
export function bucketPeriod(
  bucket: string,
  granularity: Granularity,
  period: { from: string; to: string },
): { from: string; to: string } {
  const read = (value: string) => {
    const at = parseIsoInstant(value);
    if (!at) throw new RangeError(`not an ISO date or date-time: '${value}'`);
    return at;
  };
  const within = bucketWithin(read(bucket), granularity, { from: read(period.from), to: read(period.to) });
  return { from: within.from.toISOString(), to: within.to.toISOString() };
}

/**
 * Query string of a drill-down tab (`kind`) from the current drill-down URL: the dashboard
 * filters, scope and period stay; of the figure filters only those the new list has stay
 * (`unplanned` from deployments to PRs), the others are cleared (`failed=true` means nothing to
 * the incident list and would sit in the URL unapplied); paging and sort start again, as their
 * keys differ per list.
 */
export function drillTabSearch(params: URLSearchParams, kind: DrillKind): string {
  const { team, repository, from, to } = parseDrillView(params);
  return writeDashboardUrl(new URLSearchParams(filtersSearch(parseDashboardUrl(params).filters)), {
    drill: { team, repository, from, to },
    figure: parseFigureFilters(params, kind),
  }).toString();
}
