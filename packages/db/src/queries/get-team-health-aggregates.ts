import type { Granularity, PercentileSummary } from '@stride/metrics';
import type { Db } from '../connection.ts';
import { countActiveContributors } from './team-health/count-active-contributors.ts';
import { getTeamBusFactorSamples } from './team-health/get-team-bus-factor-samples.ts';
import { getTeamIncidentLoad } from './team-health/get-team-incident-load.ts';
import { getTeamMergedPrStats, type TeamMergedPrStats } from './team-health/get-team-merged-pr-stats.ts';
import { getTeamOutOfHours } from './team-health/get-team-out-of-hours.ts';
import { getTeamReviewLoad } from './team-health/get-team-review-load.ts';
import { getTeamUnplannedWork } from './team-health/get-team-unplanned-work.ts';
import { getTeamWorkInProgress } from './team-health/get-team-work-in-progress.ts';

export interface TeamHealthAggregates extends TeamMergedPrStats {
  activeContributors: number;
  workInProgress: { open: number; stale: number };
  reviewLoad: { reviews: number; busiestReviewer: number; reviewsPerReviewer: number[] };
  /** Per owned repository, merged PRs per author over the 90 days before `to` (no logins). */
  busFactorSamples: { repository: string; prsByAuthor: number[] }[];
  unplannedWork: { unplanned: number; resolved: number };
  outOfHours: { outOfHours: number; commits: number };
  incidents: { started: number; recovery: PercentileSummary };
}

/**
 * The team-health signals of docs/metrics.md ("PR cycle time and team health"), aggregated in
 * PostgreSQL for team `teamId` over [from, to): one query per signal (`team-health/`), run
 * concurrently. The team's PRs are those whose (non-bot) author was a member on the day of
 * `merged_at` (open PRs: on the period's last day). Durations in seconds; negative phase spans
 * count as 0. Out-of-hours uses the team's IANA `timezone`.
 */
export async function getTeamHealthAggregates(
  db: Db,
  input: { teamId: string; timezone: string; from: Date; to: Date; granularity: Granularity },
): Promise<TeamHealthAggregates> {
  const [merged, activeContributors, workInProgress, reviewLoad, bus, unplanned, hours, incidents] =
    await Promise.all([
      getTeamMergedPrStats(db, input),
      countActiveContributors(db, input),
      getTeamWorkInProgress(db, input),
      getTeamReviewLoad(db, input),
      getTeamBusFactorSamples(db, input),
      getTeamUnplannedWork(db, input),
      getTeamOutOfHours(db, input),
      getTeamIncidentLoad(db, input),
    ]);
  return {
    ...merged,
    activeContributors,
    workInProgress,
    reviewLoad,
    busFactorSamples: bus,
    unplannedWork: unplanned,
    outOfHours: hours,
    incidents,
  };
}
