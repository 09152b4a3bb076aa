import { Link } from 'react-router-dom';
import { TrendChart } from '../components/charts/trend-chart.tsx';
import { useDashboardFilters } from '../components/filters/use-dashboard-filters.ts';
import { LevelBadge } from '../components/metrics/level-badge.tsx';
import { ErrorState, Loading } from '../components/metrics/query-state.tsx';
import { TrendArrow } from '../components/metrics/trend-arrow.tsx';
import { periodLabel } from '../lib/change.ts';
import { type DoraMetricKey, doraMetricInfo, doraMetricKeys } from '../lib/format.ts';
import { mergeSeries, viewMetric } from '../lib/metric-view.ts';
import { periodText } from '../lib/period.ts';
import { MIN_SAMPLE_SIZE } from '../lib/sample.ts';
import { useOrgDora } from '../queries/use-org-dora.ts';
import { useTeamsDora } from '../queries/use-team-dora.ts';
import { useTeams } from '../queries/use-teams.ts';

/**
 * Board pack: a print-ready page (A4 landscape, see `@page` in styles.css), one section = one
 * printed page per DORA metric, org first then every team, with the period and the definition
 * footnoted. The browser prints it to PDF.
 */
export function BoardPackPage() {
  const { filters, query, search } = useDashboardFilters();
  const teams = useTeams();
  const org = useOrgDora(query);
  const teamList = teams.data?.teams ?? [];
  const teamDora = useTeamsDora(
    teamList.map((t) => t.slug),
    query,
  );
  const error = teams.error ?? org.error ?? teamDora.find((q) => q.error)?.error;
  const ready = Boolean(teams.data && org.data && teamDora.every((q) => q.data));
  const generated = new Date().toISOString().slice(0, 10);

  return (
    <main className="board-pack" data-ready={ready ? 'true' : 'false'}>
      <div className="no-print board-pack-toolbar">
        <Link to={`/?${search}`}>‹ Back to the overview</Link>
        <button type="button" onClick={() => window.print()} disabled={!ready}>
          Print / save as PDF
        </button>
        <span className="muted">A4 landscape, one page per metric.</span>
      </div>
      {error ? (
        <ErrorState error={error} />
      ) : !ready ? (
        <Loading label="Preparing the board pack…" />
      ) : (
        doraMetricKeys.map((key, index) => (
          <MetricSection
            key={key}
            metric={key}
            index={index}
            org={org.data!}
            teams={teamList.map((t, i) => ({ name: t.name, slug: t.slug, data: teamDora[i]!.data! }))}
            period={periodText(filters.from, filters.to)}
            benchmark={filters.benchmark}
            granularity={filters.granularity}
            generated={generated}
          />
        ))
      )}
    </main>
  );
}

function MetricSection({
  metric,
  index,
  org,
  teams,
  period,
  benchmark,
  granularity,
  generated,
}: {
  metric: DoraMetricKey;
  index: number;
  org: import('@stride/shared').DoraSummary;
  teams: { name: string; slug: string; data: import('@stride/shared').DoraSummary }[];
  period: string;
  benchmark: number;
  granularity: string;
  generated: string;
}) {
  const info = doraMetricInfo[metric];
  const orgView = viewMetric(org.metrics, metric, org.period);
  const views = teams.map((t) => ({ ...t, view: viewMetric(t.data.metrics, metric, t.data.period) }));
  const versus = periodLabel(org.previousPeriod);
  // Teams without data in the period stay in the table but are left off the chart.
  const charted = views.filter((t) => t.view.series.some((p) => p.value !== null && p.n > 0));
  const rows = mergeSeries([
    { key: 'org', series: orgView.series },
    ...charted.map((t) => ({ key: t.slug, series: t.view.series })),
  ]);
  const unit = info.unit;
  return (
    <section className="board-section" data-testid="board-section" aria-labelledby={`bp-${metric}`}>
      <header className="board-section-header">
        <h2 id={`bp-${metric}`}>
          {index + 1}. {info.label}
        </h2>
        <span>
          {period}
          <sup>1</sup> · DORA {benchmark} levels<sup>2</sup>
        </span>
      </header>
      <div className="board-section-body">
        <table className="board-table">
          <thead>
            <tr>
              <th scope="col">Scope</th>
              <th scope="col">Value</th>
              <th scope="col">Level</th>
              <th scope="col">vs {versus}</th>
              <th scope="col">Basis</th>
            </tr>
          </thead>
          <tbody>
            {[{ name: 'Organisation', slug: 'org', view: orgView }, ...views].map((row) => (
              <tr key={row.slug} className={row.slug === 'org' ? 'org-row' : undefined}>
                <th scope="row">{row.name}</th>
                <td className="board-value">{row.view.text}</td>
                <td>
                  <LevelBadge level={row.view.level} tooFew={row.view.tooFew} sample={row.view.sample} />
                </td>
                <td data-testid="board-change">
                  <TrendArrow change={row.view.change} versus={versus} /> (was {row.view.previousText})
                </td>
                <td className="muted" data-testid="board-basis">
                  n = {row.view.sample}: {row.view.detail}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="board-chart">
          <h3>
            Trend by {granularity}
            {metric === 'deploymentFrequency' ? ' (deployments per bucket)' : ''}
          </h3>
          <TrendChart
            data={rows}
            lines={[
              { key: 'org', label: 'Organisation' },
              ...charted.map((t) => ({ key: t.slug, label: t.name })),
            ]}
            unit={metric === 'deploymentFrequency' ? 'count' : unit}
            width={960}
            emphasizeFirst
            noun={orgView.noun}
            span={{ granularity: org.granularity, ...org.period }}
            height={teams.length > 8 ? 180 : teams.length > 4 ? 250 : 320}
          />
        </div>
      </div>
      <footer className="board-footnotes">
        <p>
          <sup>1</sup> Period {period} (UTC, end inclusive); changes compare with the period of the same
          length just before it, {versus}; rates change in percentage points (pp). Levels need at least{' '}
          {MIN_SAMPLE_SIZE} items ("too few" below). Generated {generated} by Stride.
        </p>
        <p>
          <sup>2</sup> <strong>{info.label}</strong>: {info.definition} Levels: {org.reference.source}. Full
          definitions: docs/metrics.md.
        </p>
      </footer>
    </section>
  );
}
