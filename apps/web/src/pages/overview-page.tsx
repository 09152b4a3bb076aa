import type { DoraSummary, TeamSummary } from '@stride/shared';
import { memo, useMemo, useRef } from 'react';
import { Link } from 'react-router-dom';
import { DoraTrendCard } from '../components/charts/dora-trend-card.tsx';
import { AnnotationFilter } from '../components/filters/annotation-filter.tsx';
import { FilterBar } from '../components/filters/filter-bar.tsx';
import { useDashboardFilters } from '../components/filters/use-dashboard-filters.ts';
import { DigestPreview } from '../components/goals/digest-preview.tsx';
import { GoalStatusList } from '../components/goals/goal-status-list.tsx';
import { TeamGoalsTable } from '../components/goals/team-goals-table.tsx';
import { BenchmarkStrip } from '../components/metrics/benchmark-strip.tsx';
import { ComparedWith } from '../components/metrics/compared-with.tsx';
import {
  type ColumnSort,
  DoraCells,
  DoraHeaderCells,
  SortableHeader,
} from '../components/metrics/dora-cells.tsx';
import { Empty, ErrorState, Loading, QueryState } from '../components/metrics/query-state.tsx';
import { useNearViewport } from '../components/metrics/use-near-viewport.ts';
import { apiUrl } from '../lib/api-client.ts';
import { periodLabel } from '../lib/change.ts';
import { type DoraMetricKey, doraMetricInfo, doraMetricKeys } from '../lib/format.ts';
import { orderTeamRows } from '../lib/team-table.ts';
import { useOrgDora } from '../queries/use-org-dora.ts';
import { useTeamsDora } from '../queries/use-team-dora.ts';
import { useTeams } from '../queries/use-teams.ts';

/**
 * Org overview for a Head of Engineering: the org's goals, every team's five DORA metrics, the
 * team goals (status per team with n), org trends.
 */
