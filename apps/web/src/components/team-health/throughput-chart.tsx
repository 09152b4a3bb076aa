import { healthSlide } from '../../lib/chart-export.ts';
import { timeAxisTitle } from '../../lib/format.ts';
import { mergeSeries } from '../../lib/metric-view.ts';
import { useChartOverlays, withEventsColumn } from '../charts/chart-annotations.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { TrendChart } from '../charts/trend-chart.tsx';
import { useDashboardFilters } from '../filters/use-dashboard-filters.ts';
import { healthTargets } from '../goals/goal-targets.ts';
import { Empty } from '../metrics/query-state.tsx';
import type { TeamHealthView } from './team-health-view.ts';

/**
 * Merged PRs per bucket of the dashboard's granularity, with the team's merged-PRs-per-week goal:
 * a line by week, a seventh of it by day; by month or quarter (buckets of unequal length) the
 * goal is named under the chart instead of drawn.
 */
export function ThroughputChart({ health }: Pick<TeamHealthView, 'health'>) {
  const series = health.throughput.series;
  // The series comes in the dashboard's granularity (the team-health query carries it).
  const { granularity } = useDashboardFilters().filters;
  const { goals, annotations } = useChartOverlays();
  const goalsOn = healthTargets(goals, ['throughput']);
  const perBucket = granularity === 'week' ? 1 : granularity === 'day' ? 1 / 7 : null;
  const targets =
    perBucket === null
      ? []
      : goalsOn.map((t) => ({
          value: t.value * perBucket,
          label: granularity === 'day' ? `${t.label} (÷ 7 a day)` : t.label,
        }));
  return (
    <ChartCard
      title="Merged PRs over time"
      slide={healthSlide(
        health,
        'Merged PRs over time',
        `PRs merged per ${granularity}`,
        `n = ${health.throughput.mergedPrs} merged PRs`,
      )}
      csv={withEventsColumn(
        {
          header: [`${granularity} starting (UTC, YYYY-MM-DD)`, 'merged PRs (count)'],
          rows: series.map((p) => [p.bucket.slice(0, 10), p.value]),
        },
        annotations,
        health.period.to,
      )}
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
          targets={targets}
        />
      )}
      {perBucket === null &&
        goalsOn.map((t) => (
          <p className="chart-note" key={t.label} data-testid="goal-note">
            {t.label} (drawn by week or day)
          </p>
        ))}
    </ChartCard>
  );
}
