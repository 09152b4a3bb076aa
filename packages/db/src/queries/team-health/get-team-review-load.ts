import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { type TeamPeriod, teamLoginMemberAt, teamLogins } from './team-health-sql.ts';

/**
 * Review load: reviews (kind `review`, non-bot) submitted in [from, to) by team members (on the
 * day of the review), the count of the busiest reviewer, and the team's distribution of reviews
 * per person: one count per reviewer (logins compared case-insensitively) plus a 0 for each
 * member on the period's last day who gave none, largest first, without logins (the signal is
 * about the team's spread, never a ranking of people). Counts are 0 without reviews.
 */
export async function getTeamReviewLoad(
  db: Db,
  { teamId, from, to }: TeamPeriod,
): Promise<{ reviews: number; busiestReviewer: number; reviewsPerReviewer: number[] }> {
  const lastDay = new Date(to.getTime() - 1).toISOString().slice(0, 10);
  const { rows } = await sql<{ c: number }>`
    with counts as (
      select tl.login, count(*)::int as c
      from ${teamLogins(teamId)} tl
      cross join lateral (
        select 1 from pull_request_reviews rv
        where lower(rv.reviewer_login) = tl.login and rv.kind = 'review' and not rv.reviewer_is_bot
          and rv.submitted_at >= ${from} and rv.submitted_at < ${to}
          and ${teamLoginMemberAt(teamId, sql.ref('tl.login'), sql.ref('rv.submitted_at'))}
        offset 0
      ) rv
      group by tl.login
    ), members as (
      select distinct lower(tm.github_login) as login from team_memberships tm
      where tm.team_id = ${teamId}::bigint and tm.github_login is not null
        and tm.valid_from <= ${lastDay}::date and (tm.valid_to is null or tm.valid_to >= ${lastDay}::date)
    )
    select coalesce(counts.c, 0)::int as c
    from counts full join members on members.login = counts.login
    order by 1 desc`.execute(db);
  const perReviewer = rows.map((r) => Number(r.c));
  return {
    reviews: perReviewer.reduce((sum, c) => sum + c, 0),
    busiestReviewer: perReviewer[0] ?? 0,
    reviewsPerReviewer: perReviewer,
  };
}
