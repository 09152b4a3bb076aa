import type { Granularity, PercentileSummary } from '@stride/metrics';
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
  /** Merged PRs per bucket start (ISO, UTC); only buckets with PRs. */
  mergedSeries: Map<string, number>;
}

type Row = {
  merged: number;
  over400: number;
  without_review: number;
  /** [bucket start, merged PRs] pairs; the bucket as PostgreSQL writes a timestamptz in JSON. */
  series: [string, number][];
} & PercentileColumns<'coding' | 'pickup' | 'review' | 'deploy' | 'size'>;

/**
 * The merged-PR signals of team health (docs/metrics.md, "PR cycle time and team health") over
 * the team's changes merged in [from, to): coding (first commit → ready for review), pickup
 * (ready → first review), review (first review → merge), deploy (merge → production deployment),
 * size, the count merged without review, and the throughput series: merged PRs per UTC calendar
 * bucket of `granularity` (`date_trunc`, ISO weeks). One statement reads the team's changes once
 * for all of them (the series was a second statement joining the same rows again).
 */
export async function getTeamMergedPrStats(
  db: Db,
  input: TeamPeriod & { granularity: Granularity },
): Promise<TeamMergedPrStats> {
  const phase = cyclePhaseSeconds('p', sql.ref('p.deployed_at'));
  const { rows } = await sql<Row>`
    with x as materialized (
      select
        ${phase.coding} as coding, ${phase.pickup} as pickup, ${phase.review} as review,
        ${phase.deploy} as deploy,
        (p.additions + p.deletions)::float8 as size,
        exists (select 1 from pull_request_reviews rv where rv.pull_request_id = p.id and rv.kind = 'review'
                and not rv.reviewer_is_bot and lower(rv.reviewer_login) is distinct from lower(p.author_login)) as reviewed,
        date_trunc(${input.granularity}, p.merged_at at time zone 'UTC') at time zone 'UTC' as bucket
      from (${teamMergedPullRequests(input)}) p
    )
    select count(*)::int as merged,
      count(*) filter (where size > 400)::int as over400,
      count(*) filter (where not reviewed)::int as without_review,
      ${percentileColumns('coding')}, ${percentileColumns('pickup')}, ${percentileColumns('review')},
      ${percentileColumns('deploy')}, ${percentileColumns('size')},
      (select coalesce(json_agg(json_build_array(b.bucket, b.merged)), '[]'::json)
        from (select bucket, count(*)::int as merged from x group by bucket) b) as series
    from x`.execute(db);
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
    mergedSeries: new Map(
      (row?.series ?? []).map(([bucket, merged]) => [new Date(bucket).toISOString(), merged]),
    ),
  };
}
