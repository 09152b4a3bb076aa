import type { TeamHealthAggregates } from '@stride/db';
import {
  bucketStarts,
  busFactor,
  type Granularity,
  ratio,
  teamSizeBand,
  weeksBetween,
} from '@stride/metrics';
import type { Scope, TeamHealth } from '@stride/shared';

/**
 * Turns a team's SQL health aggregates into the API's TeamHealth (docs/metrics.md, "PR cycle time
 * and team health"): ratios with n = 0 are null, per-week rates use the period's length in weeks,
 * the throughput series has one point per calendar bucket.
 */
export function assembleTeamHealth(input: {
  scope: Scope;
  from: Date;
  to: Date;
  granularity: Granularity;
  members: number;
  aggregates: TeamHealthAggregates;
}): TeamHealth {
  const { from, to, granularity, members, aggregates: a } = input;
  const weeks = weeksBetween(from, to);
  const perWeek = (count: number, n: number) => (n > 0 ? count / weeks : null);
  return {
    scope: input.scope,
    period: { from: from.toISOString(), to: to.toISOString() },
    cycleTime: a.cycleTime,
    prSize: {
      p50: a.prSize.p50,
      p90: a.prSize.p90,
      n: a.prSize.n,
      over400Share: ratio(a.prSize.over400, a.prSize.n),
    },
    throughput: {
      mergedPrs: a.mergedPrs,
      perWeek: perWeek(a.mergedPrs, a.mergedPrs),
      perContributorPerWeek:
        a.activeContributors > 0 && a.mergedPrs > 0 ? a.mergedPrs / a.activeContributors / weeks : null,
      series: bucketStarts(from, to, granularity).map((start) => {
        const merged = a.mergedSeries.get(start.toISOString()) ?? 0;
        return { bucket: start.toISOString(), value: merged, n: merged };
      }),
    },
    workInProgress: a.workInProgress,
    reviewLoad: {
      reviews: a.reviewLoad.reviews,
      busiestReviewerShare: ratio(a.reviewLoad.busiestReviewer, a.reviewLoad.reviews),
      mergedWithoutReview: a.mergedWithoutReview,
      reviewsPerReviewer: a.reviewLoad.reviewsPerReviewer,
    },
    teamSize: { members, activeContributors: a.activeContributors, band: teamSizeBand(members) },
    busFactor: a.busFactorSamples.map((s) => ({
      repository: s.repository,
      busFactor: busFactor(s.prsByAuthor),
      mergedPrs: s.prsByAuthor.reduce((sum, c) => sum + c, 0),
    })),
    unplannedWork: {
      ratio: ratio(a.unplannedWork.unplanned, a.unplannedWork.resolved),
      unplanned: a.unplannedWork.unplanned,
      resolved: a.unplannedWork.resolved,
    },
    outOfHours: {
      share: ratio(a.outOfHours.outOfHours, a.outOfHours.commits),
      commits: a.outOfHours.commits,
    },
    incidentLoad: {
      incidents: a.incidents.started,
      perWeek: perWeek(a.incidents.started, a.incidents.started),
      recovery: a.incidents.recovery,
    },
  };
}

export const HEALTH_CSV_COLUMNS = ['signal', 'statistic', 'bucket', 'value', 'n'] as const;

/** Every figure of a TeamHealth as long-format CSV rows (signal, statistic, bucket, value, n). */
export function healthCsvRows(h: TeamHealth): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  for (const [phase, stat] of Object.entries(h.cycleTime)) {
    rows.push([`cycle_time.${phase}`, 'p50_seconds', null, stat.p50, stat.n]);
    rows.push([`cycle_time.${phase}`, 'p90_seconds', null, stat.p90, stat.n]);
  }
  rows.push(['pr_size', 'p50_lines', null, h.prSize.p50, h.prSize.n]);
  rows.push(['pr_size', 'p90_lines', null, h.prSize.p90, h.prSize.n]);
  rows.push(['pr_size', 'over_400_share', null, h.prSize.over400Share, h.prSize.n]);
  rows.push(['throughput', 'merged_prs', null, h.throughput.mergedPrs, h.throughput.mergedPrs]);
  rows.push(['throughput', 'per_week', null, h.throughput.perWeek, h.throughput.mergedPrs]);
  rows.push([
    'throughput',
    'per_contributor_per_week',
    null,
    h.throughput.perContributorPerWeek,
    h.teamSize.activeContributors,
  ]);
  for (const point of h.throughput.series)
    rows.push(['throughput', 'merged_prs', point.bucket, point.value, point.n]);
  rows.push(['work_in_progress', 'open', null, h.workInProgress.open, h.workInProgress.open]);
  rows.push(['work_in_progress', 'stale', null, h.workInProgress.stale, h.workInProgress.open]);
  rows.push([
    'review_load',
    'busiest_reviewer_share',
    null,
    h.reviewLoad.busiestReviewerShare,
    h.reviewLoad.reviews,
  ]);
  // The distribution without names: the k-th largest count, one row per person.
  for (const [i, count] of h.reviewLoad.reviewsPerReviewer.entries()) {
    rows.push(['review_load', `reviews_of_reviewer_${i + 1}_by_count`, null, count, h.reviewLoad.reviews]);
  }
  rows.push([
    'review_load',
    'merged_without_review',
    null,
    h.reviewLoad.mergedWithoutReview,
    h.throughput.mergedPrs,
  ]);
  rows.push(['team_size', 'members', null, h.teamSize.members, null]);
  rows.push(['team_size', 'active_contributors', null, h.teamSize.activeContributors, null]);
  rows.push(['team_size', 'band', null, h.teamSize.band, null]);
  for (const repo of h.busFactor)
    rows.push([`bus_factor.${repo.repository}`, 'authors', null, repo.busFactor, repo.mergedPrs]);
  rows.push(['unplanned_work', 'ratio', null, h.unplannedWork.ratio, h.unplannedWork.resolved]);
  rows.push(['out_of_hours', 'share', null, h.outOfHours.share, h.outOfHours.commits]);
  rows.push(['incident_load', 'incidents', null, h.incidentLoad.incidents, h.incidentLoad.incidents]);
  rows.push(['incident_load', 'per_week', null, h.incidentLoad.perWeek, h.incidentLoad.incidents]);
  rows.push([
    'incident_load',
    'recovery_p50_seconds',
    null,
    h.incidentLoad.recovery.p50,
    h.incidentLoad.recovery.n,
  ]);
  rows.push([
    'incident_load',
    'recovery_p90_seconds',
    null,
    h.incidentLoad.recovery.p90,
    h.incidentLoad.recovery.n,
  ]);
  return rows;
}
