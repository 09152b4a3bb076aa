import { mergeSeries } from '../../lib/metric-view.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { TrendChart } from '../charts/trend-chart.tsx';
import { Empty } from '../metrics/query-state.tsx';
import type { TeamHealthView } from './team-health-view.ts';

/** Merged PRs per bucket of the dashboard's granularity. */
export function ThroughputChart({ health }: Pick<TeamHealthView, 'health'>) {
  const series = health.throughput.series;
  return (
    <ChartCard
      title="Merged PRs over time"
      csv={{ header: ['bucket', 'merged_prs'], rows: series.map((p) => [p.bucket, p.value]) }}
    >
      {series.every((p) => !p.value) ? (
        <Empty />
      ) : (
        <TrendChart
          data={mergeSeries([{ key: 'merged', series }])}
          lines={[{ key: 'merged', label: 'Merged PRs' }]}
          unit="count"
          height={220}
        />
      )}
    </ChartCard>
  );
}
