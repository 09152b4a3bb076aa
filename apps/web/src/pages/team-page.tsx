import type { DoraSummary, TeamHealth } from '@stride/shared';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { BarsChart } from '../components/charts/bar-chart.tsx';
import { ChartCard } from '../components/charts/chart-card.tsx';
import { TrendChart } from '../components/charts/trend-chart.tsx';
import { FilterBar } from '../components/filters/filter-bar.tsx';
import { useDashboardFilters } from '../components/filters/use-dashboard-filters.ts';
import { ComparedWith } from '../components/metrics/compared-with.tsx';
import { MetricCell } from '../components/metrics/metric-cell.tsx';
import { Empty, QueryState } from '../components/metrics/query-state.tsx';
import { RepositoryDoraTable } from '../components/metrics/repository-dora-table.tsx';
import { RetroComparison } from '../components/metrics/retro-comparison.tsx';
import { periodLabel } from '../lib/change.ts';
import type { ChangeFigureFilters } from '../lib/dashboard-url.ts';
import { bucketPeriod, drillHref, metricDrillFilters } from '../lib/drill.ts';
import {
  doraMetricInfo,
  doraMetricKeys,
  formatDuration,
  formatNumber,
  formatPerContributor,
  formatRatio,
  repositoryLabels,
  sizeBandInfo,
} from '../lib/format.ts';
import { mergeSeries, viewMetric } from '../lib/metric-view.ts';
import { teamDoraCsvUrl, useTeamDora } from '../queries/use-team-dora.ts';
import { useTeamHealth } from '../queries/use-team-health.ts';
import { useTeams } from '../queries/use-teams.ts';

const phases = [
  { key: 'coding', label: 'Coding', color: '#0072B2' },
  { key: 'pickup', label: 'Pickup', color: '#E69F00' },
  { key: 'review', label: 'Review', color: '#009E73' },
  { key: 'deploy', label: 'Deploy', color: '#CC79A7' },
] as const;

/** Team page for an engineering manager: DORA trends and team health, with a retro comparison. */
export function TeamPage() {
  const { team = '' } = useParams();
  const { filters, query, search } = useDashboardFilters();
  const teams = useTeams();
  const dora = useTeamDora(team, query);
  const health = useTeamHealth(team, filters);
  const info = teams.data?.teams.find((t) => t.slug === team);
  const scope = { team };

  return (
    <main className="page team-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={`/?${search}`}>Overview</Link> › {info?.name ?? team}
      </nav>
      <div className="page-title">
        <h1>{info?.name ?? team}</h1>
        {info && (
          <span className="muted">
            {info.repositories.length} repositories · Jira {info.jiraProjects.join(', ') || '—'} ·{' '}
            {info.timezone}
          </span>
        )}
      </div>
      <FilterBar />

      <section aria-labelledby="dora-heading">
        <h2 id="dora-heading">DORA metrics</h2>
        <QueryState query={dora}>
          {(data) => (
            <>
              <ComparedWith summary={data} />
              <div className="metric-tiles">
                {doraMetricKeys.map((key) => {
                  const view = viewMetric(data.metrics, key, data.period);
                  return (
                    <div className="metric-tile" key={key}>
                      <h3>{view.label}</h3>
                      <MetricCell
                        view={view}
                        span={{ granularity: data.granularity, ...data.period }}
                        versus={periodLabel(data.previousPeriod)}
                        drillHref={drillHref(
                          doraMetricInfo[key].drill,
                          scope,
                          filters,
                          search,
                          metricDrillFilters[key],
                        )}
                      />
                      <p className="muted">{view.detail}</p>
                    </div>
                  );
                })}
              </div>
              <div className="chart-grid">
                {doraMetricKeys.map((key) => (
                  <DoraTrend
                    key={key}
                    data={data}
                    metric={key}
                    csvUrl={teamDoraCsvUrl(team, query)}
                    team={team}
                  />
                ))}
              </div>
            </>
          )}
        </QueryState>
      </section>

      <RepositoryDoraTable
        repositories={info?.repositories ?? []}
        query={query}
        period={filters}
        search={search}
      />

      <section aria-labelledby="health-heading">
        <h2 id="health-heading">Team health</h2>
        <QueryState query={health}>
          {(data) => <HealthCharts health={data} team={team} period={filters} search={search} />}
        </QueryState>
      </section>

      <RetroComparison team={team} />
    </main>
  );
}

