import { Link, useNavigate } from 'react-router-dom';
import { healthSlide, secondsAndHours } from '../../lib/chart-export.ts';
import { BarsChart } from '../charts/bar-chart.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { Empty } from '../metrics/query-state.tsx';
import { changesHref, type TeamHealthView } from './team-health-view.ts';

const phases = [
  { key: 'coding', label: 'Coding', color: '#0072B2' },
  { key: 'pickup', label: 'Pickup', color: '#E69F00' },
  { key: 'review', label: 'Review', color: '#009E73' },
  { key: 'deploy', label: 'Deploy', color: '#CC79A7' },
] as const;

/**
 * Stacked p50 and p90 of the four cycle-time phases of the PRs merged in the period (seconds);
 * a phase's bar opens the merged PRs, longest in that phase first.
 */
export function CycleTimeChart(view: TeamHealthView) {
  const navigate = useNavigate();
  const ct = view.health.cycleTime;
  const rows = (['p50', 'p90'] as const).map((stat) => ({
    stat,
    coding: ct.coding[stat],
    pickup: ct.pickup[stat],
    review: ct.review[stat],
    deploy: ct.deploy[stat],
  }));
  return (
    <ChartCard
      title="Cycle time phases"
      subtitle="Stacked p50 and p90 of each phase of PRs merged in the period"
      slide={healthSlide(
        view.health,
        'Cycle time phases',
        'time in each phase (coding, pickup, review, deploy), p50 and p90 of the PRs merged in the period',
        `n = ${phases.map((p) => `${ct[p.key].n} PRs with ${p.label.toLowerCase()} time`).join(', ')}`,
      )}
      csv={{
        header: [
          'statistic',
          ...phases.flatMap((p) => [
            `${p.label.toLowerCase()} (seconds)`,
            `${p.label.toLowerCase()} (hours)`,
          ]),
          ...phases.map((p) => `${p.label.toLowerCase()} n (PRs)`),
        ],
        rows: rows.map((r) => [
          r.stat,
          ...phases.flatMap((p) => secondsAndHours(r[p.key])),
          ...phases.map((p) => ct[p.key].n),
        ]),
      }}
      footer={<Link to={changesHref(view, { state: 'merged' })}>Show the PRs</Link>}
    >
      {phases.every((p) => ct[p.key].n === 0) ? (
        <Empty>No merged PRs in this period.</Empty>
      ) : (
        <BarsChart
          data={rows}
          categoryKey="stat"
          bars={phases.map((p) => ({ key: p.key, label: p.label, color: p.color }))}
          unit="seconds"
          valueTitle="Time per phase"
          categoryTitle="Statistic of merged PRs"
          stacked
          height={220}
          onBarActivate={(_row, bar) =>
            navigate(`${changesHref(view, { state: 'merged' })}&sort=${bar.key}Time&order=desc`)
          }
        />
      )}
    </ChartCard>
  );
}
