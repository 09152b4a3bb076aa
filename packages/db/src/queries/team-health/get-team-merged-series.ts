import type { Granularity } from '@stride/metrics';
import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import { type TeamPeriod, teamMergedPullRequests } from './team-health-sql.ts';

/**
 * Throughput series: the team's changes merged per UTC calendar bucket (`date_trunc`, ISO weeks)
 * of [from, to). @returns bucket start (ISO, UTC) → merged PRs; only buckets with PRs.
 */
export async function getTeamMergedSeries(
  db: Db,
  input: TeamPeriod & { granularity: Granularity },
): Promise<Map<string, number>> {
  const { rows } = await sql<{ bucket: Date; merged: number }>`
    select date_trunc(${input.granularity}, p.merged_at at time zone 'UTC') at time zone 'UTC' as bucket,
      count(*)::int as merged
    from (${teamMergedPullRequests(input)}) p group by 1`.execute(db);
  return new Map(rows.map((row) => [row.bucket.toISOString(), row.merged]));
}