function DoraTrend({
  data,
  metric,
  csvUrl,
  team,
}: {
  data: DoraSummary;
  metric: (typeof doraMetricKeys)[number];
  csvUrl: string;
  team: string;
}) {
  const navigate = useNavigate();
  const { search } = useDashboardFilters();
  const view = viewMetric(data.metrics, metric, data.period);
  const info = doraMetricInfo[metric];
  const rows = mergeSeries([{ key: 'value', series: view.series }]);
  return (
    <ChartCard
      title={`${info.label} by ${data.granularity}`}
      subtitle={`${view.text}, ${view.change.label} vs ${periodLabel(data.previousPeriod)} (was ${view.previousText}) · ${view.detail} · click a point for its items`}
      csv={{ header: ['bucket', info.label, 'n'], rows: view.series.map((p) => [p.bucket, p.value, p.n]) }}
      footer={
        <a href={csvUrl} download>
          All DORA series as CSV (API)
        </a>
      }
    >
      {view.series.every((p) => p.value === null || p.n === 0) ? (
        <Empty />
      ) : (
        <TrendChart
          data={rows}
          lines={[{ key: 'value', label: info.label }]}
          unit={info.unit}
          height={200}
          noun={view.noun}
          span={{ granularity: data.granularity, ...data.period }}
          onBucketClick={(bucket) =>
            navigate(
              drillHref(
                info.drill,
                { team },
                bucketPeriod(bucket, data.granularity, data.period),
                search,
                metricDrillFilters[metric],
              ),
            )
          }
        />
      )}
    </ChartCard>
  );
}

