import { type CsvValue, toCsv } from '@stride/shared/csv';
import { type ReactNode, useRef, useState } from 'react';
import { fileSlug } from '../../lib/file-slug.ts';

export interface CsvData {
  header: string[];
  rows: CsvValue[][];
}

/**
 * A titled chart with PNG / SVG / CSV export. `csv` is either the data behind the chart (made
 * into a file here) or the URL of the API's `.csv` variant.
 */
export function ChartCard({
  title,
  subtitle,
  csv,
  children,
  footer,
  className,
}: {
  title: string;
  subtitle?: ReactNode;
  csv?: CsvData | string;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLElement>(null);
  const [error, setError] = useState<string | null>(null);
  const name = fileSlug(title);
  // The exporters (html-to-image) load on the first export, not with the page.
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
        </div>
        <fieldset className="export-buttons no-print" aria-label={`Export ${title}`}>
          <button
            type="button"
            onClick={() => run((x) => x.exportPng(ref.current!, `${name}.png`))}
            aria-label={`Download ${title} as PNG`}
          >
            PNG
          </button>
          <button
            type="button"
            onClick={() => run((x) => x.exportSvg(ref.current!, title, `${name}.svg`))}
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
