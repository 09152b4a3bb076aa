import type { DoraSummary } from '@stride/shared';
import { memo } from 'react';
import { useNavigate } from 'react-router-dom';
import { periodLabel } from '../../lib/change.ts';
import { doraTrendCsv, doraUnitText, exportFileName, slidePeriod } from '../../lib/chart-export.ts';
import { bucketPeriod, drillHref, metricDrillFilters } from '../../lib/drill.ts';
import {
  type DoraMetricKey,
  doraAxisTitles,
  doraMetricInfo,
  formatValue,
  timeAxisTitle,
} from '../../lib/format.ts';
import { headlineSeries, mergeSeries, viewMetric } from '../../lib/metric-view.ts';
import { useDashboardFilters } from '../filters/use-dashboard-filters.ts';
import { doraTargets } from '../goals/goal-targets.ts';
import { Empty } from '../metrics/query-state.tsx';
import { useChartOverlays, withEventsColumn } from './chart-annotations.tsx';
import { ChartCard } from './chart-card.tsx';
import { TrendChart } from './lazy-charts.tsx';
import { MAX_SERIES } from './series-style.ts';

/** The value unit a DORA trend is drawn in (deployment frequency per week, like its headline). */
export const doraChartUnit = (metric: DoraMetricKey) =>
  metric === 'deploymentFrequency' ? ('count' as const) : doraMetricInfo[metric].unit;

/**
 * One DORA metric's trend of one scope (the organisation or a team) as an exportable chart card:
 * axes titled with units, deployment frequency per week like its headline, a slide for PNG/SVG
 * (period with year, unit, n, source line) and a CSV with units in its header. A click on a
 * point drills down into that bucket's items within `scope`.
 * @param teams teams drawn beside the scope (compare mode); those without data are left off
 * Memoised: pages re-render as each answer arrives, and a Recharts chart is costly to redraw;
 * give it stable props (the same `scope` and `teams` objects) to skip those redraws.
 */
export const DoraTrendCard = memo(function DoraTrendCard({
  summary,
  metric,
  scopeName,
  scope,
  title,
  csvUrl,
  csvLabel,
  teams = [],
}: {
  summary: DoraSummary;
  metric: DoraMetricKey;
  /** `Organisation` or the team's name: the slide's and file's scope. */
  scopeName: string;
  scope: { team?: string };
  title: string;
  csvUrl: string;
  csvLabel: string;
  teams?: { slug: string; name: string; data: DoraSummary }[];
}) {
  const navigate = useNavigate();
  const { search } = useDashboardFilters();
  const { goals, annotations } = useChartOverlays();
  const view = viewMetric(summary.metrics, metric, summary.period);
  const info = doraMetricInfo[metric];
  const series = headlineSeries(summary, metric);
  const withData = teams
    .map((t) => ({ ...t, series: headlineSeries(t.data, metric) }))
    .filter((t) => t.series.some((p) => p.value !== null && p.n > 0));
  // One colour and dash per line: beside the scope, at most MAX_SERIES − 1 teams (the board pack
  // draws every team, six to a chart).
  const teamViews = withData.slice(0, MAX_SERIES - 1);
  const leftOff = withData.length - teamViews.length;
  const rows = mergeSeries([
    { key: 'value', series },
    ...teamViews.map((t) => ({ key: `team:${t.slug}`, series: t.series })),
  ]);
  const lines = [
    { key: 'value', label: scopeName },
    ...teamViews.map((t) => ({ key: `team:${t.slug}`, label: t.name })),
  ];
  const unit = doraChartUnit(metric);
  const versus = periodLabel(summary.previousPeriod);
  return (
    <ChartCard
      title={title}
      subtitle={`${view.text}, ${view.change.label} vs ${versus} (was ${view.previousText}) · ${view.basis}`}
      hint="Click a point for its items."
      slide={{
        title: `${title}: ${view.text}, ${view.change.label} (was ${view.previousText})`,
        period: slidePeriod(summary.period, summary.previousPeriod),
        unit: doraUnitText[metric],
        basis: view.basis,
        fileName: exportFileName(scopeName, info.label, summary.period),
      }}
      csv={withEventsColumn(
        doraTrendCsv(
          metric,
          summary.granularity,
          [{ label: scopeName, series }, ...teamViews.map((t) => ({ label: t.name, series: t.series }))],
          view.noun,
        ),
        annotations,
        summary.period.to,
      )}
      footer={
        <a href={csvUrl} download>
          {csvLabel}
        </a>
      }
    >
      {series.every((p) => p.value === null || p.n === 0) ? (
        <Empty />
      ) : (
        <TrendChart
          data={rows}
          lines={lines}
          unit={unit}
          height={teamViews.length > 0 ? 280 : 230}
          emphasizeFirst={teamViews.length > 0}
          noun={view.noun}
          xTitle={timeAxisTitle(summary.granularity)}
          yTitle={doraAxisTitles[metric]}
          targets={doraTargets(goals, metric)}
          span={{ granularity: summary.granularity, ...summary.period }}
          onBucketClick={(bucket) =>
            navigate(
              drillHref(
                info.drill,
                scope,
                bucketPeriod(bucket, summary.granularity, summary.period),
                search,
                metricDrillFilters[metric],
              ),
            )
          }
        />
      )}
      {leftOff > 0 && (
        <p className="chart-note" data-testid="compare-note">
          The first {teamViews.length} of {withData.length} teams with data are drawn; the board pack shows
          every team.
        </p>
      )}
      <p className="sr-only">
        Latest values:{' '}
        {series
          .slice(-3)
          .map((p) => formatValue(unit, p.value))
          .join(', ')}
      </p>
    </ChartCard>
  );
});
