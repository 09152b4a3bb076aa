import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { type TeamPeriod, teamLoginMemberAt, teamLogins } from './team-health-sql.ts';

/**
 * Active contributors (docs/metrics.md, Team size): distinct (case-insensitive) non-bot logins
 * that merged or opened a PR or submitted a review in [from, to) while members of the team.
 */
export async function countActiveContributors(db: Db, { teamId, from, to }: TeamPeriod): Promise<number> {
  const member = (at: string) => teamLoginMemberAt(teamId, sql.ref('tl.login'), sql.ref(at));
  // Per member login (`teamLogins`), three index probes that stop at the first hit, instead of
  // one `or` over merged_at / created_at in a scan, which made PostgreSQL read every PR and
  // review of the organisation.
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n
    from ${teamLogins(teamId)} tl
    where exists (
        select 1 from pull_requests pr
        where lower(pr.author_login) = tl.login and not pr.author_is_bot
          and pr.merged_at >= ${from} and pr.merged_at < ${to}
          and ${member('pr.merged_at')})
      or exists (
        select 1 from pull_requests pr
        where lower(pr.author_login) = tl.login and not pr.author_is_bot
          and pr.created_at >= ${from} and pr.created_at < ${to}
          and ${member('pr.created_at')})
      or exists (
        select 1 from pull_request_reviews rv
        where lower(rv.reviewer_login) = tl.login and not rv.reviewer_is_bot
          and rv.submitted_at >= ${from} and rv.submitted_at < ${to}
          and ${member('rv.submitted_at')})`.execute(db);
  return rows[0]?.n ?? 0;
}
