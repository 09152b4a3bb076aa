import { useNavigate } from 'react-router-dom';
import { healthSlide, percentCell } from '../../lib/chart-export.ts';
import { formatRatio } from '../../lib/format.ts';
import { BarsChart } from '../charts/bar-chart.tsx';
import { useChartOverlays } from '../charts/chart-annotations.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { healthTargets } from '../goals/goal-targets.ts';
import { Empty } from '../metrics/query-state.tsx';
import { changesHref, type TeamHealthView } from './team-health-view.ts';

/**
 * p50 and p90 of the lines changed by the PRs merged in the period, with the share over 400 lines;
 * a bar opens the merged PRs, largest first.
 */
export function PrSizeChart(view: TeamHealthView) {
  const { health } = view;
  const navigate = useNavigate();
  const size = health.prSize;
  // PR size goals (p50 / p90 lines) as lines across the bars; the label names the statistic.
  const targets = healthTargets(useChartOverlays().goals, ['pr_size']);
  return (
    <ChartCard
      title="PR size"
      subtitle={`Lines changed of ${size.n} merged PRs · ${formatRatio(size.over400Share)} over 400 lines`}
      slide={healthSlide(
        health,
        'PR size',
        'lines changed (additions + deletions) per merged PR, p50 and p90',
        `n = ${size.n} merged PRs · ${formatRatio(size.over400Share)} over 400 lines`,
      )}
      csv={{
        header: ['p50 (lines changed)', 'p90 (lines changed)', 'n (merged PRs)', 'over 400 lines (%)'],
        rows: [[size.p50, size.p90, size.n, percentCell(size.over400Share)]],
      }}
    >
      {size.n === 0 ? (
        <Empty>No merged PRs with a known size.</Empty>
      ) : (
        <BarsChart
          data={[
            { stat: 'p50', lines: size.p50 },
            { stat: 'p90', lines: size.p90 },
          ]}
          categoryKey="stat"
          bars={[{ key: 'lines', label: 'Lines changed' }]}
          unit="count"
          valueTitle="Lines changed"
          categoryTitle="Statistic of merged PRs"
          height={220}
          targets={targets}
          onBarActivate={() => navigate(`${changesHref(view, { state: 'merged' })}&sort=size&order=desc`)}
        />
      )}
    </ChartCard>
  );
}
