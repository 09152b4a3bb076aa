import type { TeamHealth } from '@stride/shared';
import type { ChangeFigureFilters } from '../../lib/dashboard-url.ts';
import { drillHref } from '../../lib/drill.ts';

/** What every team-health card shows: the team's health figures and where their drill-downs go. */
export interface TeamHealthView {
  health: TeamHealth;
  /** Team slug. */
  team: string;
  /** The period the figures cover, `to` exclusive (drill-downs list the same period). */
  period: { from: string; to: string };
  /** Query string of the dashboard filters, kept across links. */
  search: string;
}

/** Link to the team's PRs behind a figure (`filters`: the changes list's figure filters). */
export function changesHref(view: TeamHealthView, filters: ChangeFigureFilters = {}): string {
  return drillHref('changes', { team: view.team }, view.period, view.search, filters);
}

/** Link to the team's incidents of the period. */
export function incidentsHref(view: TeamHealthView): string {
  return drillHref('incidents', { team: view.team }, view.period, view.search);
}
