import { type CsvValue, toCsv } from '@stride/shared/csv';
import { type ReactNode, useRef, useState } from 'react';
import { fileSlug } from '../../lib/file-slug.ts';
import { useSyncStatus } from '../../queries/use-sync-status.ts';
import { useDashboardFilters } from '../filters/use-dashboard-filters.ts';
import type { Slide } from './export-chart.ts';

export interface CsvData {
  header: string[];
  rows: CsvValue[][];
}

/** A chart's slide text (see Slide) and its export file name without extension. */
export type ChartSlide = Omit<Slide, 'source' | 'demo'> & {
  /** Scope, metric and period, e.g. `organisation-change-failure-rate-2026-09-07-to-2026-10-04`. */
  fileName: string;
};

/** The source line of every exported slide: `Stride · DORA 2023 levels · generated 2026-12-01`. */
export function sourceLine(benchmark: number, generated: Date = new Date()): string {
  return `Stride · DORA ${benchmark} levels · generated ${generated.toISOString().slice(0, 10)}`;
}

/**
 * A titled chart with PNG / SVG / CSV export. `csv` is either the data behind the chart (made
 * into a file here) or the URL of the API's `.csv` variant. PNG and SVG are slides: `slide` gives
 * their period, unit and n; the source line and the demo mark are added here. `hint` is page-only
 * help (e.g. "click a point"), never exported.
 */
export function ChartCard({
  title,
  subtitle,
  hint,
  slide,
  csv,
  children,
  footer,
  className,
}: {
  title: string;
  subtitle?: ReactNode;
  hint?: ReactNode;
  slide?: ChartSlide;
  csv?: CsvData | string;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLElement>(null);
  const [error, setError] = useState<string | null>(null);
  const { filters } = useDashboardFilters();
  const status = useSyncStatus();
  const name = slide?.fileName ?? fileSlug(title);
  const slideOf = (): Slide => ({
    title: slide?.title ?? title,
    period: slide?.period ?? '',
    unit: slide?.unit ?? '',
    basis: slide?.basis ?? '',
    source: sourceLine(filters.benchmark),
    demo: status.data?.demo === true,
  });
  // The exporters load on the first export, not with the page.
  const run = async (action: (x: typeof import('./export-chart.ts')) => Promise<void> | void) => {
    setError(null);
    try {
      await action(await import('./export-chart.ts'));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className={`chart-card ${className ?? ''}`} ref={ref} aria-label={title} data-chart={name}>
      <header className="chart-card-header">
        <div>
          <h3>{title}</h3>
          {subtitle && <p className="subtitle">{subtitle}</p>}
          {hint && <p className="chart-hint muted no-print">{hint}</p>}
        </div>
        <fieldset className="export-buttons no-print" aria-label={`Export ${title}`}>
          <button
            type="button"
            onClick={() => run((x) => x.exportPng(ref.current!, slideOf(), `${name}.png`))}
            aria-label={`Download ${title} as PNG`}
          >
            PNG
          </button>
          <button
            type="button"
            onClick={() => run((x) => x.exportSvg(ref.current!, slideOf(), `${name}.svg`))}
            aria-label={`Download ${title} as SVG`}
          >
            SVG
          </button>
          {typeof csv === 'string' ? (
            <a className="button" href={csv} download={`${name}.csv`} aria-label={`Download ${title} as CSV`}>
              CSV
            </a>
          ) : csv ? (
            <button
              type="button"
              onClick={() =>
                run((x) =>
                  x.downloadFile(
                    new Blob([toCsv(csv.header, csv.rows)], { type: 'text/csv' }),
                    `${name}.csv`,
                  ),
                )
              }
              aria-label={`Download ${title} as CSV`}
            >
              CSV
            </button>
          ) : null}
        </fieldset>
      </header>
      <div className="chart-body">{children}</div>
      {footer && <footer className="chart-card-footer">{footer}</footer>}
      {error && (
        <p role="alert" className="state-error">
          Export failed: {error}
        </p>
      )}
    </section>
  );
}
