import type { ChangeItem, DeploymentItem, IncidentItem, Page } from '@stride/shared';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ExternalLink } from '../components/external-link.tsx';
import { useDashboardFilters } from '../components/filters/use-dashboard-filters.ts';
import { ErrorState, Loading } from '../components/metrics/query-state.tsx';
import { requestedText, WaitingOn } from '../components/metrics/waiting-on.tsx';
import { drillListQuery, parseFigureFilters } from '../lib/dashboard-url.ts';
import { drillTabSearch } from '../lib/drill.ts';
import { formatDuration, formatNumber } from '../lib/format.ts';
import { periodText } from '../lib/period.ts';
import { changesCsvUrl, useChanges } from '../queries/use-changes.ts';
import { deploymentsCsvUrl, useDeployments } from '../queries/use-deployments.ts';
import { incidentsCsvUrl, useIncidents } from '../queries/use-incidents.ts';
import { useTeams } from '../queries/use-teams.ts';

interface Column<T> {
  key: string;
  label: string;
  /** The list route's sort key, when the column is sortable. */
  sort?: string;
  render: (item: T) => ReactNode;
}

const time = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');
const external = (url: string | null, text: ReactNode, site: string) => (
  <ExternalLink url={url} site={site}>
    {text}
  </ExternalLink>
);

const incidentSite = (source: string) =>
  source === 'jira' ? 'Jira' : source === 'github' ? 'GitHub' : 'the incident tool';

/** Why a failed deployment failed: the incidents it caused (links), or that it was rolled back. */
function FailureCauses({ deployment }: { deployment: DeploymentItem }) {
  if (!deployment.failed) return <>✓ ok</>;
  return (
    <div data-testid="failure-causes">
      ✖ failed
      <ul className="cause-list">
        {deployment.incidents.map((i) => (
          <li key={i.id} data-testid="caused-incident">
            {external(i.url, i.key ?? `incident ${i.id}`, incidentSite(i.source))}{' '}
            <span className="muted">{i.title}</span>
          </li>
        ))}
        {deployment.rolledBack && <li>rolled back / reverted</li>}
      </ul>
    </div>
  );
}

/** The PRs a deployment shipped, each linking to GitHub; how many more when the list is cut. */
function ShippedPullRequests({ deployment }: { deployment: DeploymentItem }) {
  if (deployment.changes === 0) return <>—</>;
  const more = deployment.changes - deployment.pullRequests.length;
  return (
    <details className="shipped-prs" data-testid="shipped-prs" open={deployment.failed}>
      <summary>
        {formatNumber(deployment.changes)} PR{deployment.changes === 1 ? '' : 's'}
      </summary>
      <ul className="cause-list">
        {deployment.pullRequests.map((pr) => (
          <li key={`${pr.repository}#${pr.number}`} data-testid="shipped-pr">
            {external(pr.url, `${pr.repository}#${pr.number}`, 'GitHub')}{' '}
            <span className="muted">{pr.title}</span>
            {pr.attribution === 'time' && <span className="muted"> (by time)</span>}
          </li>
        ))}
        {more > 0 && <li className="muted">and {formatNumber(more)} more</li>}
      </ul>
    </details>
  );
}

/** The deployment that caused an incident, as people name it: repository, environment, commit, time. */
function CausingDeployment({ incident }: { incident: IncidentItem }) {
  const d = incident.causedBy;
  if (!d) return <>—</>;
  return (
    <span data-testid="causing-deployment">
      {d.repository} → {d.environment}{' '}
      {external(d.url, <code>{d.sha?.slice(0, 7) ?? d.ref ?? 'deployment'}</code>, 'GitHub')}
      <div className="muted">{time(d.deployedAt)} UTC</div>
    </span>
  );
}

const deploymentColumns: Column<DeploymentItem>[] = [
  { key: 'deployedAt', label: 'Deployed (UTC)', sort: 'deployedAt', render: (d) => time(d.deployedAt) },
  { key: 'repository', label: 'Repository', sort: 'repository', render: (d) => d.repository },
  { key: 'environment', label: 'Environment', render: (d) => d.environment },
  {
    key: 'sha',
    label: 'Commit',
    render: (d) => external(d.url, <code>{d.sha?.slice(0, 7) ?? d.id}</code>, 'GitHub'),
  },
  {
    key: 'changes',
    label: 'Shipped PRs',
    sort: 'changes',
    render: (d) => <ShippedPullRequests deployment={d} />,
  },
  { key: 'failed', label: 'Failed / caused', render: (d) => <FailureCauses deployment={d} /> },
  { key: 'unplanned', label: 'Unplanned', render: (d) => (d.unplanned ? '↻ rework' : '—') },
  { key: 'source', label: 'Source', render: (d) => d.source },
];

