import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { isTeamMemberAt } from '../metric-scope.ts';
import type { TeamPeriod } from './team-health-sql.ts';

/**
 * Out-of-hours commits: distinct commits (by sha) of non-bot PRs authored in [from, to) by team
 * members, and those authored on a weekend or before 08:00 / from 19:00 in the team's IANA
 * `timezone`.
 */
export async function getTeamOutOfHours(
  db: Db,
  { teamId, from, to, timezone }: TeamPeriod & { timezone: string },
): Promise<{ outOfHours: number; commits: number }> {
  const { rows } = await sql<{ commits: number; out_of_hours: number }>`
    select count(*)::int as commits,
      count(*) filter (where extract(isodow from local) in (6, 7) or extract(hour from local) < 8
                        or extract(hour from local) >= 19)::int as out_of_hours
    from (
      select distinct on (c.sha) c.authored_at at time zone ${timezone} as local
      from pull_request_commits c
      join pull_requests pr on pr.id = c.pull_request_id
      where c.authored_at >= ${from} and c.authored_at < ${to} and not pr.author_is_bot
        and ${isTeamMemberAt(teamId, sql`coalesce(c.author_login, pr.author_login)`, sql.ref('c.authored_at'))}
    ) x`.execute(db);
  return { outOfHours: rows[0]?.out_of_hours ?? 0, commits: rows[0]?.commits ?? 0 };
}
