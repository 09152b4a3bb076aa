import { type ComponentProps, lazy, Suspense } from 'react';
import type { TrendChart as TrendLineChart } from './trend-chart.tsx';

// Recharts is most of the dashboard's script: the first page draws its table first and loads
// the charts in their own chunk, so these wrappers stand in for the charts until it arrives.
// The chunk's download starts as soon as the page's script runs, beside the first API calls,
// without holding up the first paint (the table draws while it arrives).
const trendChartModule = import('./trend-chart.tsx');
const TrendChartChunk = lazy(() => trendChartModule.then((m) => ({ default: m.TrendChart })));

/** `TrendChart`, loaded on first use; a placeholder of its height holds the layout meanwhile. */
export function TrendChart(props: ComponentProps<typeof TrendLineChart>) {
  return (
    <Suspense
      fallback={<div className="chart-loading" style={{ height: props.height ?? 240 }} aria-busy="true" />}
    >
      <TrendChartChunk {...props} />
    </Suspense>
  );
}
