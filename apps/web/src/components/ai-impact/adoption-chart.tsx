import type { AiImpact } from '@stride/shared';
import { timeAxisTitle } from '../../lib/format.ts';
import { periodText } from '../../lib/period.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { MAX_SERIES, seriesColors, TrendChart, type TrendLine } from '../charts/trend-chart.tsx';

/** Teams per adoption chart besides the organisation's line (each its own colour and dash). */
const TEAMS_PER_CHART = MAX_SERIES - 1;

/** Rows of the adoption chart: per bucket, each line's AI share and its n (classified changes). */
export function adoptionRows(impact: AiImpact, teams: AiImpact['teams']) {
  return impact.adoption.series.map((b, i) => {
    const row: Record<string, string | number | null> = { bucket: b.bucket, org: b.share, 'org:n': b.n };
    for (const t of teams) {
      const point = t.adoption.series[i];
      row[t.slug] = point?.share ?? null;
      row[`${t.slug}:n`] = point?.n ?? 0;
    }
    return row;
  });
}

/**
 * Share of merged changes that are AI-assisted (agent or assisted), per bucket: the organisation
 * and each team (in charts of at most TEAMS_PER_CHART teams). CSV: every bucket and class count.
 */
export function AdoptionCharts({ impact, width }: { impact: AiImpact; width?: number }) {
  const groups: AiImpact['teams'][] = [];
  for (let i = 0; i < Math.max(1, impact.teams.length); i += TEAMS_PER_CHART) {
    groups.push(impact.teams.slice(i, i + TEAMS_PER_CHART));
  }
  const period = periodText(impact.period.from, impact.period.to);
  const csvRows = [
    ...impact.adoption.series.map((b) => [
      'organisation',
      b.bucket,
      b.merged,
      b.agent,
      b.assisted,
      b.none,
      b.unclassified,
      b.n,
      b.share,
    ]),
    ...impact.teams.flatMap((t) =>
      t.adoption.series.map((b) => [
        t.slug,
        b.bucket,
        b.merged,
        b.agent,
        b.assisted,
        b.none,
        b.unclassified,
        b.n,
        b.share,
      ]),
    ),
  ];
  return (
    <>
      {groups.map((teams, index) => {
        const lines: TrendLine[] = [
          { key: 'org', label: 'Organisation', color: seriesColors[MAX_SERIES - 1]!, dash: '' },
          ...teams.map((t) => ({ key: t.slug, label: t.name })),
        ];
        const title =
          groups.length > 1
            ? `AI-assisted share of merged PRs (${index + 1}/${groups.length})`
            : 'AI-assisted share of merged PRs';
        return (
          <ChartCard
            key={title}
            title={title}
            subtitle={`Agent + assisted over classified PRs, per ${impact.granularity} · ${period} · organisation n = ${impact.adoption.n}`}
            slide={{
              title,
              period,
              unit: 'share of classified merged PRs (%)',
              basis: `n = ${impact.adoption.n} classified PRs (${impact.adoption.unclassified} unclassified)`,
              fileName: `ai-adoption-${impact.period.from.slice(0, 10)}-to-${impact.period.to.slice(0, 10)}${groups.length > 1 ? `-${index + 1}` : ''}`,
            }}
            csv={{
              header: [
                'scope',
                'bucket',
                'merged',
                'agent',
                'assisted',
                'none',
                'unclassified',
                'classified_n',
                'ai_share',
              ],
              rows: csvRows,
            }}
          >
            <TrendChart
              data={adoptionRows(impact, teams)}
              lines={lines}
              unit="ratio"
              emphasizeFirst
              width={width}
              noun={['classified PR', 'classified PRs']}
              xTitle={timeAxisTitle(impact.granularity)}
              yTitle="AI-assisted share"
              span={{ granularity: impact.granularity, from: impact.period.from, to: impact.period.to }}
            />
          </ChartCard>
        );
      })}
    </>
  );
}
