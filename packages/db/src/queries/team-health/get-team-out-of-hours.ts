import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { type TeamPeriod, teamLoginMemberAt, teamLogins } from './team-health-sql.ts';

/**
 * Out-of-hours commits: distinct commits (by sha) of non-bot PRs authored in [from, to) by team
 * members, and those authored on a weekend or before 08:00 / from 19:00 in the team's IANA
 * `timezone`.
 */
export async function getTeamOutOfHours(
  db: Db,
  { teamId, from, to, timezone }: TeamPeriod & { timezone: string },
): Promise<{ outOfHours: number; commits: number }> {
  const member = teamLoginMemberAt(teamId, sql.ref('tl.login'), sql.ref('c.authored_at'));
  // A commit counts for its own author, else (no login) for its PR's author. Per member login
  // (`teamLogins`) two index-driven branches: commits by the login through
  // (lower(author_login), authored_at), commits without a login through the login's PRs;
  // `coalesce(c.author_login, pr.author_login)` in one scan made PostgreSQL join every commit of
  // the organisation with every PR.
  const { rows } = await sql<{ commits: number; out_of_hours: number }>`
    select count(*)::int as commits,
      count(*) filter (where extract(isodow from local) in (6, 7) or extract(hour from local) < 8
                        or extract(hour from local) >= 19)::int as out_of_hours
    from (
      select distinct on (y.sha) y.authored_at at time zone ${timezone} as local
      from ${teamLogins(teamId)} tl
      cross join lateral (
        select c.sha, c.authored_at
        from pull_request_commits c
        join pull_requests pr on pr.id = c.pull_request_id
        where lower(c.author_login) = tl.login and c.authored_at >= ${from} and c.authored_at < ${to}
          and not pr.author_is_bot and ${member}
        union all
        select c.sha, c.authored_at
        from pull_requests pr
        join pull_request_commits c on c.pull_request_id = pr.id
        where lower(pr.author_login) = tl.login and c.author_login is null
          and c.authored_at >= ${from} and c.authored_at < ${to}
          and not pr.author_is_bot and ${member}
        offset 0
      ) y
    ) x`.execute(db);
  return { outOfHours: rows[0]?.out_of_hours ?? 0, commits: rows[0]?.commits ?? 0 };
}
