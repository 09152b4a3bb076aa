import { Link } from 'react-router-dom';
import { BoardSectionHeader } from '../components/board-pack/board-section-header.tsx';
import { doraChartUnit } from '../components/charts/dora-trend-card.tsx';
import {
  MAX_SERIES,
  seriesColors,
  seriesDashes,
  TrendChart,
  type TrendLine,
} from '../components/charts/trend-chart.tsx';
import { useDashboardFilters } from '../components/filters/use-dashboard-filters.ts';
import { BoardPackGoals } from '../components/goals/board-pack-goals.tsx';
import { LevelBadge } from '../components/metrics/level-badge.tsx';
import { ErrorState, Loading } from '../components/metrics/query-state.tsx';
import { TrendArrow } from '../components/metrics/trend-arrow.tsx';
import { periodLabel } from '../lib/change.ts';
import {
  type DoraMetricKey,
  doraAxisTitles,
  doraMetricInfo,
  doraMetricKeys,
  timeAxisTitle,
} from '../lib/format.ts';
import { headlineSeries, mergeSeries, viewMetric } from '../lib/metric-view.ts';
import { periodText } from '../lib/period.ts';
import { MIN_SAMPLE_SIZE } from '../lib/sample.ts';
import { useGoals } from '../queries/use-goals.ts';
import { useOrgDora } from '../queries/use-org-dora.ts';
import { useSyncStatus } from '../queries/use-sync-status.ts';
import { useTeamsDora } from '../queries/use-team-dora.ts';
import { useTeams } from '../queries/use-teams.ts';
import { useTeamsGoals } from '../queries/use-teams-goals.ts';

/** Teams per chart of the board pack: one colour and dash each, none shared with another line. */
export const TEAMS_PER_CHART = MAX_SERIES - 1;
/** Team charts on a continuation page (two side by side). */
const TEAM_CHARTS_PER_PAGE = 2;
/**
 * Table rows (the organisation's included) on a metric's first page, above its charts; the rest
 * of the teams continue on pages of TABLE_ROWS_PER_PAGE rows, each with the table's header. A
 * printed page has a fixed height (styles.css): rows past it would be cut off, not carried over.
 */
export const FIRST_PAGE_ROWS = 10;
export const TABLE_ROWS_PER_PAGE = 20;
/** The organisation's line: black, solid and heavier, on its own chart. */
const ORG_LINE = { color: seriesColors[MAX_SERIES - 1]!, dash: '' };

