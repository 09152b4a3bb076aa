import type { Granularity, PercentileSummary } from '@stride/metrics';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../connection.ts';
import { incidentInScope, isTeamMemberAt, mergedIntoDefaultBranch } from './metric-scope.ts';

export interface TeamHealthAggregates {
  cycleTime: {
    coding: PercentileSummary;
    pickup: PercentileSummary;
    review: PercentileSummary;
    deploy: PercentileSummary;
  };
  prSize: PercentileSummary & { over400: number };
  mergedPrs: number;
  mergedWithoutReview: number;
  /** Merged PRs per bucket start (ISO, UTC); only buckets with PRs. */
  mergedSeries: Map<string, number>;
  activeContributors: number;
  workInProgress: { open: number; stale: number };
  reviewLoad: { reviews: number; busiestReviewer: number };
  /** Per owned repository, merged PRs per author over the 90 days before `to` (no logins). */
  busFactorSamples: { repository: string; prsByAuthor: number[] }[];
  unplannedWork: { unplanned: number; resolved: number };
  outOfHours: { outOfHours: number; commits: number };
  incidents: { started: number; recovery: PercentileSummary };
}

const pct = (expr: string) =>
  sql.raw(`percentile_cont(0.5) within group (order by ${expr}) as ${expr}_p50,
  percentile_cont(0.9) within group (order by ${expr}) as ${expr}_p90, count(${expr})::int as ${expr}_n`);

/** Seconds of an interval, negative spans as 0, unknown (null) left null: greatest() would turn null into 0. */
const nonNegativeSeconds = (interval: string) =>
  sql.raw(
    `case when (${interval}) is null then null else greatest(0, extract(epoch from ${interval}))::float8 end`,
  );

type Row = Record<string, number | null>;
const take = (row: Row | undefined, name: string): PercentileSummary => ({
  p50: row?.[`${name}_p50`] ?? null,
  p90: row?.[`${name}_p90`] ?? null,
  n: Number(row?.[`${name}_n`] ?? 0),
});

/**
 * The team-health signals of docs/metrics.md ("PR cycle time and team health"), aggregated in
 * PostgreSQL for team `teamId` over [from, to). The team's PRs are those whose (non-bot) author
 * was a member on the day of `merged_at` (open PRs: on the period's last day). Durations in
 * seconds; negative phase spans count as 0. Out-of-hours uses the team's IANA `timezone`.
 */
