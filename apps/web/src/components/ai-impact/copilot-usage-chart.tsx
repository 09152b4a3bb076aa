import type { AiImpact, CopilotUsage } from '@stride/shared';
import { timeAxisTitle } from '../../lib/format.ts';
import { periodText } from '../../lib/period.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { MAX_SERIES, seriesColors, TrendChart, type TrendLine } from '../charts/trend-chart.tsx';

/** Teams per chart besides the organisation's line. */
const TEAMS_PER_CHART = MAX_SERIES - 1;

/**
 * Rows of the Copilot chart: per bucket of the period, each collected scope's mean daily active
 * users and its n (days with metrics). A bucket without metrics stays empty (null): nothing is
 * interpolated.
 */
export function copilotRows(
  impact: AiImpact,
  scopes: readonly { key: string; usage: CopilotUsage }[],
): Record<string, string | number | null>[] {
  return impact.adoption.series.map((b) => {
    const row: Record<string, string | number | null> = { bucket: b.bucket };
    for (const { key, usage } of scopes) {
      const point = usage.series.find((p) => Date.parse(p.bucket) === Date.parse(b.bucket));
      row[key] = point ? point.activeUsersMean : null;
      row[`${key}:n`] = point?.days ?? 0;
    }
    return row;
  });
}

const fmt = (n: number | null, digits = 1) => (n === null ? '–' : n.toFixed(digits));

/**
 * Copilot daily active users (GitHub's Copilot metrics API, mean per day of each bucket) of the
 * organisation and each team whose GitHub team is collected; every scope without metrics is named
 * with why ("not collected"). GitHub gives daily counts only, so no weekly distinct users are shown.
 */
export function CopilotUsageCharts({ impact, width }: { impact: AiImpact; width?: number }) {
  const period = periodText(impact.period.from, impact.period.to);
  const scopes = [
    { key: 'org', name: 'Organisation', usage: impact.copilot },
    ...impact.teams.map((t) => ({ key: t.slug, name: t.name, usage: t.copilot })),
  ];
  const collected = scopes.filter((s) => s.usage.collected);
  const missing = scopes.filter((s) => !s.usage.collected);
  const notCollected = missing.length > 0 && (
    <ul className="copilot-not-collected" data-testid="copilot-not-collected">
      {missing.map((s) => (
        <li key={s.key}>
          <strong>{s.name}</strong>: not collected. {s.usage.note}
        </li>
      ))}
    </ul>
  );
  if (collected.length === 0)
    return (
      <div className="copilot-usage" data-testid="copilot-usage">
        <p>Copilot active users: not collected.</p>
        {notCollected}
      </div>
    );
  const groups: (typeof collected)[] = [];
  const [first, ...rest] = collected;
  const lead = first!.key === 'org' ? [first!] : [];
  const others = first!.key === 'org' ? rest : collected;
  for (let i = 0; i < Math.max(1, others.length); i += TEAMS_PER_CHART)
    groups.push([...lead, ...others.slice(i, i + TEAMS_PER_CHART)]);
  const csvRows = collected.flatMap((s) =>
    s.usage.series.map((b) => [
      s.key === 'org' ? 'organisation' : s.key,
      b.bucket,
      b.days,
      b.activeUsersMean,
      b.activeUsersMax,
      b.engagedUsersMean,
      b.suggestions,
      b.acceptances,
    ]),
  );
  const org = impact.copilot;
  return (
    <div className="copilot-usage" data-testid="copilot-usage">
      {groups.map((group, index) => {
        const lines: TrendLine[] = group.map((s) =>
          s.key === 'org'
            ? { key: 'org', label: 'Organisation', color: seriesColors[MAX_SERIES - 1]!, dash: '' }
            : { key: s.key, label: s.name },
        );
        const title =
          groups.length > 1
            ? `Copilot daily active users (${index + 1}/${groups.length})`
            : 'Copilot daily active users';
        return (
          <ChartCard
            key={title}
            title={title}
            subtitle={`Mean per day, per ${impact.granularity} (GitHub Copilot metrics API) · ${period}${
              org.collected
                ? ` · organisation: ${fmt(org.activeUsersMean)} active, ${fmt(org.engagedUsersMean)} engaged a day over ${org.days} days, ${org.acceptanceRate === null ? '–' : `${(org.acceptanceRate * 100).toFixed(1)} %`} of suggestions accepted`
                : ''
            }`}
            slide={{
              title,
              period,
              unit: 'users a day (mean)',
              basis: `n = days with Copilot metrics; GitHub gives a day only when the team or organisation had 5 or more licences`,
              fileName: `copilot-active-users-${impact.period.from.slice(0, 10)}-to-${impact.period.to.slice(0, 10)}${groups.length > 1 ? `-${index + 1}` : ''}`,
            }}
            csv={{
              header: [
                'scope',
                'bucket',
                'days',
                'active_users_mean',
                'active_users_max',
                'engaged_users_mean',
                'code_suggestions',
                'code_acceptances',
              ],
              rows: csvRows,
            }}
          >
            <TrendChart
              data={copilotRows(impact, group)}
              lines={lines}
              unit="count"
              emphasizeFirst={group[0]!.key === 'org'}
              width={width}
              noun={['day', 'days']}
              xTitle={timeAxisTitle(impact.granularity)}
              yTitle="Active users a day"
              span={{ granularity: impact.granularity, from: impact.period.from, to: impact.period.to }}
            />
          </ChartCard>
        );
      })}
      {notCollected}
    </div>
  );
}
