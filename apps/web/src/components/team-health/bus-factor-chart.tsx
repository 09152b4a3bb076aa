import { Link, useNavigate } from 'react-router-dom';
import { healthSlide } from '../../lib/chart-export.ts';
import { drillHref } from '../../lib/drill.ts';
import { repositoryLabels } from '../../lib/format.ts';
import { BarsChart } from '../charts/bar-chart.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { Empty } from '../metrics/query-state.tsx';
import type { TeamHealthView } from './team-health-view.ts';

/** Bus factor of each repository the team owns, with a link to each repository's merged PRs. */
export function BusFactorChart({ health, team, period, search }: TeamHealthView) {
  const navigate = useNavigate();
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
      slide={healthSlide(
        health,
        'Bus factor by repository',
        'fewest authors who made half of the PRs merged in the last 90 days',
        `n = ${rows.reduce((sum, r) => sum + r.mergedPrs, 0)} merged PRs in ${rows.length} repositories`,
      )}
      csv={{
        header: ['repository', 'bus factor (authors)', 'merged PRs (count)'],
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
            valueTitle="Bus factor (authors)"
            categoryTitle="Repository"
            vertical
            height={Math.max(140, rows.length * 36 + 40)}
            onBarActivate={(row) =>
              navigate(drillHref('changes', { team, repository: String(row.repository) }, period, search))
            }
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
