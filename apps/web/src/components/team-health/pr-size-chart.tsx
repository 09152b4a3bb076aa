import { formatRatio } from '../../lib/format.ts';
import { BarsChart } from '../charts/bar-chart.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { Empty } from '../metrics/query-state.tsx';
import type { TeamHealthView } from './team-health-view.ts';

/** p50 and p90 of the lines changed by the PRs merged in the period, with the share over 400 lines. */
export function PrSizeChart({ health }: Pick<TeamHealthView, 'health'>) {
  const size = health.prSize;
  return (
    <ChartCard
      title="PR size"
      subtitle={`Lines changed of ${size.n} merged PRs · ${formatRatio(size.over400Share)} over 400 lines`}
      csv={{
        header: ['p50_lines', 'p90_lines', 'n', 'over_400_share'],
        rows: [[size.p50, size.p90, size.n, size.over400Share]],
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
          height={220}
        />
      )}
    </ChartCard>
  );
}