export async function getTeamHealthAggregates(
  db: Db,
  input: { teamId: string; timezone: string; from: Date; to: Date; granularity: Granularity },
): Promise<TeamHealthAggregates> {
  const { teamId, timezone, from, to, granularity } = input;
  const member = (login: RawBuilder<unknown>, at: RawBuilder<unknown>) => isTeamMemberAt(teamId, login, at);
  const teamMerged = sql`
    select pr.*, d.deployed_at
    from pull_requests pr
    join repositories r on r.id = pr.repository_id
    left join deployment_changes dc on dc.pull_request_id = pr.id
    left join deployments d on d.id = dc.deployment_id and d.is_production
    where ${mergedIntoDefaultBranch('pr', 'r')} and not pr.author_is_bot
      and pr.merged_at >= ${from} and pr.merged_at < ${to}
      and ${member(sql.raw('pr.author_login'), sql.raw('pr.merged_at'))}`;

  const prs = sql<Row>`
    select count(*)::int as merged,
      count(*) filter (where size > 400)::int as over400,
      count(*) filter (where not reviewed)::int as without_review,
      ${pct('coding')}, ${pct('pickup')}, ${pct('review')}, ${pct('deploy')}, ${pct('size')}
    from (
      select
        ${nonNegativeSeconds('coalesce(p.ready_for_review_at, p.created_at) - p.first_commit_at')} as coding,
        ${nonNegativeSeconds('p.first_review_at - coalesce(p.ready_for_review_at, p.created_at)')} as pickup,
        ${nonNegativeSeconds('p.merged_at - p.first_review_at')} as review,
        ${nonNegativeSeconds('p.deployed_at - p.merged_at')} as deploy,
        (p.additions + p.deletions)::float8 as size,
        exists (select 1 from pull_request_reviews rv where rv.pull_request_id = p.id and rv.kind = 'review'
                and not rv.reviewer_is_bot and lower(rv.reviewer_login) is distinct from lower(p.author_login)) as reviewed
      from (${teamMerged}) p
    ) x`.execute(db);

  const series = sql<{ bucket: Date; merged: number }>`
    select date_trunc(${granularity}, p.merged_at at time zone 'UTC') at time zone 'UTC' as bucket, count(*)::int as merged
    from (${teamMerged}) p group by 1`.execute(db);

  const active = sql<{ n: number }>`
    select count(distinct login)::int as n from (
      select lower(pr.author_login) as login from pull_requests pr
      where not pr.author_is_bot and pr.author_login is not null
        and ((pr.merged_at >= ${from} and pr.merged_at < ${to}
              and ${member(sql.raw('pr.author_login'), sql.raw('pr.merged_at'))})
          or (pr.created_at >= ${from} and pr.created_at < ${to}
              and ${member(sql.raw('pr.author_login'), sql.raw('pr.created_at'))}))
      union all
      select lower(rv.reviewer_login) from pull_request_reviews rv
      where not rv.reviewer_is_bot and rv.reviewer_login is not null
        and rv.submitted_at >= ${from} and rv.submitted_at < ${to}
        and ${member(sql.raw('rv.reviewer_login'), sql.raw('rv.submitted_at'))}
    ) a`.execute(db);

  const lastInstant = new Date(to.getTime() - 1);
  const staleBefore = new Date(to.getTime() - 7 * 86_400_000);
  const wip = sql<{ open: number; stale: number }>`
    select count(*)::int as open, count(*) filter (where pr.created_at < ${staleBefore})::int as stale
    from pull_requests pr
    where not pr.author_is_bot and pr.created_at < ${to}
      and (pr.merged_at is null or pr.merged_at >= ${to}) and (pr.closed_at is null or pr.closed_at >= ${to})
      and ${member(sql.raw('pr.author_login'), sql`${lastInstant}::timestamptz`)}`.execute(db);

  const reviews = sql<{ reviews: number | null; busiest: number | null }>`
    select sum(c)::int as reviews, max(c)::int as busiest from (
      select count(*) as c from pull_request_reviews rv
      where rv.kind = 'review' and not rv.reviewer_is_bot and rv.reviewer_login is not null
        and rv.submitted_at >= ${from} and rv.submitted_at < ${to}
        and ${member(sql.raw('rv.reviewer_login'), sql.raw('rv.submitted_at'))}
      group by lower(rv.reviewer_login)) r`.execute(db);

  const busFrom = new Date(to.getTime() - 90 * 86_400_000);
  const bus = sql<{ repository: string; prs: number }>`
    select r.full_name as repository, count(pr.id)::int as prs
    from team_repositories tr
    join repositories r on r.id = tr.repository_id
    left join pull_requests pr on pr.repository_id = r.id and ${mergedIntoDefaultBranch('pr', 'r')}
      and not pr.author_is_bot and pr.merged_at >= ${busFrom} and pr.merged_at < ${to}
    where tr.team_id = ${teamId}::bigint
    group by r.full_name, lower(pr.author_login)
    order by r.full_name`.execute(db);

  const jira = sql<{ unplanned: number; resolved: number }>`
    select count(*) filter (where ji.classification in ('bug', 'incident'))::int as unplanned, count(*)::int as resolved
    from jira_issues ji
    where ji.resolved_at >= ${from} and ji.resolved_at < ${to}
      and ji.project_key in (select tjp.project_key from team_jira_projects tjp where tjp.team_id = ${teamId}::bigint)`.execute(
    db,
  );

  const commits = sql<{ commits: number; out_of_hours: number }>`
    select count(*)::int as commits,
      count(*) filter (where extract(isodow from local) in (6, 7) or extract(hour from local) < 8
                        or extract(hour from local) >= 19)::int as out_of_hours
    from (
      select distinct on (c.sha) c.authored_at at time zone ${timezone} as local
      from pull_request_commits c
      join pull_requests pr on pr.id = c.pull_request_id
      where c.authored_at >= ${from} and c.authored_at < ${to} and not pr.author_is_bot
        and ${member(sql.raw('coalesce(c.author_login, pr.author_login)'), sql.raw('c.authored_at'))}
    ) x`.execute(db);

  const incidents = sql<Row>`
    select count(*)::int as started, ${pct('recovery')}
    from (
      select extract(epoch from i.resolved_at - i.started_at)::float8 as recovery
      from incidents i
      where i.started_at >= ${from} and i.started_at < ${to}
        and ${incidentInScope({ type: 'team', teamId }, 'i')}
    ) x`.execute(db);

  const [p, s, a, w, rv, b, j, c, inc] = await Promise.all([
    prs,
    series,
    active,
    wip,
    reviews,
    bus,
    jira,
    commits,
    incidents,
  ]);
  const pr = p.rows[0];
  const busByRepo = new Map<string, number[]>();
  for (const row of b.rows) {
    const list = busByRepo.get(row.repository) ?? [];
    if (row.prs > 0) list.push(row.prs);
    busByRepo.set(row.repository, list);
  }
  return {
    cycleTime: {
      coding: take(pr, 'coding'),
      pickup: take(pr, 'pickup'),
      review: take(pr, 'review'),
      deploy: take(pr, 'deploy'),
    },
    prSize: { ...take(pr, 'size'), over400: Number(pr?.over400 ?? 0) },
    mergedPrs: Number(pr?.merged ?? 0),
    mergedWithoutReview: Number(pr?.without_review ?? 0),
    mergedSeries: new Map(s.rows.map((row) => [row.bucket.toISOString(), row.merged])),
    activeContributors: a.rows[0]?.n ?? 0,
    workInProgress: { open: w.rows[0]?.open ?? 0, stale: w.rows[0]?.stale ?? 0 },
    reviewLoad: { reviews: rv.rows[0]?.reviews ?? 0, busiestReviewer: rv.rows[0]?.busiest ?? 0 },
    busFactorSamples: [...busByRepo].map(([repository, prsByAuthor]) => ({ repository, prsByAuthor })),
    unplannedWork: { unplanned: j.rows[0]?.unplanned ?? 0, resolved: j.rows[0]?.resolved ?? 0 },
    outOfHours: { outOfHours: c.rows[0]?.out_of_hours ?? 0, commits: c.rows[0]?.commits ?? 0 },
    incidents: { started: Number(inc.rows[0]?.started ?? 0), recovery: take(inc.rows[0], 'recovery') },
  };
}
