import type { AiChangeSample } from '@stride/metrics';
import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { AiClass } from '../schema.ts';
import { deploymentFailed, mergedIntoDefaultBranch } from './metric-scope.ts';
import { nonNegativeSeconds } from './team-health/team-health-sql.ts';

/** A later PR reverting a change counts when merged within this many days of it. */
export const REVERT_WINDOW_DAYS = 30;

/**
 * One merged change with everything the AI-impact figures compare (docs/metrics.md, "AI impact"):
 * the pure sample of @stride/metrics plus what the drill-down shows.
 */
export interface AiImpactSampleRow extends AiChangeSample {
  id: string;
  /** Team slug (a change of an author in two teams appears once per team); null: in no team. */
  team: string | null;
  repository: string;
  number: number;
  title: string;
  url: string | null;
  aiClass: AiClass | null;
  /** Stored evidence: `{ rule, tool, detail, sha }[]`. */
  aiEvidence: unknown;
}

/**
 * The changes merged in [from, to) with their AI class and per-change figures, once per team
 * they belong to: the team of the author on the day of `merged_at`; an `agent` PR whose author
 * (the agent account) is in no team belongs to the teams owning its repository. Bots' PRs are
 * left out except agent PRs. Reverted: a later PR of the same repository, merged within 30 days,
 * titled `Revert "<title>"` or whose description/commits revert its number, merge commit or
 * one of its commits (`revert_refs`). @param teamId only this team's rows
 */
export async function listAiImpactSamples(
  db: Db,
  input: { from: Date; to: Date; teamId?: string },
): Promise<AiImpactSampleRow[]> {
  const ready = sql`coalesce(pr.ready_for_review_at, pr.created_at)`;
  const memberOn = (teamRef: ReturnType<typeof sql>) => sql`exists (select 1 from team_memberships tm
      where ${teamRef} and lower(tm.github_login) = lower(pr.author_login)
        and (pr.merged_at at time zone 'UTC')::date >= tm.valid_from
        and (tm.valid_to is null or (pr.merged_at at time zone 'UTC')::date <= tm.valid_to))`;
  const query = sql<AiImpactSampleRow>`
    select pr.id::text as id, t.slug as team, r.full_name as repository, pr.number, pr.title,
      pr.html_url as url, pr.merged_at as "mergedAt", pr.ai_class as "aiClass", pr.ai_evidence as "aiEvidence",
      ${nonNegativeSeconds(sql`${ready} - pr.first_commit_at`)} as "codingSeconds",
      ${nonNegativeSeconds(sql`pr.first_review_at - ${ready}`)} as "pickupSeconds",
      ${nonNegativeSeconds(sql`pr.merged_at - pr.first_review_at`)} as "reviewSeconds",
      ${nonNegativeSeconds(sql`d.deployed_at - pr.merged_at`)} as "deploySeconds",
      (pr.additions + pr.deletions)::int as size,
      (select count(*)::int from pull_request_reviews rv where rv.pull_request_id = pr.id and rv.kind = 'review'
        and rv.state = 'CHANGES_REQUESTED' and not rv.reviewer_is_bot
        and lower(rv.reviewer_login) is distinct from lower(pr.author_login)) as "changesRequested",
      exists (select 1 from pull_requests rv where rv.repository_id = pr.repository_id and rv.id <> pr.id
        and rv.merged_at > pr.merged_at and rv.merged_at <= pr.merged_at + make_interval(days => ${REVERT_WINDOW_DAYS})
        and (rv.title = 'Revert "' || pr.title || '"'
          or ('#' || pr.number) = any(rv.revert_refs)
          or exists (select 1 from unnest(rv.revert_refs) ref where ref not like '#%' and (
            starts_with(lower(coalesce(pr.merge_commit_sha, '')), ref)
            or exists (select 1 from pull_request_commits c where c.pull_request_id = pr.id and starts_with(lower(c.sha), ref)))))
      ) as reverted,
      case when d.id is null then null else ${deploymentFailed('d')} end as "failedDeployment"
    from pull_requests pr
    join repositories r on r.id = pr.repository_id
    left join deployment_changes dc on dc.pull_request_id = pr.id
    left join deployments d on d.id = dc.deployment_id and d.is_production
    left join lateral (
      select tm.team_id from team_memberships tm
        where lower(tm.github_login) = lower(pr.author_login)
          and (pr.merged_at at time zone 'UTC')::date >= tm.valid_from
          and (tm.valid_to is null or (pr.merged_at at time zone 'UTC')::date <= tm.valid_to)
      union
      select tr.team_id from team_repositories tr
        where tr.repository_id = pr.repository_id and pr.ai_class = 'agent' and not ${memberOn(sql`true`)}
    ) tt on true
    left join teams t on t.id = tt.team_id
    where ${mergedIntoDefaultBranch('pr', 'r')} and pr.merged_at >= ${input.from} and pr.merged_at < ${input.to}
      and (not pr.author_is_bot or pr.ai_class = 'agent')
      ${input.teamId === undefined ? sql`` : sql`and tt.team_id = ${input.teamId}::bigint`}
    order by pr.merged_at, pr.id, t.slug`;
  // The planner prices the per-change subqueries high enough to JIT-compile the query, which took
  // 2.4 s of a 2.6 s one-year answer (EXPLAIN ANALYZE, 8-team demo): the plan runs in ~150 ms
  // interpreted, so JIT is off for this statement (SET LOCAL: this transaction only).
  if (db.isTransaction) return (await query.execute(db)).rows;
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return (await query.execute(trx)).rows;
  });
}
