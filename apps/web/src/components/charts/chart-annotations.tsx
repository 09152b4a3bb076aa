import type { Annotation, GoalWithStatus } from '@stride/shared';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useAnnotations } from '../../queries/use-annotations.ts';
import { useGoals } from '../../queries/use-goals.ts';
import { useDashboardFilters } from '../filters/use-dashboard-filters.ts';

/** What the time charts of a page draw besides their lines: events and goal targets of its scope. */
export interface ChartOverlays {
  /** Events of the period, of the kinds the URL keeps (`events`). */
  annotations: readonly Annotation[];
  /** Every event of the period (the filter offers their kinds). */
  allAnnotations: readonly Annotation[];
  goals: readonly GoalWithStatus[];
}

const OverlayContext = createContext<ChartOverlays>({ annotations: [], allAnnotations: [], goals: [] });

/**
 * Gives every time chart below it the annotations and goals of a scope (a team, or the org when
 * `team` is undefined) for the URL's period; the `events` URL key filters the kinds drawn.
 */
export function ChartOverlayProvider({
  team,
  enabled = true,
  children,
}: {
  team?: string | undefined;
  /** false: no request, nothing drawn (pages without time charts). */
  enabled?: boolean;
  children: ReactNode;
}) {
  const { filters, events } = useDashboardFilters();
  const annotations = useAnnotations(team, filters, enabled);
  const goals = useGoals(team, filters, enabled);
  const value = useMemo(() => {
    const all = enabled ? (annotations.data?.annotations ?? []) : [];
    return {
      allAnnotations: all,
      annotations: events === null ? all : all.filter((a) => events.includes(a.kind)),
      goals: enabled ? (goals.data?.goals ?? []) : [],
    };
  }, [annotations.data, goals.data, events, enabled]);
  return <OverlayContext.Provider value={value}>{children}</OverlayContext.Provider>;
}

/** The overlays of the nearest ChartOverlayProvider (none outside one). */
export function useChartOverlays(): ChartOverlays {
  return useContext(OverlayContext);
}

/** Names of annotation kinds, as the list and the filter show them. */
export const annotationKindLabels: Record<Annotation['kind'], string> = {
  reorg: 'Reorg',
  tool_adoption: 'Tool adoption',
  freeze: 'Freeze',
  postmortem: 'Postmortem',
  process_change: 'Process change',
  other: 'Event',
  membership: 'Team change',
  incident: 'Incident',
  goal: 'Goal set',
};

/**
 * The bucket (ISO start) an event's day falls in: the last bucket starting on or before it;
 * undefined when the day is outside the drawn buckets (`periodEnd`: ISO end, exclusive).
 */
export function bucketOfDay(day: string, buckets: readonly string[], periodEnd?: string): string | undefined {
  if (periodEnd !== undefined && day >= periodEnd.slice(0, 10)) return undefined;
  let found: string | undefined;
  for (const bucket of buckets) {
    if (bucket.slice(0, 10) <= day) found = bucket;
    else break;
  }
  return found;
}
