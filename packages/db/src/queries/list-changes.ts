import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import { rollupListTotal } from './list-rollup-total.ts';
import { flag, type ListResult, type ListWindow, orderBy, paged } from './list-window.ts';
import {
  changeInScope,
  isTeamMemberAt,
  type MetricScope,
  mergedIntoDefaultBranch,
  pullRequestOpenAt,
} from './metric-scope.ts';
import { cyclePhaseSeconds } from './team-health/team-health-sql.ts';

const phase = cyclePhaseSeconds('pr', sql.ref('d.deployed_at'));

/** Sort keys of the change list and what each orders by. */
export const CHANGE_SORT_KEYS = {
  mergedAt: sql.ref('pr.merged_at'),
  deployedAt: sql.ref('d.deployed_at'),
  openedAt: sql.ref('pr.created_at'),
  leadTime: sql.ref('lt.lead_time'),
  size: sql`(pr.additions + pr.deletions)`,
  number: sql.ref('pr.number'),
  codingTime: phase.coding,
  pickupTime: phase.pickup,
  reviewTime: phase.review,
  deployTime: phase.deploy,
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
  draft: boolean;
  /** When it was opened for review: left draft, else created. */
  readyAt: Date;
  /** Cycle-time phases in seconds (docs/metrics.md); null where the phase has not ended. */
  codingSeconds: number | null;
  pickupSeconds: number | null;
  reviewSeconds: number | null;
  deploySeconds: number | null;
  /** Open PRs: seconds from creation to `to`; null for merged ones. */
  ageSeconds: number | null;
  requestedReviewers: string[];
  requestedTeams: string[];
  ciState: 'success' | 'pending' | 'failure' | null;
  /** The reviewers' standing verdict (each reviewer's latest; changes requested wins). */
  verdict: 'APPROVED' | 'CHANGES_REQUESTED' | null;
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
  const timeColumn = sql.ref(filter.dateField === 'deployed' ? 'd.deployed_at' : 'pr.merged_at');
  const scope = open
    ? filter.scope.type === 'team'
      ? isTeamMemberAt(filter.scope.teamId, sql.ref('pr.author_login'), sql`${lastInstant}::timestamptz`)
      : changeInScope(filter.scope, 'pr')
    : changeInScope(filter.scope, 'pr');
  const base = open
    ? pullRequestOpenAt(filter.to, 'pr')
    : sql`${mergedIntoDefaultBranch('pr', 'r')} and ${timeColumn} >= ${filter.from} and ${timeColumn} < ${filter.to}`;
  const reviewed = sql<boolean>`exists (select 1 from pull_request_reviews rv where rv.pull_request_id = pr.id
    and rv.kind = 'review' and not rv.reviewer_is_bot and lower(rv.reviewer_login) is distinct from lower(pr.author_login))`;
  const staleBefore = new Date(filter.to.getTime() - 7 * 86_400_000);
  // The changes' rows: PRs with their repository and production deployment (at most one:
  // `deployment_changes` is keyed by PR, deployments by id). The count reads the same rows; without
  // a filter on the deployment it leaves the two left joins out (they add no row and remove none).
  // Left in, PostgreSQL removed them but then chose a parallel scan of every PR (1.5 s for the
  // org's quarter at xl) over the index-only scan of `pull_requests_merged_idx` (0.3 s).
  const prs = sql`pull_requests pr join repositories r on r.id = pr.repository_id`;
  const from = sql`${prs}
        left join deployment_changes dc on dc.pull_request_id = pr.id
        left join deployments d on d.id = dc.deployment_id and d.is_production`;
  const byDeployment =
    (!open && filter.dateField === 'deployed') ||
    filter.deployed !== undefined ||
    filter.withLeadTime === true;
  const where = sql`${base} and ${scope}
          ${filter.includeBots ? sql`` : sql`and not pr.author_is_bot`}
          ${flag(filter.deployed, sql<boolean>`d.deployed_at is not null`)}
          ${filter.withLeadTime ? sql`and d.deployed_at is not null and pr.first_commit_at is not null` : sql``}
          ${flag(filter.reviewed, reviewed)}
          ${flag(filter.unplanned, sql<boolean>`pr.is_unplanned`)}
          ${flag(filter.stale, sql<boolean>`pr.created_at < ${staleBefore}`)}`;
  // The change lead time sample (non-bot changes with a first commit, by their production
  // deployment's time) is what the day rollups' lead-time counts hold: its total is read from them.
  const leadTimeSample =
    !open &&
    filter.dateField === 'deployed' &&
    filter.withLeadTime === true &&
    filter.deployed !== false &&
    filter.reviewed === undefined &&
    filter.unplanned === undefined &&
    filter.stale === undefined &&
    !filter.includeBots;
  const count = leadTimeSample
    ? rollupListTotal({
        scope: filter.scope,
        from: filter.from,
        to: filter.to,
        stored: sql`r.lead_commit + r.lead_time`,
        rawCount: (lo, hi) =>
          sql`select count(*) from ${from} where ${where} and d.deployed_at >= ${lo} and d.deployed_at < ${hi}`,
      })
    : sql<{ total: number }>`select count(*)::int as total from ${byDeployment ? from : prs} where ${where}`;
  const ordered = orderBy(
    window,
    CHANGE_SORT_KEYS,
    sql.ref('pr.id'),
    open ? ['openedAt', 'number'] : ['mergedAt', 'openedAt', 'number'],
  );
  const leadTime = sql`cross join lateral (select extract(epoch from d.deployed_at - pr.first_commit_at) as lead_time) lt`;
  // The window's ids first, then the columns of those rows only: the team and verdict subqueries
  // ran for every row the OFFSET skipped.
  return paged(
    db,
    sql<ChangeListRow>`
        with page as materialized (
          select pr.id from ${from} ${leadTime} where ${where} ${ordered}
          limit ${window.limit} offset ${window.offset}
        )
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
          pr.draft, coalesce(pr.ready_for_review_at, pr.created_at) as "readyAt",
          ${phase.coding} as "codingSeconds", ${phase.pickup} as "pickupSeconds",
          ${phase.review} as "reviewSeconds", ${phase.deploy} as "deploySeconds",
          ${open ? sql`extract(epoch from ${filter.to}::timestamptz - pr.created_at)::float8` : sql`null::float8`} as "ageSeconds",
          pr.requested_reviewers as "requestedReviewers", pr.requested_teams as "requestedTeams",
          pr.ci_state as "ciState",
          (select case when bool_or(v.state = 'CHANGES_REQUESTED') then 'CHANGES_REQUESTED'
                       when bool_or(v.state = 'APPROVED') then 'APPROVED' end
            from (select distinct on (lower(rv.reviewer_login)) rv.state from pull_request_reviews rv
              where rv.pull_request_id = pr.id and rv.kind = 'review' and not rv.reviewer_is_bot
                and rv.state in ('APPROVED', 'CHANGES_REQUESTED', 'DISMISSED')
                and lower(rv.reviewer_login) is distinct from lower(pr.author_login)
              order by lower(rv.reviewer_login), rv.submitted_at desc) v) as verdict
        from ${from} ${leadTime}
        where pr.id in (select id from page)
        ${ordered}`,
    count,
  );
}
