import { Link, useParams } from 'react-router-dom';
import { DoraTrendCard } from '../components/charts/dora-trend-card.tsx';
import { AnnotationFilter } from '../components/filters/annotation-filter.tsx';
import { FilterBar } from '../components/filters/filter-bar.tsx';
import { useDashboardFilters } from '../components/filters/use-dashboard-filters.ts';
import { AgreementViolations } from '../components/goals/agreement-violations.tsx';
import { DigestPreview } from '../components/goals/digest-preview.tsx';
import { GoalStatusList } from '../components/goals/goal-status-list.tsx';
import { RetroGoals } from '../components/goals/retro-goals.tsx';
import { ComparedWith } from '../components/metrics/compared-with.tsx';
import { MetricCell } from '../components/metrics/metric-cell.tsx';
import { QueryState } from '../components/metrics/query-state.tsx';
import { RepositoryDoraTable } from '../components/metrics/repository-dora-table.tsx';
import { RetroComparison } from '../components/metrics/retro-comparison.tsx';
import { HealthCharts } from '../components/team-health/health-charts.tsx';
import { periodLabel } from '../lib/change.ts';
import { drillHref, metricDrillFilters } from '../lib/drill.ts';
import { doraMetricInfo, doraMetricKeys } from '../lib/format.ts';
import { viewMetric } from '../lib/metric-view.ts';
import { teamDoraCsvUrl, useTeamDora } from '../queries/use-team-dora.ts';
import { useTeamHealth } from '../queries/use-team-health.ts';
import { useTeams } from '../queries/use-teams.ts';

/** Team page for an engineering manager: DORA trends and team health, with a retro comparison. */
export function TeamPage() {
  const { team = '' } = useParams();
  const { filters, query, search, retro } = useDashboardFilters();
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
      <AnnotationFilter />
      <GoalStatusList team={team} period={filters} />

      {/* Preparing a retro: its comparison comes first once a retro date is chosen. */}
      {retro && (
        <>
          <RetroComparison team={team} />
          <RetroGoals team={team} />
        </>
      )}

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
                  <DoraTrendCard
                    key={key}
                    summary={data}
                    metric={key}
                    scopeName={info?.name ?? team}
                    scope={scope}
                    title={`${doraMetricInfo[key].label} by ${data.granularity}`}
                    csvUrl={teamDoraCsvUrl(team, query)}
                    csvLabel="All DORA series as CSV (API)"
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

      <section aria-labelledby="agreements-heading">
        <h2 id="agreements-heading">Working agreements</h2>
        <AgreementViolations team={team} period={filters} />
      </section>

      {!retro && (
        <>
          <RetroComparison team={team} />
          <RetroGoals team={team} />
        </>
      )}
      <DigestPreview team={team} />
    </main>
  );
}
