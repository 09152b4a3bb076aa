import { Link, useNavigate } from 'react-router-dom';
import { healthSlide, secondsAndHours } from '../../lib/chart-export.ts';
import { BarsChart } from '../charts/bar-chart.tsx';
import { useChartOverlays } from '../charts/chart-annotations.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { healthTargets } from '../goals/goal-targets.ts';
import { Empty } from '../metrics/query-state.tsx';
import { changesHref, type TeamHealthView } from './team-health-view.ts';

const phases = [
  { key: 'coding', label: 'Coding', color: '#0072B2', metric: 'coding_time' },
  { key: 'pickup', label: 'Pickup', color: '#E69F00', metric: 'pickup_time' },
  { key: 'review', label: 'Review', color: '#009E73', metric: 'review_time' },
  { key: 'deploy', label: 'Deploy', color: '#CC79A7', metric: 'deploy_time' },
] as const;

/**
 * p50 and p90 of the four cycle-time phases of the PRs merged in the period (seconds), stacked;
 * side by side when the team has a goal on a phase, so that each goal's target line (in the
 * phase's colour) reads against its own bar, not against a stack. A phase's bar opens the merged
 * PRs, longest in that phase first.
 */
export function CycleTimeChart(view: TeamHealthView) {
  const navigate = useNavigate();
  const ct = view.health.cycleTime;
  const targets = healthTargets(
    useChartOverlays().goals,
    phases.map((p) => p.metric),
  ).map((t) => ({ ...t, color: phases.find((p) => p.metric === t.metric)!.color }));
  const stacked = targets.length === 0;
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
      subtitle={
        stacked
          ? 'Stacked p50 and p90 of each phase of PRs merged in the period'
          : 'p50 and p90 of each phase of PRs merged in the period, side by side, with the goals'
      }
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
          stacked={stacked}
          height={220}
          targets={targets}
          onBarActivate={(_row, bar) =>
            navigate(`${changesHref(view, { state: 'merged' })}&sort=${bar.key}Time&order=desc`)
          }
        />
      )}
    </ChartCard>
  );
}
