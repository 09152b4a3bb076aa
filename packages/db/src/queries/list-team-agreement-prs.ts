import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import { isTeamMemberAt, mergedIntoDefaultBranch, pullRequestOpenAt } from './metric-scope.ts';

/** A PR the working agreements are checked on. Times are UTC instants. */
export interface AgreementPrRow {
  repository: string;
  number: number;
  title: string;
  url: string | null;
  /** Used to count open PRs per person; never served (Stride does not rank people). */
  authorLogin: string;
  /** `merged` in the period, or `open` at its end. */
  state: 'merged' | 'open';
  createdAt: Date;
  /** Ready for review: left draft, else created. */
  openedAt: Date;
  draft: boolean;
  firstReviewAt: Date | null;
  mergedAt: Date | null;
  /** additions + deletions; null when unknown. */
  size: number | null;
  /** State of the latest review by someone other than the author (bots excluded) before `to`. */
  lastReviewState: string | null;
}

/**
 * The team's non-bot PRs the working agreements apply to in [from, to): those merged into the
 * default branch in the period (author a member on the day of `merged_at`) and those open at `to`
 * (author a member on the period's last day), as docs/metrics.md counts changes and work in progress.
 */
export async function listTeamAgreementPrs(
  db: Db,
  { teamId, from, to }: { teamId: string; from: Date; to: Date },
): Promise<AgreementPrRow[]> {
  const lastInstant = new Date(to.getTime() - 1);
  const { rows } = await sql<AgreementPrRow>`
    select r.full_name as repository, pr.number, pr.title, pr.html_url as url,
      pr.author_login as "authorLogin",
      case when pr.merged_at is not null and pr.merged_at < ${to} then 'merged' else 'open' end as state,
      pr.created_at as "createdAt", coalesce(pr.ready_for_review_at, pr.created_at) as "openedAt",
      pr.draft, case when pr.first_review_at < ${to} then pr.first_review_at end as "firstReviewAt",
      case when pr.merged_at < ${to} then pr.merged_at end as "mergedAt",
      case when pr.additions is null or pr.deletions is null then null
        else pr.additions + pr.deletions end as size,
      (select upper(rv.state) from pull_request_reviews rv
        where rv.pull_request_id = pr.id and rv.kind = 'review' and not rv.reviewer_is_bot
          and rv.submitted_at < ${to}
          and lower(coalesce(rv.reviewer_login, '')) <> lower(coalesce(pr.author_login, ''))
        order by rv.submitted_at desc limit 1) as "lastReviewState"
    from (
      -- Two disjoint branches (merged in the period; open at its end), each driven by its index
      -- from the team's logins: one OR over both made PostgreSQL scan every PR of the org.
      select pr.id from pull_requests pr join repositories r on r.id = pr.repository_id
      where not pr.author_is_bot and pr.author_login is not null
        and ${mergedIntoDefaultBranch('pr', 'r')} and pr.merged_at >= ${from} and pr.merged_at < ${to}
        and ${isTeamMemberAt(teamId, sql.ref('pr.author_login'), sql.ref('pr.merged_at'))}
      union all
      select pr.id from pull_requests pr
      where not pr.author_is_bot and pr.author_login is not null and ${pullRequestOpenAt(to, 'pr')}
        and ${isTeamMemberAt(teamId, sql.ref('pr.author_login'), sql`${lastInstant}::timestamptz`)}
    ) team_prs
    join pull_requests pr on pr.id = team_prs.id
    join repositories r on r.id = pr.repository_id
    order by r.full_name, pr.number`.execute(db);
  return rows;
}
