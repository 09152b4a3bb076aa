import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { isTeamMemberAt, pullRequestOpenAt } from '../metric-scope.ts';
import type { TeamPeriod } from './team-health-sql.ts';

/**
 * Work in progress at `to`: the team's non-bot PRs open then (created before, neither merged nor
 * closed before), and of those the stale ones (created more than 7 days before `to`). Membership
 * is taken on the period's last day.
 */
export async function getTeamWorkInProgress(
  db: Db,
  { teamId, to }: Pick<TeamPeriod, 'teamId' | 'to'>,
): Promise<{ open: number; stale: number }> {
  const lastInstant = new Date(to.getTime() - 1);
  const staleBefore = new Date(to.getTime() - 7 * 86_400_000);
  const { rows } = await sql<{ open: number; stale: number }>`
    select count(*)::int as open, count(*) filter (where pr.created_at < ${staleBefore})::int as stale
    from pull_requests pr
    where not pr.author_is_bot and ${pullRequestOpenAt(to, 'pr')}
      and ${isTeamMemberAt(teamId, sql.ref('pr.author_login'), sql`${lastInstant}::timestamptz`)}`.execute(
    db,
  );
  return { open: rows[0]?.open ?? 0, stale: rows[0]?.stale ?? 0 };
}
