import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import type { TeamPeriod } from './team-health-sql.ts';

/**
 * Unplanned work: Jira issues of the team's projects resolved in [from, to), and of those the
 * ones classified bug or incident.
 */
export async function getTeamUnplannedWork(
  db: Db,
  { teamId, from, to }: TeamPeriod,
): Promise<{ unplanned: number; resolved: number }> {
  const { rows } = await sql<{ unplanned: number; resolved: number }>`
    select count(*) filter (where ji.classification in ('bug', 'incident'))::int as unplanned, count(*)::int as resolved
    from jira_issues ji
    where ji.resolved_at >= ${from} and ji.resolved_at < ${to}
      and ji.project_key in (select tjp.project_key from team_jira_projects tjp where tjp.team_id = ${teamId}::bigint)`.execute(
    db,
  );
  return { unplanned: rows[0]?.unplanned ?? 0, resolved: rows[0]?.resolved ?? 0 };
}
