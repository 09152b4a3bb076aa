import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { isTeamMemberAt } from '../metric-scope.ts';
import type { TeamPeriod } from './team-health-sql.ts';

/**
 * Review load: reviews (kind `review`, non-bot) submitted in [from, to) by team members, and the
 * count of the busiest reviewer (logins compared case-insensitively). Both 0 without reviews.
 */
export async function getTeamReviewLoad(
  db: Db,
  { teamId, from, to }: TeamPeriod,
): Promise<{ reviews: number; busiestReviewer: number }> {
  const { rows } = await sql<{ reviews: number | null; busiest: number | null }>`
    select sum(c)::int as reviews, max(c)::int as busiest from (
      select count(*) as c from pull_request_reviews rv
      where rv.kind = 'review' and not rv.reviewer_is_bot and rv.reviewer_login is not null
        and rv.submitted_at >= ${from} and rv.submitted_at < ${to}
        and ${isTeamMemberAt(teamId, sql.ref('rv.reviewer_login'), sql.ref('rv.submitted_at'))}
      group by lower(rv.reviewer_login)) r`.execute(db);
  return { reviews: rows[0]?.reviews ?? 0, busiestReviewer: rows[0]?.busiest ?? 0 };
}