/**
 * Board pack: a print-ready page (A4 landscape, see `@page` in styles.css), one section = one
 * printed page per DORA metric, with the period and the definition footnoted. The organisation
 * comes first and alone on its chart; teams follow as small multiples of at most TEAMS_PER_CHART
 * lines, each with its own colour and dash, the legend in the order of the lines (more teams
 * continue on further pages). Then the goals page(s): the org's and every team's goals with their
 * status and n. Demo data is marked on every page. The browser prints it to PDF.
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
  const orgGoals = useGoals(undefined, filters);
  const teamGoals = useTeamsGoals(filters);
  const error =
    teams.error ?? org.error ?? teamDora.find((q) => q.error)?.error ?? orgGoals.error ?? teamGoals.error;
  const ready = Boolean(
    teams.data && org.data && teamDora.every((q) => q.data) && orgGoals.data && teamGoals.data,
  );
  const generated = new Date().toISOString().slice(0, 10);
  const demo = useSyncStatus().data?.demo === true;

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
        <>
          {doraMetricKeys.map((key, index) => (
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
              demo={demo}
            />
          ))}
          <BoardPackGoals
            index={doraMetricKeys.length + 1}
            org={orgGoals.data!.goals}
            teams={teamGoals.data!.teams}
            period={periodText(filters.from, filters.to)}
            versus={periodLabel(org.data!.previousPeriod)}
            generated={generated}
            demo={demo}
          />
        </>
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
  demo,
}: {
  metric: DoraMetricKey;
  index: number;
  org: import('@stride/shared').DoraSummary;
  teams: { name: string; slug: string; data: import('@stride/shared').DoraSummary }[];
  period: string;
  benchmark: number;
  granularity: string;
  generated: string;
  demo: boolean;
}) {
  const info = doraMetricInfo[metric];
  const orgView = viewMetric(org.metrics, metric, org.period);
  // Teams without data on this metric sit below the rest (stable: the configured order otherwise).
  const views = teams
    .map((t) => ({ ...t, view: viewMetric(t.data.metrics, metric, t.data.period) }))
    .sort((a, b) => Number(a.view.n === 0) - Number(b.view.n === 0));
  const versus = periodLabel(org.previousPeriod);
  // Teams without data in the period stay in the table but are left off the charts.
  const charted = teams
    .map((t) => ({ ...t, series: headlineSeries(t.data, metric) }))
    .filter((t) => t.series.some((p) => p.value !== null && p.n > 0));
  // Small multiples: each team keeps its colour and dash (its place in its chart) on every page.
  const groups: (typeof charted)[] = [];
  for (let i = 0; i < charted.length; i += TEAMS_PER_CHART)
    groups.push(charted.slice(i, i + TEAMS_PER_CHART));
  const [firstGroup, ...moreGroups] = groups;
  const continuation: (typeof charted)[][] = [];
  for (let i = 0; i < moreGroups.length; i += TEAM_CHARTS_PER_PAGE) {
    continuation.push(moreGroups.slice(i, i + TEAM_CHARTS_PER_PAGE));
  }
  const unit = doraChartUnit(metric);
  const chart = (
    key: string,
    heading: string,
    lines: (TrendLine & { series: import('@stride/shared').SeriesPoint[] })[],
  ) => (
    <div className="board-chart" data-testid="board-chart" data-chart={key} key={key}>
      <h3>{heading}</h3>
      <TrendChart
        data={mergeSeries(lines.map((l) => ({ key: l.key, series: l.series })))}
        lines={lines.map(({ series: _s, ...line }) => line)}
        unit={unit}
        width={470}
        height={250}
        emphasizeFirst={key === 'org'}
        noun={orgView.noun}
        xTitle={timeAxisTitle(org.granularity)}
        yTitle={doraAxisTitles[metric]}
        span={{ granularity: org.granularity, ...org.period }}
      />
    </div>
  );
  const teamChart = (group: typeof charted, at: number) => {
    const first = charted.indexOf(group[0]!) + 1;
    const last = first + group.length - 1;
    return chart(
      `teams-${at}`,
      charted.length > TEAMS_PER_CHART ? `Teams ${first}–${last} of ${charted.length}` : 'Teams',
      group.map((t, i) => ({
        key: t.slug,
        label: t.name,
        color: seriesColors[i]!,
        dash: seriesDashes[i]!,
        series: t.series,
      })),
    );
  };
  const rows = [{ name: 'Organisation', slug: 'org', view: orgView }, ...views];
  const firstRows = rows.slice(0, FIRST_PAGE_ROWS);
  const tablePages: (typeof rows)[] = [];
  for (let i = FIRST_PAGE_ROWS; i < rows.length; i += TABLE_ROWS_PER_PAGE)
    tablePages.push(rows.slice(i, i + TABLE_ROWS_PER_PAGE));
  // On a phone the table scrolls sideways inside its page, never the page itself.
  const table = (pageRows: typeof firstRows) => (
    <div className="table-scroll">
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
          {pageRows.map((row) => (
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
                {row.view.basis}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  const header = (suffix = '') => (
    <BoardSectionHeader
      id={suffix ? undefined : `bp-${metric}`}
      title={
        <>
          {index + 1}. {info.label}
          {suffix}
        </>
      }
      demo={demo}
    >
      <span className="nowrap">
        {period}
        <sup>1</sup>
      </span>{' '}
      · <span className="nowrap">DORA {benchmark} levels</span>
      <sup>2</sup>
    </BoardSectionHeader>
  );
  const footer = (
    <footer className="board-footnotes">
      <p>
        <sup>1</sup> Period {period} (UTC, end inclusive); changes compare with the period of the same length
        just before it, {versus}; rates change in percentage points (pp). Levels need at least{' '}
        {MIN_SAMPLE_SIZE} items ("too few" below). Trends by {granularity}
        {metric === 'deploymentFrequency' ? ', in deployments per week like the headline' : ''}. Generated{' '}
        {generated} by Stride{demo ? ' from demo data' : ''}.
      </p>
      <p>
        <sup>2</sup> <strong>{info.label}</strong>: {info.definition} Levels: {org.reference.source}. Full
        definitions: docs/metrics.md.
      </p>
    </footer>
  );
  return (
    <>
      <section className="board-section" data-testid="board-section" aria-labelledby={`bp-${metric}`}>
        {header()}
        <div className="board-section-body">
          {table(firstRows)}
          <div className="board-charts">
            {chart('org', 'Organisation', [
              { key: 'org', label: 'Organisation', ...ORG_LINE, series: headlineSeries(org, metric) },
            ])}
            {firstGroup && teamChart(firstGroup, 0)}
          </div>
        </div>
        {footer}
      </section>
      {tablePages.map((page, p) => (
        <section className="board-section" data-testid="board-section" key={`table-${page[0]!.slug}`}>
          {header(`, table (continued, ${p + 2} of ${tablePages.length + 1})`)}
          <div className="board-section-body">{table(page)}</div>
          {footer}
        </section>
      ))}
      {continuation.map((page, p) => (
        <section className="board-section" data-testid="board-section" key={page[0]![0]!.slug}>
          {header(', teams (continued)')}
          <div className="board-charts">
            {page.map((group, g) => teamChart(group, 1 + p * TEAM_CHARTS_PER_PAGE + g))}
          </div>
          {footer}
        </section>
      ))}
    </>
  );
}
