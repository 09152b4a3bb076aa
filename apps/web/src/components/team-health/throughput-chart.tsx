import { healthSlide } from '../../lib/chart-export.ts';
import { timeAxisTitle } from '../../lib/format.ts';
import { mergeSeries } from '../../lib/metric-view.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { TrendChart } from '../charts/trend-chart.tsx';
import { useDashboardFilters } from '../filters/use-dashboard-filters.ts';
import { Empty } from '../metrics/query-state.tsx';
import type { TeamHealthView } from './team-health-view.ts';

/** Merged PRs per bucket of the dashboard's granularity. */
export function ThroughputChart({ health }: Pick<TeamHealthView, 'health'>) {
  const series = health.throughput.series;
  // The series comes in the dashboard's granularity (the team-health query carries it).
  const { granularity } = useDashboardFilters().filters;
  return (
    <ChartCard
      title="Merged PRs over time"
      slide={healthSlide(
        health,
        'Merged PRs over time',
        `PRs merged per ${granularity}`,
        `n = ${health.throughput.mergedPrs} merged PRs`,
      )}
      csv={{
        header: [`${granularity} starting (UTC, YYYY-MM-DD)`, 'merged PRs (count)'],
        rows: series.map((p) => [p.bucket.slice(0, 10), p.value]),
      }}
    >
      {series.every((p) => !p.value) ? (
        <Empty />
      ) : (
        <TrendChart
          data={mergeSeries([{ key: 'merged', series }])}
          lines={[{ key: 'merged', label: 'Merged PRs' }]}
          unit="count"
          height={220}
          xTitle={timeAxisTitle(granularity)}
          yTitle={`Merged PRs per ${granularity}`}
          span={{ granularity, ...health.period }}
        />
      )}
    </ChartCard>
  );
}
