import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { isTeamMemberAt } from '../metric-scope.ts';
import type { TeamPeriod } from './team-health-sql.ts';

/**
 * Active contributors (docs/metrics.md, Team size): distinct (case-insensitive) non-bot logins
 * that merged or opened a PR or submitted a review in [from, to) while members of the team.
 */
export async function countActiveContributors(db: Db, { teamId, from, to }: TeamPeriod): Promise<number> {
  const member = (login: string, at: string) => isTeamMemberAt(teamId, sql.ref(login), sql.ref(at));
  const { rows } = await sql<{ n: number }>`
    select count(distinct login)::int as n from (
      select lower(pr.author_login) as login from pull_requests pr
      where not pr.author_is_bot and pr.author_login is not null
        and ((pr.merged_at >= ${from} and pr.merged_at < ${to}
              and ${member('pr.author_login', 'pr.merged_at')})
          or (pr.created_at >= ${from} and pr.created_at < ${to}
              and ${member('pr.author_login', 'pr.created_at')}))
      union all
      select lower(rv.reviewer_login) from pull_request_reviews rv
      where not rv.reviewer_is_bot and rv.reviewer_login is not null
        and rv.submitted_at >= ${from} and rv.submitted_at < ${to}
        and ${member('rv.reviewer_login', 'rv.submitted_at')}
    ) a`.execute(db);
  return rows[0]?.n ?? 0;
}
