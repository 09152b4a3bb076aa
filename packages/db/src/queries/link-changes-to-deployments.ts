import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/**
 * Links every merged change not yet linked to the **first production deployment of its
 * repository at or after `merged_at` whose shipped commits are unknown** (`attribution = 'time'`,
 * the fallback of docs/metrics.md where the deployed commits cannot be known: no SHA, the first
 * deployment, a compare that failed). A deployment whose commits are known (`commits_known`: the
 * compare with the previous deployed SHA was answered) did not ship a change it does not contain,
 * so it never takes one by time: a PR merged on `main` after a bugfix release cut from a release
 * branch stays "not yet deployed" until a deployment that contains it. Exact `commit` links are
 * made by the collector from the compare API (`recordShippedChanges`) and are never overwritten here. The deployment flags
 * that depend on links are refreshed by `refreshDeploymentFlags`, next in the sequence that
 * `deriveLinks` (packages/ingest) runs.
 *
 * @param repositoryIds limit to these repositories (default: all)
 * @returns number of changes newly linked by time
 */
export async function linkChangesToDeployments(db: Db, repositoryIds?: readonly string[]): Promise<number> {
  const scope = repositoryIds && repositoryIds.length > 0;
  const ids = scope
    ? sql`and pr.repository_id in (${sql.join(repositoryIds.map((id) => sql`${id}::bigint`))})`
    : sql``;
  const inserted = await sql`
    insert into deployment_changes (pull_request_id, deployment_id, attribution)
    select pr.id, d.id, 'time'
    from pull_requests pr
    join repositories r on r.id = pr.repository_id
    cross join lateral (
      select d.id from deployments d
      where d.repository_id = pr.repository_id and d.is_production and d.deployed_at is not null
        and d.deployed_at >= pr.merged_at and not d.commits_known
      order by d.deployed_at, d.id
      limit 1
    ) d
    where pr.merged_at is not null
      and (pr.base_branch is null or pr.base_branch = r.default_branch)
      and not exists (select 1 from deployment_changes dc where dc.pull_request_id = pr.id)
      ${ids}
    on conflict (pull_request_id) do nothing`.execute(db);
  return Number(inserted.numAffectedRows ?? 0);
}

/**
 * Derives per-deployment flags from the changes it shipped (docs/metrics.md):
 * - `is_unplanned`: it ships at least one unplanned change (bug / hotfix / revert);
 * - `rolled_back`: a later merged PR of the same repository reverts a change it shipped
 *   (`Revert "<title>"`). A flag set by the source (webhook) is never cleared.
 * Only rows whose flag changes are written: a re-run over an unchanged organisation writes
 * nothing (no dead tuples, no WAL, no lock on every deployment).
 *
 * @param repositoryIds limit to these repositories (default: all)
 * @returns number of deployment rows whose flags changed
 */
export async function refreshDeploymentFlags(db: Db, repositoryIds?: readonly string[]): Promise<number> {
  const scope = repositoryIds && repositoryIds.length > 0;
  const ids = scope
    ? sql`and d.repository_id in (${sql.join(repositoryIds.map((id) => sql`${id}::bigint`))})`
    : sql``;
  const unplanned = await sql`
    update deployments d set is_unplanned = not d.is_unplanned
    where d.is_unplanned <> exists (
      select 1 from deployment_changes dc join pull_requests pr on pr.id = dc.pull_request_id
      where dc.deployment_id = d.id and pr.is_unplanned) ${ids}`.execute(db);
  const rolledBack = await sql`
    update deployments d set rolled_back = true
    where not d.rolled_back ${ids} and exists (
      select 1 from deployment_changes dc
      join pull_requests shipped on shipped.id = dc.pull_request_id
      join pull_requests revert on revert.repository_id = shipped.repository_id
      where dc.deployment_id = d.id
        and revert.merged_at is not null and revert.merged_at > shipped.merged_at
        and revert.title = 'Revert "' || shipped.title || '"')`.execute(db);
  return Number(unplanned.numAffectedRows ?? 0) + Number(rolledBack.numAffectedRows ?? 0);
}
