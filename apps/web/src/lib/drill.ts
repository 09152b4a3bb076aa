import type { DrillKind } from './format.ts';

/**
 * URL of the drill-down page listing the items behind a figure, keeping the dashboard filters.
 * `filters` are the drill-down list's own filters (e.g. failed=true).
 */
export function drillHref(
  kind: DrillKind,
  scope: { team?: string; repository?: string },
  period: { from: string; to: string },
  search: string,
  filters: Record<string, string> = {},
): string {
  const params = new URLSearchParams(search);
  params.set('from', period.from);
  params.set('to', period.to);
  if (scope.team) params.set('team', scope.team);
  if (scope.repository) params.set('repository', scope.repository);
  for (const [k, v] of Object.entries(filters)) params.set(k, v);
  return `/drill/${kind}?${params.toString()}`;
}

/** Drill-down list filters that select the items behind each DORA metric. */
export const metricDrillFilters: Record<string, Record<string, string>> = {
  deploymentFrequency: {},
  changeLeadTime: { deployed: 'true' },
  changeFailureRate: { failed: 'true' },
  failedDeploymentRecoveryTime: { resolved: 'true' },
  deploymentReworkRate: { unplanned: 'true' },
};