export function OverviewPage() {
  // Compare teams on the trend charts (in the URL like every other view setting).
  const { filters, query, search, compare, setCompare, teamTable, setTeamTable } = useDashboardFilters();
  const teams = useTeams();
  const org = useOrgDora(query);
  // Stable across renders (rows and charts are memoised: the page re-renders as each answer
  // arrives, and redrawing 50 rows and five charts each time was most of a cold load's script).
  const teamList = useMemo(() => teams.data?.teams ?? [], [teams.data]);
  const slugs = useMemo(() => teamList.map((t) => t.slug), [teamList]);
  const teamDora = useTeamsDora(slugs, query, compactAnswer);
  const compared = useMemo(
    () =>
      compare
        ? teamList.flatMap((t, i) => {
            const team = teamDora[i]?.data;
            return team ? [{ slug: t.slug, name: t.name, data: team }] : [];
          })
        : noTeams,
    [compare, teamList, teamDora],
  );
  const rows = orderTeamRows(
    teamList.map((team, i) => ({ team, summary: teamDora[i]?.data, result: teamDora[i]! })),
    teamTable,
  );
  // A first click sorts a column ascending (names A–Z, values low to high), the next reverses it.
  const sort: ColumnSort<DoraMetricKey | 'team'> = {
    key: teamTable.sort,
    order: teamTable.order,
    onSort: (key) =>
      setTeamTable({
        sort: key,
        order: teamTable.sort === key && teamTable.order === 'asc' ? 'desc' : 'asc',
      }),
  };
  const loaded = teamDora.every((r) => r.data !== undefined);

  return (
    <main className="page overview-page">
      <div className="page-title">
        <h1>Engineering overview</h1>
        <Link className="button" to={`/board-pack?${search}`}>
          Board pack (print / PDF)
        </Link>
      </div>
      <FilterBar />
      <AnnotationFilter />
      <GoalStatusList period={filters} title="Org goals" compact />
      <section aria-labelledby="teams-heading">
        <h2 id="teams-heading">DORA metrics by team</h2>
        {org.data && <ComparedWith summary={org.data} />}
        <div className="table-tools">
          <label>
            <input
              type="checkbox"
              checked={teamTable.worseOnly}
              onChange={(e) => setTeamTable({ worseOnly: e.target.checked })}
            />{' '}
            Got worse only
          </label>
          {teamTable.worseOnly && loaded && (
            <span className="muted" data-testid="worse-count" aria-live="polite">
              {rows.length} of {teamList.length} teams got worse on at least one metric
              {org.data ? ` vs ${periodLabel(org.data.previousPeriod)}` : ''}
            </span>
          )}
          {teamTable.sort && (
            <button
              type="button"
              className="link-button"
              onClick={() => setTeamTable({ sort: undefined, order: 'asc' })}
            >
              Configured order
            </button>
          )}
        </div>
        {teams.error ? (
          <ErrorState error={teams.error} retry={() => void teams.refetch()} />
        ) : teams.isPending ? (
          <Loading />
        ) : teamList.length === 0 ? (
          <Empty>No teams are configured. Add teams to stride.config.yaml.</Empty>
        ) : (
          <div className="table-scroll">
            <table className="dora-table" data-testid="dora-table">
              <thead>
                <tr>
                  <SortableHeader column="team" label="Team" sort={sort} />
                  <DoraHeaderCells sort={sort} />
                </tr>
              </thead>
              <tbody>
                <DoraRow
                  name="Organisation"
                  result={org}
                  search={search}
                  period={filters}
                  className="org-row"
                />
                {rows.map(({ team, result }, i) => (
                  <DoraRow
                    key={team.slug}
                    name={team.name}
                    team={team}
                    result={result}
                    search={search}
                    period={filters}
                    firstScreen={i < FIRST_SCREEN_ROWS}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <TeamGoalsTable period={filters} search={search} />
      {/* The org trend charts (below the table) draw as soon as the org's answer and the charts'
          chunk are in. Deferring them to an idle moment after the first screen (up to 1 s) put
          "all charts drawn" seconds after the rows on a busy machine (docs/benchmarks.md). */}
      <section aria-labelledby="org-trends-heading">
        <div className="section-title">
          <h2 id="org-trends-heading">Organisation trends by {filters.granularity}</h2>
          <label>
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} /> Compare
            teams
          </label>
        </div>
        <QueryState query={org}>
          {(data) => (
            <>
              <div className="chart-grid">
                {doraMetricKeys.map((key) => (
                  <DoraTrendCard
                    key={key}
                    summary={data}
                    metric={key}
                    scopeName="Organisation"
                    scope={orgScope}
                    title={`Organisation ${doraMetricInfo[key].label.toLowerCase()}`}
                    csvUrl={apiUrl('/api/org/dora.csv', { query })}
                    csvLabel="All metrics as CSV (API)"
                    teams={compared}
                  />
                ))}
              </div>
              <BenchmarkStrip reference={data.reference} year={data.benchmark} />
            </>
          )}
        </QueryState>
      </section>
      <DigestPreview />
    </main>
  );
}

const orgScope = {};
// Rows drawn in the first render, without waiting for the viewport observer: more than fit on a
// 1440x900 first screen (about 8 below the filters and goals). The rest draw as they near the
// viewport (useNearViewport), so an organisation of 300 teams does not draw 1,500 cells up front.
const FIRST_SCREEN_ROWS = 20;
const noTeams: never[] = [];
// The table's compact answer (series without p90), a stable options object.
const compactAnswer = { compact: true };

/**
 * One row of the table: a team's (or, without `team`, the organisation's) five DORA cells. The
 * name is always there (sorting, find in page); the cells are drawn once the row nears the
 * viewport (or at once with `firstScreen`), an empty placeholder of a row's height until then.
 */
const DoraRow = memo(function DoraRow({
  name,
  team,
  result,
  search,
  period,
  className,
  firstScreen = true,
}: {
  name: string;
  team?: TeamSummary;
  result: { data: DoraSummary | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  search: string;
  period: { from: string; to: string };
  className?: string;
  firstScreen?: boolean;
}) {
  const ref = useRef<HTMLTableRowElement>(null);
  const near = useNearViewport(ref, firstScreen);
  return (
    <tr ref={ref} className={className} data-team={team?.slug ?? 'org'}>
      <th scope="row">
        {team ? <Link to={`/teams/${encodeURIComponent(team.slug)}?${search}`}>{name}</Link> : name}
        {team && <div className="muted">{team.members} members</div>}
      </th>
      {near ? (
        <DoraCells
          result={result}
          scope={team ? { team: team.slug } : orgScope}
          period={period}
          search={search}
        />
      ) : (
        <td colSpan={doraMetricKeys.length} className="row-deferred" />
      )}
    </tr>
  );
});
