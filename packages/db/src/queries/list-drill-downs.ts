import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../connection.ts';
import {
  changeInScope,
  deploymentFailed,
  deploymentInScope,
  incidentInScope,
  isTeamMemberAt,
  type MetricScope,
  mergedIntoDefaultBranch,
} from './metric-scope.ts';

/** Paging and ordering of a drill-down list; `sort` is one of the list's sort keys. */
export interface ListWindow {
  limit: number;
  offset: number;
  sort: string;
  order: 'asc' | 'desc';
}

export interface ListResult<Row> {
  rows: Row[];
  total: number;
}

function orderBy(window: ListWindow, columns: Record<string, string>, tieBreak: string): RawBuilder<unknown> {
  const column = columns[window.sort];
  if (!column) throw new Error(`unknown sort key ${window.sort}`);
  const direction = window.order === 'asc' ? 'asc' : 'desc';
  return sql.raw(`order by ${column} ${direction} nulls last, ${tieBreak} ${direction}`);
}

const flag = (value: boolean | undefined, expr: RawBuilder<boolean>) =>
  value === undefined ? sql`` : value ? sql`and ${expr}` : sql`and not ${expr}`;

/** Runs a page query (rows carry `count(*) over ()` as total); a page past the end still gets the total. */
async function paged<Row>(
  db: Db,
  window: ListWindow,
  query: (limit: number, offset: number) => RawBuilder<Row & { total: number }>,
): Promise<ListResult<Row>> {
  let result = await query(window.limit, window.offset).execute(db);
  const rows = result.rows.map(({ total: _t, ...row }) => row as Row);
  if (result.rows.length === 0 && window.offset > 0) result = await query(1, 0).execute(db);
  return { rows, total: Number(result.rows[0]?.total ?? 0) };
}

export const DEPLOYMENT_SORT_KEYS = {
  deployedAt: 'd.deployed_at',
  repository: 'r.full_name',
  changes: 'changes',
};

export interface DeploymentListRow {
  id: string;
  repository: string;
  team: string | null;
  source: string;
  environment: string;
  sha: string | null;
  deployedAt: Date;
  failed: boolean;
  unplanned: boolean;
  changes: number;
  url: string | null;
}

/**
 * The production deployments behind a DORA figure: scope, `deployed_at` in [from, to), and
 * optionally only failed (caused an incident or rolled back) or unplanned ones — exactly the rows
 * deployment frequency, change failure rate and rework rate count.
 */
export async function listDeployments(
  db: Db,
  filter: { scope: MetricScope; from: Date; to: Date; failed?: boolean; unplanned?: boolean },
  window: ListWindow,
): Promise<ListResult<DeploymentListRow>> {
  return paged(
    db,
    window,
    (limit, offset) =>
      sql<DeploymentListRow & { total: number }>`
        select d.id::text as id, r.full_name as repository,
          (select t.slug from team_repositories tr join teams t on t.id = tr.team_id
            where tr.repository_id = d.repository_id order by t.slug limit 1) as team,
          d.source, d.environment, d.sha, d.deployed_at as "deployedAt",
          ${deploymentFailed('d')} as failed, d.is_unplanned as unplanned,
          (select count(*)::int from deployment_changes dc where dc.deployment_id = d.id) as changes,
          d.url, count(*) over ()::int as total
        from deployments d join repositories r on r.id = d.repository_id
        where d.is_production and d.deployed_at is not null
          and d.deployed_at >= ${filter.from} and d.deployed_at < ${filter.to}
          and ${deploymentInScope(filter.scope, 'd')}
          ${flag(filter.failed, deploymentFailed('d'))}
          ${flag(filter.unplanned, sql<boolean>`d.is_unplanned`)}
        ${orderBy(window, { ...DEPLOYMENT_SORT_KEYS, changes: '(select count(*) from deployment_changes dc where dc.deployment_id = d.id)' }, 'd.id')}
      limit ${limit} offset ${offset}`,
  );
}

