import type { PercentileSummary } from '@stride/metrics';
import { sql } from 'kysely';
import type { Db } from '../../connection.ts';
import {
  cyclePhaseSeconds,
  type PercentileColumns,
  percentileColumns,
  type TeamPeriod,
  takePercentiles,
  teamMergedPullRequests,
} from './team-health-sql.ts';

/** Cycle-time phases, PR size and review coverage of a team's merged changes. */
export interface TeamMergedPrStats {
  /** Phases in seconds (docs/metrics.md, PR cycle time); negative spans count as 0. */
  cycleTime: {
    coding: PercentileSummary;
    pickup: PercentileSummary;
    review: PercentileSummary;
    deploy: PercentileSummary;
  };
  /** Lines changed (additions + deletions); `over400`: PRs above 400 lines. */
  prSize: PercentileSummary & { over400: number };
  mergedPrs: number;
  /** Merged without a review by someone other than the author (bots excluded). */
  mergedWithoutReview: number;
}

type Row = { merged: number; over400: number; without_review: number } & PercentileColumns<
  'coding' | 'pickup' | 'review' | 'deploy' | 'size'
>;

/**
 * The merged-PR signals of team health (docs/metrics.md, "PR cycle time and team health") over
 * the team's changes merged in [from, to): coding (first commit → ready for review), pickup
 * (ready → first review), review (first review → merge), deploy (merge → production deployment),
 * size, and the count merged without review.
 */
export async function getTeamMergedPrStats(db: Db, input: TeamPeriod): Promise<TeamMergedPrStats> {
  const phase = cyclePhaseSeconds('p', sql.ref('p.deployed_at'));
  const { rows } = await sql<Row>`
    select count(*)::int as merged,
      count(*) filter (where size > 400)::int as over400,
      count(*) filter (where not reviewed)::int as without_review,
      ${percentileColumns('coding')}, ${percentileColumns('pickup')}, ${percentileColumns('review')},
      ${percentileColumns('deploy')}, ${percentileColumns('size')}
    from (
      select
        ${phase.coding} as coding, ${phase.pickup} as pickup, ${phase.review} as review,
        ${phase.deploy} as deploy,
        (p.additions + p.deletions)::float8 as size,
        exists (select 1 from pull_request_reviews rv where rv.pull_request_id = p.id and rv.kind = 'review'
                and not rv.reviewer_is_bot and lower(rv.reviewer_login) is distinct from lower(p.author_login)) as reviewed
      from (${teamMergedPullRequests(input)}) p
    ) x`.execute(db);
  const row = rows[0];
  return {
    cycleTime: {
      coding: takePercentiles(row, 'coding'),
      pickup: takePercentiles(row, 'pickup'),
      review: takePercentiles(row, 'review'),
      deploy: takePercentiles(row, 'deploy'),
    },
    prSize: { ...takePercentiles(row, 'size'), over400: row?.over400 ?? 0 },
    mergedPrs: row?.merged ?? 0,
    mergedWithoutReview: row?.without_review ?? 0,
  };
}
