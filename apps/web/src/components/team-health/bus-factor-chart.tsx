import { Link } from 'react-router-dom';
import { drillHref } from '../../lib/drill.ts';
import { repositoryLabels } from '../../lib/format.ts';
import { BarsChart } from '../charts/bar-chart.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { Empty } from '../metrics/query-state.tsx';
import type { TeamHealthView } from './team-health-view.ts';

/** Bus factor of each repository the team owns, with a link to each repository's merged PRs. */
export function BusFactorChart({ health, team, period, search }: TeamHealthView) {
  const labels = repositoryLabels(health.busFactor.map((b) => b.repository));
  const rows = health.busFactor.map((b, i) => ({
    repository: b.repository,
    label: labels[i] ?? b.repository,
    busFactor: b.busFactor,
    mergedPrs: b.mergedPrs,
  }));
  return (
    <ChartCard
      title="Bus factor by repository"
      subtitle="Fewest authors who made half of the PRs merged in the last 90 days"
      csv={{
        header: ['repository', 'bus_factor', 'merged_prs'],
        rows: rows.map((r) => [r.repository, r.busFactor, r.mergedPrs]),
      }}
    >
      {rows.length === 0 ? (
        <Empty>No repositories.</Empty>
      ) : (
        <>
          <BarsChart
            data={rows}
            categoryKey="label"
            categoryWidth={Math.min(320, Math.max(80, Math.max(...labels.map((l) => l.length)) * 8 + 16))}
            bars={[{ key: 'busFactor', label: 'Bus factor' }]}
            unit="count"
            vertical
            height={Math.max(140, rows.length * 36 + 40)}
          />
          <ul className="bus-list">
            {rows.map((r) => (
              <li key={r.repository}>
                {r.busFactor === 1 ? '⚠ ' : ''}
                <Link to={drillHref('changes', { team, repository: r.repository }, period, search)}>
                  {r.repository}
                </Link>
                : bus factor {r.busFactor ?? '—'} ({r.mergedPrs} PRs)
              </li>
            ))}
          </ul>
        </>
      )}
    </ChartCard>
  );
}
