import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { mergedIntoDefaultBranch } from '../metric-scope.ts';

/** Days before `to` whose merged PRs the bus factor counts. */
export const BUS_FACTOR_DAYS = 90;

/**
 * Bus factor samples: per repository the team owns, the merged (non-bot) PRs per author over the
 * 90 days before `to` (counts only, no logins). A repository without PRs has an empty list.
 */
export async function getTeamBusFactorSamples(
  db: Db,
  { teamId, to }: { teamId: string; to: Date },
): Promise<{ repository: string; prsByAuthor: number[] }[]> {
  const since = new Date(to.getTime() - BUS_FACTOR_DAYS * 86_400_000);
  const { rows } = await sql<{ repository: string; prs: number }>`
    select r.full_name as repository, count(pr.id)::int as prs
    from team_repositories tr
    join repositories r on r.id = tr.repository_id
    left join pull_requests pr on pr.repository_id = r.id and ${mergedIntoDefaultBranch('pr', 'r')}
      and not pr.author_is_bot and pr.merged_at >= ${since} and pr.merged_at < ${to}
    where tr.team_id = ${teamId}::bigint
    group by r.full_name, lower(pr.author_login)
    order by r.full_name`.execute(db);
  const byRepository = new Map<string, number[]>();
  for (const row of rows) {
    const list = byRepository.get(row.repository) ?? [];
    if (row.prs > 0) list.push(row.prs);
    byRepository.set(row.repository, list);
  }
  return [...byRepository].map(([repository, prsByAuthor]) => ({ repository, prsByAuthor }));
}