const changeColumns: Column<ChangeItem>[] = [
  {
    key: 'number',
    label: 'PR',
    sort: 'number',
    render: (c) => external(c.url, `${c.repository}#${c.number}`, 'GitHub'),
  },
  { key: 'title', label: 'Title', render: (c) => c.title },
  { key: 'author', label: 'Author', render: (c) => c.author ?? '—' },
  { key: 'openedAt', label: 'Opened (UTC)', sort: 'openedAt', render: (c) => time(c.openedAt) },
  { key: 'mergedAt', label: 'Merged (UTC)', sort: 'mergedAt', render: (c) => time(c.mergedAt) },
  { key: 'deployedAt', label: 'Deployed (UTC)', sort: 'deployedAt', render: (c) => time(c.deployedAt) },
  {
    key: 'leadTimeSeconds',
    label: 'Lead time',
    sort: 'leadTime',
    render: (c) => `${formatDuration(c.leadTimeSeconds)}${c.attribution === 'time' ? ' (by time)' : ''}`,
  },
  { key: 'size', label: 'Size (lines)', sort: 'size', render: (c) => formatNumber(c.size) },
  // The cycle-time phases of each PR (docs/metrics.md), each sortable: where a PR spent its time.
  { key: 'coding', label: 'Coding', sort: 'codingTime', render: (c) => formatDuration(c.codingSeconds) },
  { key: 'pickup', label: 'Pickup', sort: 'pickupTime', render: (c) => formatDuration(c.pickupSeconds) },
  { key: 'review', label: 'Review', sort: 'reviewTime', render: (c) => formatDuration(c.reviewSeconds) },
  { key: 'deploy', label: 'Deploy', sort: 'deployTime', render: (c) => formatDuration(c.deploySeconds) },
];

/** Open PRs (work in progress, stuck PRs): age, who is asked to review and what each waits on. */
const openChangeColumns: Column<ChangeItem>[] = [
  changeColumns[0]!,
  changeColumns[1]!,
  changeColumns[2]!,
  { key: 'age', label: 'Age', sort: 'openedAt', render: (c) => formatDuration(c.ageSeconds) },
  { key: 'requested', label: 'Requested reviewers', render: (c) => requestedText(c) },
  { key: 'waitingOn', label: 'Waits on', render: (c) => <WaitingOn item={c} /> },
  { key: 'pickup', label: 'Pickup', sort: 'pickupTime', render: (c) => formatDuration(c.pickupSeconds) },
  changeColumns.find((c) => c.key === 'size')!,
];

const incidentColumns: Column<IncidentItem>[] = [
  {
    key: 'key',
    label: 'Incident',
    render: (i) => external(i.url, i.key ?? i.id, i.source === 'jira' ? 'Jira' : 'GitHub'),
  },
  { key: 'title', label: 'Title', render: (i) => i.title },
  { key: 'startedAt', label: 'Started (UTC)', sort: 'startedAt', render: (i) => time(i.startedAt) },
  { key: 'resolvedAt', label: 'Resolved (UTC)', sort: 'resolvedAt', render: (i) => time(i.resolvedAt) },
  {
    key: 'recoverySeconds',
    label: 'Recovery',
    sort: 'recovery',
    render: (i) => formatDuration(i.recoverySeconds),
  },
  { key: 'repository', label: 'Repository', render: (i) => i.repository ?? '—' },
  {
    key: 'causedBy',
    label: 'Caused by deployment',
    render: (i) => <CausingDeployment incident={i} />,
  },
  { key: 'source', label: 'Source', render: (i) => i.source },
];

const titles = { deployments: 'Deployments', changes: 'Pull requests', incidents: 'Incidents' } as const;
type Kind = keyof typeof titles;
const PAGE_SIZE = 50;

