import type { Granularity } from '@stride/shared';
import { addDays, addMonths, parseISO } from 'date-fns';
import { type AnyFigureFilters, writeDashboardUrl } from './dashboard-url.ts';
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
 * routes' figure filters, api-contract `*ListQuerySchema`).
 */
export const metricDrillFilters: Record<(typeof doraMetricKeys)[number], AnyFigureFilters> = {
  deploymentFrequency: {},
  changeLeadTime: { dateField: 'deployed', withLeadTime: true },
  changeFailureRate: { failed: true },
  failedDeploymentRecoveryTime: { dateField: 'resolved', caused: true, resolved: true },
  deploymentReworkRate: { unplanned: true },
};

/**
 * The `[from, to)` of one series bucket (start + a day, week or month), clipped to the period's
 * end. @returns ISO date-times.
 */
export function bucketPeriod(
  bucket: string,
  granularity: Granularity,
  periodTo: string,
): { from: string; to: string } {
  const start = parseISO(bucket);
  const end =
    granularity === 'day'
      ? addDays(start, 1)
      : granularity === 'week'
        ? addDays(start, 7)
        : addMonths(start, 1);
  const limit = parseISO(periodTo.length === 10 ? `${periodTo}T00:00:00Z` : periodTo);
  return { from: start.toISOString(), to: (end < limit ? end : limit).toISOString() };
}
