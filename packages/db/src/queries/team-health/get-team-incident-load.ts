import type { PercentileSummary } from '@stride/metrics';
import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { incidentInScope } from '../metric-scope.ts';
import {
  type PercentileColumns,
  percentileColumns,
  type TeamPeriod,
  takePercentiles,
} from './team-health-sql.ts';

/**
 * Incident load: the team's incidents started in [from, to) (its own, else by repository or Jira
 * project) and their recovery time (resolved_at - started_at, seconds; unresolved ones not in n).
 */
export async function getTeamIncidentLoad(
  db: Db,
  { teamId, from, to }: TeamPeriod,
): Promise<{ started: number; recovery: PercentileSummary }> {
  const { rows } = await sql<{ started: number } & PercentileColumns<'recovery'>>`
    select count(*)::int as started, ${percentileColumns('recovery')}
    from (
      select extract(epoch from i.resolved_at - i.started_at)::float8 as recovery
      from incidents i
      where i.started_at >= ${from} and i.started_at < ${to}
        and ${incidentInScope({ type: 'team', teamId }, 'i')}
    ) x`.execute(db);
  return { started: rows[0]?.started ?? 0, recovery: takePercentiles(rows[0], 'recovery') };
}