/** Drill-down: the deployments, PRs or incidents behind a figure, paginated, sortable, exportable. */
export function DrilldownPage() {
  const { kind: rawKind = 'deployments' } = useParams();
  const kind: Kind = rawKind in titles ? (rawKind as Kind) : 'deployments';
  const { params, search, setDrill } = useDashboardFilters();
  const teams = useTeams();
  const deploymentQuery = drillListQuery(params, 'deployments', PAGE_SIZE);
  const changeQuery = drillListQuery(params, 'changes', PAGE_SIZE);
  const incidentQuery = drillListQuery(params, 'incidents', PAGE_SIZE);
  const query = kind === 'deployments' ? deploymentQuery : kind === 'changes' ? changeQuery : incidentQuery;

  const deployments = useDeployments(deploymentQuery, kind === 'deployments');
  const changes = useChanges(changeQuery, kind === 'changes');
  const incidents = useIncidents(incidentQuery, kind === 'incidents');
  const csvUrl =
    kind === 'deployments'
      ? deploymentsCsvUrl(deploymentQuery)
      : kind === 'changes'
        ? changesCsvUrl(changeQuery)
        : incidentsCsvUrl(incidentQuery);

  const sortBy = (key: string) =>
    setDrill({ sort: key, order: query.sort === key && query.order !== 'asc' ? 'asc' : 'desc', page: 1 });

  // Back to the dashboard with its filters (switching kind: drillTabSearch).
  const backSearch = search;
  // The team by its name, as the overview and the team page call it (its slug until the list loads).
  const teamName = teams.data?.teams.find((t) => t.slug === query.team)?.name ?? query.team;
  const filterText = [
    ...Object.entries({ team: query.team, repository: query.repository }),
    ...Object.entries(parseFigureFilters(params, kind)),
  ]
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} = ${v}`)
    .join(' · ');

  const table = (
    result: {
      data: Page<never> | undefined;
      error: unknown;
      isPending: boolean;
      isFetching: boolean;
      refetch: () => unknown;
    },
    columns: Column<never>[],
  ) => {
    if (result.error) return <ErrorState error={result.error} retry={() => void result.refetch()} />;
    if (result.isPending || !result.data) return <Loading />;
    const data = result.data;
    const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
    return (
      <>
        <p className="muted" aria-live="polite">
          {formatNumber(data.total)} {titles[kind].toLowerCase()}
          {result.isFetching ? ' · updating…' : ''}
        </p>
        {data.items.length === 0 ? (
          <div className="state state-empty">Nothing matches these filters in this period.</div>
        ) : (
          <div className="table-scroll">
            <table className="drill-table" data-testid="drill-table">
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th
                      scope="col"
                      key={c.key}
                      aria-sort={
                        c.sort && query.sort === c.sort
                          ? query.order === 'asc'
                            ? 'ascending'
                            : 'descending'
                          : undefined
                      }
                    >
                      {c.sort ? (
                        <button type="button" className="sort-button" onClick={() => sortBy(c.sort!)}>
                          {c.label} {query.sort === c.sort ? (query.order === 'asc' ? '▲' : '▼') : ''}
                        </button>
                      ) : (
                        c.label
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.items.map((item: { id: string }) => (
                  <tr key={item.id}>
                    {columns.map((c) => (
                      <td key={c.key}>{c.render(item as never)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={data.page <= 1} onClick={() => setDrill({ page: data.page - 1 })}>
            ‹ Previous
          </button>
          <span>
            Page {data.page} of {pages}
          </span>
          <button
            type="button"
            disabled={data.page >= pages}
            onClick={() => setDrill({ page: data.page + 1 })}
          >
            Next ›
          </button>
        </nav>
      </>
    );
  };

  return (
    <main className="page drill-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={`/?${backSearch}`}>Overview</Link>
        {query.team && (
          <>
            {' › '}
            <Link to={`/teams/${encodeURIComponent(query.team)}?${backSearch}`}>{teamName}</Link>
          </>
        )}
        {' › '}
        {titles[kind]}
      </nav>
      <div className="page-title">
        <h1>{titles[kind]}</h1>
        <a className="button" href={csvUrl} download={`${kind}.csv`} data-testid="drill-csv">
          Download CSV
        </a>
      </div>
      <nav className="tabs" aria-label="Item kind">
        {(Object.keys(titles) as Kind[]).map((k) => (
          <Link
            key={k}
            to={`/drill/${k}?${drillTabSearch(params, k)}`}
            aria-current={k === kind ? 'page' : undefined}
          >
            {titles[k]}
          </Link>
        ))}
      </nav>
      <p className="muted">
        {query.from && query.to ? periodText(query.from, query.to) : 'All time'}
        {filterText ? ` · ${filterText}` : ''}
      </p>
      {kind === 'deployments' && table(deployments as never, deploymentColumns as Column<never>[])}
      {kind === 'changes' &&
        table(
          changes as never,
          (changeQuery.state === 'open' ? openChangeColumns : changeColumns) as Column<never>[],
        )}
      {kind === 'incidents' && table(incidents as never, incidentColumns as Column<never>[])}
    </main>
  );
}