function HealthCharts({
  health,
  team,
  period,
  search,
}: {
  health: TeamHealth;
  team: string;
  period: { from: string; to: string };
  search: string;
}) {
  const ct = health.cycleTime;
  const cycleRows = (['p50', 'p90'] as const).map((stat) => ({
    stat,
    coding: ct.coding[stat],
    pickup: ct.pickup[stat],
    review: ct.review[stat],
    deploy: ct.deploy[stat],
  }));
  const busLabels = repositoryLabels(health.busFactor.map((b) => b.repository));
  const busRows = health.busFactor.map((b, i) => ({
    repository: b.repository,
    label: busLabels[i] ?? b.repository,
    busFactor: b.busFactor,
    mergedPrs: b.mergedPrs,
  }));
  const throughputRows = mergeSeries([{ key: 'merged', series: health.throughput.series }]);
  const band = sizeBandInfo[health.teamSize.band];
  const changesHref = (filters: ChangeFigureFilters = {}) =>
    drillHref('changes', { team }, period, search, filters);
  const incidentsHref = drillHref('incidents', { team }, period, search);

  return (
    <>
      <div className="metric-tiles health-tiles">
        <Tile title="Team size" testId="team-size">
          <strong>{health.teamSize.members}</strong> members ·{' '}
          <span className={`band band-${health.teamSize.band}`}>
            {health.teamSize.band === 'fragile' || health.teamSize.band === 'large' ? '⚠ ' : ''}
            {band.label}
          </span>{' '}
          <span className="muted">({band.hint})</span>
          <div className="muted">{health.teamSize.activeContributors} active contributors</div>
        </Tile>
        <Tile title="Work in progress">
          <Link to={changesHref({ state: 'open' })}>
            <strong>{health.workInProgress.open}</strong> open PRs
          </Link>
          <div>
            <Link to={changesHref({ state: 'open', stale: true })}>
              {health.workInProgress.stale > 0 ? '⚠ ' : ''}
              {health.workInProgress.stale} stale (open &gt; 7 days)
            </Link>
          </div>
        </Tile>
        <Tile title="Review load spread">
          <strong>{formatNumber(health.reviewLoad.reviews)}</strong> reviews · busiest reviewer{' '}
          <strong>{formatRatio(health.reviewLoad.busiestReviewerShare)}</strong>
          <div>
            <Link to={changesHref({ state: 'merged', reviewed: false })}>
              {health.reviewLoad.mergedWithoutReview} merged without review
            </Link>
          </div>
        </Tile>
        <Tile title="Throughput">
          <Link to={changesHref({ state: 'merged' })}>
            <strong>{formatNumber(health.throughput.mergedPrs)}</strong> merged PRs
          </Link>{' '}
          · {formatNumber(health.throughput.perWeek, 1)}/week ·{' '}
          {formatPerContributor(health.throughput.perContributorPerWeek, health.teamSize.activeContributors)}
          /contributor/week
        </Tile>
        <Tile title="Unplanned work">
          <strong>{formatRatio(health.unplannedWork.ratio)}</strong>
          <div className="muted">
            {health.unplannedWork.unplanned} bug/incident issues of {health.unplannedWork.resolved} resolved
          </div>
        </Tile>
        <Tile title="Incidents">
          <Link to={incidentsHref}>
            <strong>{health.incidentLoad.incidents}</strong> incidents
          </Link>{' '}
          · {formatNumber(health.incidentLoad.perWeek, 1)}/week
          <div className="muted">
            recovery p50 {formatDuration(health.incidentLoad.recovery.p50)}, p90{' '}
            {formatDuration(health.incidentLoad.recovery.p90)}
          </div>
        </Tile>
        <Tile title="Out-of-hours work">
          <strong>{formatRatio(health.outOfHours.share)}</strong>
          <div className="muted">of {health.outOfHours.commits} commits</div>
        </Tile>
      </div>

      <div className="chart-grid">
        <ChartCard
          title="Cycle time phases"
          subtitle="Stacked p50 and p90 of each phase of PRs merged in the period"
          csv={{
            header: ['statistic', 'coding_seconds', 'pickup_seconds', 'review_seconds', 'deploy_seconds'],
            rows: cycleRows.map((r) => [r.stat, r.coding, r.pickup, r.review, r.deploy]),
          }}
          footer={<Link to={changesHref({ state: 'merged' })}>Show the PRs</Link>}
        >
          {phases.every((p) => ct[p.key].n === 0) ? (
            <Empty>No merged PRs in this period.</Empty>
          ) : (
            <BarsChart
              data={cycleRows}
              categoryKey="stat"
              bars={phases.map((p) => ({ key: p.key, label: p.label, color: p.color }))}
              unit="seconds"
              stacked
              height={220}
            />
          )}
        </ChartCard>

        <ChartCard
          title="PR size"
          subtitle={`Lines changed of ${health.prSize.n} merged PRs · ${formatRatio(health.prSize.over400Share)} over 400 lines`}
          csv={{
            header: ['p50_lines', 'p90_lines', 'n', 'over_400_share'],
            rows: [[health.prSize.p50, health.prSize.p90, health.prSize.n, health.prSize.over400Share]],
          }}
        >
          {health.prSize.n === 0 ? (
            <Empty>No merged PRs with a known size.</Empty>
          ) : (
            <BarsChart
              data={[
                { stat: 'p50', lines: health.prSize.p50 },
                { stat: 'p90', lines: health.prSize.p90 },
              ]}
              categoryKey="stat"
              bars={[{ key: 'lines', label: 'Lines changed' }]}
              unit="count"
              height={220}
            />
          )}
        </ChartCard>

        <ChartCard
          title="Merged PRs over time"
          csv={{
            header: ['bucket', 'merged_prs'],
            rows: health.throughput.series.map((p) => [p.bucket, p.value]),
          }}
        >
          {health.throughput.series.every((p) => !p.value) ? (
            <Empty />
          ) : (
            <TrendChart
              data={throughputRows}
              lines={[{ key: 'merged', label: 'Merged PRs' }]}
              unit="count"
              height={220}
            />
          )}
        </ChartCard>

        <ChartCard
          title="Bus factor by repository"
          subtitle="Fewest authors who made half of the PRs merged in the last 90 days"
          csv={{
            header: ['repository', 'bus_factor', 'merged_prs'],
            rows: busRows.map((r) => [r.repository, r.busFactor, r.mergedPrs]),
          }}
        >
          {busRows.length === 0 ? (
            <Empty>No repositories.</Empty>
          ) : (
            <>
              <BarsChart
                data={busRows}
                categoryKey="label"
                categoryWidth={Math.min(
                  320,
                  Math.max(80, Math.max(...busLabels.map((l) => l.length)) * 8 + 16),
                )}
                bars={[{ key: 'busFactor', label: 'Bus factor' }]}
                unit="count"
                vertical
                height={Math.max(140, busRows.length * 36 + 40)}
              />
              <ul className="bus-list">
                {busRows.map((r) => (
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
      </div>
    </>
  );
}

function Tile({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="metric-tile" data-testid={testId}>
      <h3>{title}</h3>
      <div>{children}</div>
    </div>
  );
}
