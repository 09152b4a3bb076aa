import type { TeamAiImpact } from '@stride/shared';
import { aiMetricLabels } from '../../lib/ai-impact-view.ts';
import { BarsChart } from '../charts/bar-chart.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { Empty } from '../metrics/query-state.tsx';
import { ComparisonTable } from './comparison-table.tsx';

const PHASES = ['codingTime', 'pickupTime', 'reviewTime', 'deployTime'] as const;

/** The adoption date as words: `from March 2026 (detected: first month with ≥ 25 % AI-assisted PRs)`. */
export function adoptionText(team: TeamAiImpact, share: number): string {
  const { adoptedAt, source } = team.beforeAfter;
  if (!adoptedAt)
    return `not adopted in this period (no month with at least ${Math.round(share * 100)} % AI-assisted PRs)`;
  const when = new Date(adoptedAt).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return source === 'configured'
    ? `from ${when} (configured)`
    : `from ${when} (detected: first month with at least ${Math.round(share * 100)} % AI-assisted PRs)`;
}

/** One team's before/after its adoption: cycle-time phases (p50) as bars, every figure in the table. */
export function BeforeAfterCard({
  team,
  adoptionShare,
  minSamples,
  period,
  onDrill,
}: {
  team: TeamAiImpact;
  adoptionShare: number;
  minSamples: number;
  period: string;
  onDrill?: (group: 'before' | 'after') => void;
}) {
  const comparison = team.beforeAfter.comparison;
  const title = `${team.name}: before and after AI adoption`;
  const rows = comparison
    ? PHASES.map((key) => {
        const m = comparison.metrics.find((x) => x.metric === key)!;
        return {
          phase: aiMetricLabels[key],
          before: m.baseline.value,
          after: m.group.value,
          'before:n': m.baseline.n,
          'after:n': m.group.n,
        };
      })
    : [];
  return (
    <ChartCard
      title={title}
      subtitle={`Adoption ${adoptionText(team, adoptionShare)}`}
      slide={{
        title,
        period,
        unit: 'p50 (hours/days)',
        basis: comparison
          ? `n before ${comparison.metrics[0]!.baseline.n}, after ${comparison.metrics[0]!.group.n} PRs`
          : 'not adopted',
        fileName: `ai-before-after-${team.slug}`,
      }}
      csv={{
        header: [
          'team',
          'figure',
          'before_value',
          'before_n',
          'after_value',
          'after_n',
          'difference',
          'ci95_low',
          'ci95_high',
          'enough_data',
        ],
        rows: (comparison?.metrics ?? []).map((m) => [
          team.slug,
          m.metric,
          m.baseline.value,
          m.baseline.n,
          m.group.value,
          m.group.n,
          m.difference,
          m.low,
          m.high,
          m.enoughData,
        ]),
      }}
    >
      {comparison ? (
        <>
          <BarsChart
            data={rows}
            categoryKey="phase"
            bars={[
              { key: 'before', label: 'Before adoption (p50)' },
              { key: 'after', label: 'After adoption (p50)' },
            ]}
            unit="seconds"
            valueTitle="Time p50"
            categoryTitle="Phase"
            height={220}
          />
          <ComparisonTable
            metrics={comparison.metrics}
            minSamples={minSamples}
            labels={{ group: 'After', baseline: 'Before' }}
            caption={`${team.name}: all PRs merged after vs before adoption`}
            onDrill={onDrill ? (side) => onDrill(side === 'group' ? 'after' : 'before') : undefined}
          />
        </>
      ) : (
        <Empty>No adoption date in this period: no before/after.</Empty>
      )}
    </ChartCard>
  );
}