export const CHANGE_SORT_KEYS = {
  mergedAt: 'pr.merged_at',
  deployedAt: 'd.deployed_at',
  openedAt: 'pr.created_at',
  leadTime: 'lead_time',
  size: '(pr.additions + pr.deletions)',
  number: 'pr.number',
};

export interface ChangeListRow {
  id: string;
  repository: string;
  number: number;
  title: string;
  author: string | null;
  team: string | null;
  firstCommitAt: Date | null;
  openedAt: Date;
  firstReviewAt: Date | null;
  mergedAt: Date | null;
  deployedAt: Date | null;
  leadTimeSeconds: number | null;
  attribution: 'commit' | 'time' | null;
  size: number | null;
  url: string | null;
}

export interface ChangeFilter {
  scope: MetricScope;
  from: Date;
  to: Date;
  /** Which time falls in [from, to): merge (default) or deployment. Ignored for `state: open`. */
  dateField?: 'merged' | 'deployed';
  /** `open`: PRs open at `to` (work in progress); default `merged`: changes. */
  state?: 'merged' | 'open';
  deployed?: boolean;
  /** Only changes with a lead time (deployed, first commit known): the change lead time sample. */
  withLeadTime?: boolean;
  /** Reviewed by someone other than the author (false = merged without review). */
  reviewed?: boolean;
  unplanned?: boolean;
  /** Open PRs created more than 7 days before `to`. */
  stale?: boolean;
  includeBots?: boolean;
}

/**
 * The changes (merged PRs into the default branch) or open PRs behind a figure. A change belongs
 * to a team through its author's membership on the day of `merged_at` (open PRs: on `to`'s day).
 */
export async function listChanges(
  db: Db,
  filter: ChangeFilter,
  window: ListWindow,
): Promise<ListResult<ChangeListRow>> {
  const open = filter.state === 'open';
  const lastInstant = new Date(filter.to.getTime() - 1);
  const timeColumn = filter.dateField === 'deployed' ? sql.raw('d.deployed_at') : sql.raw('pr.merged_at');
  const scope = open
    ? filter.scope.type === 'team'
      ? isTeamMemberAt(filter.scope.teamId, sql.raw('pr.author_login'), sql`${lastInstant}::timestamptz`)
      : changeInScope(filter.scope, 'pr')
    : changeInScope(filter.scope, 'pr');
  const base = open
    ? sql`pr.created_at < ${filter.to} and (pr.merged_at is null or pr.merged_at >= ${filter.to})
          and (pr.closed_at is null or pr.closed_at >= ${filter.to})`
    : sql`${mergedIntoDefaultBranch('pr', 'r')} and ${timeColumn} >= ${filter.from} and ${timeColumn} < ${filter.to}`;
  const reviewed = sql<boolean>`exists (select 1 from pull_request_reviews rv where rv.pull_request_id = pr.id
    and rv.kind = 'review' and not rv.reviewer_is_bot and lower(rv.reviewer_login) is distinct from lower(pr.author_login))`;
  const staleBefore = new Date(filter.to.getTime() - 7 * 86_400_000);
  return paged(
    db,
    window,
    (limit, offset) =>
      sql<ChangeListRow & { total: number }>`
        select pr.id::text as id, r.full_name as repository, pr.number, pr.title, pr.author_login as author,
          (select t.slug from team_memberships tm join teams t on t.id = tm.team_id
            where lower(tm.github_login) = lower(pr.author_login)
              and (coalesce(pr.merged_at, ${lastInstant}::timestamptz) at time zone 'UTC')::date >= tm.valid_from
              and (tm.valid_to is null or (coalesce(pr.merged_at, ${lastInstant}::timestamptz) at time zone 'UTC')::date <= tm.valid_to)
            order by t.slug limit 1) as team,
          pr.first_commit_at as "firstCommitAt", pr.created_at as "openedAt", pr.first_review_at as "firstReviewAt",
          pr.merged_at as "mergedAt", d.deployed_at as "deployedAt",
          extract(epoch from d.deployed_at - pr.first_commit_at)::float8 as "leadTimeSeconds",
          dc.attribution, (pr.additions + pr.deletions) as size, pr.html_url as url,
          count(*) over ()::int as total
        from pull_requests pr
        join repositories r on r.id = pr.repository_id
        left join deployment_changes dc on dc.pull_request_id = pr.id
        left join deployments d on d.id = dc.deployment_id and d.is_production
        cross join lateral (select extract(epoch from d.deployed_at - pr.first_commit_at) as lead_time) lt
        where ${base} and ${scope}
          ${filter.includeBots ? sql`` : sql`and not pr.author_is_bot`}
          ${flag(filter.deployed, sql<boolean>`d.deployed_at is not null`)}
          ${filter.withLeadTime ? sql`and d.deployed_at is not null and pr.first_commit_at is not null` : sql``}
          ${flag(filter.reviewed, reviewed)}
          ${flag(filter.unplanned, sql<boolean>`pr.is_unplanned`)}
          ${flag(filter.stale, sql<boolean>`pr.created_at < ${staleBefore}`)}
        ${orderBy(window, CHANGE_SORT_KEYS, 'pr.id')}
      limit ${limit} offset ${offset}`,
  );
}

