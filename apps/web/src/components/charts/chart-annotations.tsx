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

const NONE: readonly never[] = [];
const OverlayContext = createContext<ChartOverlays>({ annotations: NONE, allAnnotations: NONE, goals: NONE });

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
  // An empty answer keeps the one empty list, so the context stays the same object when an
  // answer brings nothing to draw: every time chart below reads it, and an org of 50 teams
  // without goals redrew its five charts for nothing when the goals arrived after them.
  const all = (enabled && annotations.data?.annotations.length ? annotations.data.annotations : null) ?? NONE;
  const goalList = (enabled && goals.data?.goals.length ? goals.data.goals : null) ?? NONE;
  const shown = useMemo(
    () => (events === null || all.length === 0 ? all : all.filter((a) => events.includes(a.kind))),
    [all, events],
  );
  const value = useMemo(
    () => ({ allAnnotations: all, annotations: shown, goals: goalList }),
    [all, shown, goalList],
  );
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

/** Header of the events column every time chart's CSV ends with. */
export const EVENTS_CSV_HEADER = 'events (numbered as on the chart)';

/**
 * The events a time chart draws on its buckets, numbered as its markers and list (TrendChart):
 * those whose day, or whose last day, falls in a drawn bucket; `bucket` is the one it is marked
 * on (an event begun before the first bucket on the first).
 * @param buckets ISO starts of the drawn buckets, in order; `periodEnd` ISO end, exclusive
 */
export function chartEvents(
  annotations: readonly Annotation[],
  buckets: readonly string[],
  periodEnd?: string,
): { annotation: Annotation; x1: string | undefined; x2: string | undefined; bucket: string }[] {
  return annotations
    .map((a) => {
      const x1 = bucketOfDay(a.date, buckets, periodEnd);
      const x2 = a.endDate ? bucketOfDay(a.endDate, buckets, periodEnd) : undefined;
      return { annotation: a, x1, x2, bucket: x1 ?? buckets[0] ?? '' };
    })
    .filter((e) => e.x1 !== undefined || (e.x2 !== undefined && e.annotation.endDate !== null));
}

/**
 * Appends the events column to a time chart's CSV (rows start with the bucket's ISO date): each
 * row lists the events marked on its bucket, `1. Reorg: Payments split (org-wide)`, with the
 * last day of one that lasts, numbered as on the chart.
 */
export function withEventsColumn<T>(
  csv: { header: string[]; rows: T[][] },
  annotations: readonly Annotation[],
  periodEnd?: string,
): { header: string[]; rows: (T | string)[][] } {
  const buckets = csv.rows.map((r) => String(r[0]).slice(0, 10));
  const events = chartEvents(annotations, buckets, periodEnd);
  return {
    header: [...csv.header, EVENTS_CSV_HEADER],
    rows: csv.rows.map((row, i) => [
      ...row,
      events
        .map((e, number) => ({ ...e, number: number + 1 }))
        .filter((e) => e.bucket.slice(0, 10) === buckets[i])
        .map(
          ({ annotation: a, number }) =>
            `${number}. ${annotationKindLabels[a.kind]}: ${a.title}${a.endDate ? ` (${a.date} to ${a.endDate})` : ''}${a.team === null && a.kind !== 'incident' ? ' (org-wide)' : ''}`,
        )
        .join('; '),
    ]),
  };
}
