import type { Annotation } from '@stride/shared';
import { annotationKindLabels } from './chart-annotations.tsx';

/** The events drawn on a chart, numbered as their markers, listed under it and in its PNG/SVG export. */
export function AnnotationList({ annotations }: { annotations: readonly Annotation[] }) {
  if (annotations.length === 0) return null;
  return (
    <ol className="annotation-list" data-testid="annotation-list" aria-label="Events on this chart">
      {annotations.map((a, i) => (
        // `chart-note`: the PNG/SVG export writes the chart's notes under it, so the events go too.
        <li key={a.id} data-kind={a.kind} className="chart-note annotation-note">
          <span className="annotation-marker">{i + 1}</span> {a.date}
          {a.endDate ? ` – ${a.endDate}` : ''} · {annotationKindLabels[a.kind]}: {a.title}
          {a.team === null && a.kind !== 'incident' ? ' (org-wide)' : ''}
        </li>
      ))}
    </ol>
  );
}