export const INCIDENT_SORT_KEYS = {
  startedAt: 'i.started_at',
  resolvedAt: 'i.resolved_at',
  recovery: '(i.resolved_at - i.started_at)',
};

export interface IncidentListRow {
  id: string;
  source: string;
  key: string | null;
  title: string;
  repository: string | null;
  team: string | null;
  startedAt: Date;
  resolvedAt: Date | null;
  recoverySeconds: number | null;
  causedByDeploymentId: string | null;
  url: string | null;
}

/**
 * The incidents behind a figure: scope, `started_at` (default; incident load) or `resolved_at`
 * (recovery time) in [from, to), optionally only those caused by a deployment or resolved.
 */
export async function listIncidents(
  db: Db,
  filter: {
    scope: MetricScope;
    from: Date;
    to: Date;
    dateField?: 'started' | 'resolved';
    caused?: boolean;
    resolved?: boolean;
  },
  window: ListWindow,
): Promise<ListResult<IncidentListRow>> {
  const column = sql.raw(filter.dateField === 'resolved' ? 'i.resolved_at' : 'i.started_at');
  return paged(
    db,
    window,
    (limit, offset) =>
      sql<IncidentListRow & { total: number }>`
        select i.id::text as id, i.source, i.key, i.title, r.full_name as repository,
          coalesce(
            (select t.slug from teams t where t.id = i.team_id),
            (select t.slug from team_repositories tr join teams t on t.id = tr.team_id
              where tr.repository_id = i.repository_id order by t.slug limit 1),
            (select t.slug from team_jira_projects tjp join teams t on t.id = tjp.team_id
              where tjp.project_key = i.jira_project_key order by t.slug limit 1)) as team,
          i.started_at as "startedAt", i.resolved_at as "resolvedAt",
          extract(epoch from i.resolved_at - i.started_at)::float8 as "recoverySeconds",
          i.caused_by_deployment_id::text as "causedByDeploymentId", i.url,
          count(*) over ()::int as total
        from incidents i left join repositories r on r.id = i.repository_id
        where ${column} >= ${filter.from} and ${column} < ${filter.to}
          and ${incidentInScope(filter.scope, 'i')}
          ${flag(filter.caused, sql<boolean>`i.caused_by_deployment_id is not null`)}
          ${flag(filter.resolved, sql<boolean>`i.resolved_at is not null`)}
        ${orderBy(window, INCIDENT_SORT_KEYS, 'i.id')}
      limit ${limit} offset ${offset}`,
  );
}
