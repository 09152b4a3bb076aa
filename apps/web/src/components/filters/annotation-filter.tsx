import { annotationKindLabels, useChartOverlays } from '../charts/chart-annotations.tsx';
import { useDashboardFilters } from './use-dashboard-filters.ts';

/**
 * Which kinds of events the time charts draw (kept in the URL, `events`): one checkbox per kind
 * present in the period, with its count.
 */
export function AnnotationFilter() {
  const { allAnnotations } = useChartOverlays();
  const { events, setEvents } = useDashboardFilters();
  const counts = new Map<string, number>();
  for (const a of allAnnotations) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  if (counts.size === 0) return null;
  const kinds = [...counts.keys()].sort();
  const shown = (kind: string) => events === null || events.includes(kind);
  const toggle = (kind: string) => {
    const next = kinds.filter((k) => (k === kind ? !shown(k) : shown(k)));
    setEvents(next.length === kinds.length ? null : next);
  };
  return (
    <fieldset className="annotation-filter no-print" aria-label="Events on charts">
      <legend>Events on charts</legend>
      {kinds.map((kind) => (
        <label key={kind}>
          <input type="checkbox" checked={shown(kind)} onChange={() => toggle(kind)} />{' '}
          {annotationKindLabels[kind as keyof typeof annotationKindLabels] ?? kind} ({counts.get(kind)})
        </label>
      ))}
    </fieldset>
  );
}
