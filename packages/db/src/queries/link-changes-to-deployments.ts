import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { LinkWatermark } from './get-link-watermark.ts';

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
 * With `since` (a watermark read before the rows were written) only new rows are looked at: the
 * merged PRs written after it, and the unlinked PRs an older deployment could not take that a new
 * deployment may (merged after the repository's last older production deployment whose commits
 * are unknown, up to its newest new one). Each candidate is one probe of
 * `deployments_repo_deployed_idx` (`LATERAL … ORDER BY deployed_at LIMIT 1`): linear in new rows.
 *
 * @param repositoryIds limit to these repositories (default: all)
 * @param since only rows newer than this watermark (default: every unlinked merged PR)
 * @returns number of changes newly linked by time
 */
export async function linkChangesToDeployments(
  db: Db,
  repositoryIds?: readonly string[],
  since?: LinkWatermark,
): Promise<number> {
  const scope = repositoryIds && repositoryIds.length > 0;
  const ids = scope
    ? sql`and pr.repository_id in (${sql.join(repositoryIds.map((id) => sql`${id}::bigint`))})`
    : sql``;
  const candidates = since
    ? sql`(
        select pr.* from pull_requests pr
        where pr.id > ${since.pullRequestId}::bigint and pr.merged_at is not null ${ids}
        union all
        select pr.* from (
          select d.repository_id, max(d.deployed_at) as until,
                 (select max(o.deployed_at) from deployments o
                  where o.repository_id = d.repository_id and o.is_production and o.deployed_at is not null
                    and not o.commits_known and o.id <= ${since.deploymentId}::bigint) as after
          from deployments d
          where d.id > ${since.deploymentId}::bigint and d.is_production and d.deployed_at is not null
          group by d.repository_id) nd
        join pull_requests pr on pr.repository_id = nd.repository_id
          and pr.merged_at <= nd.until and (nd.after is null or pr.merged_at > nd.after)
        where pr.id <= ${since.pullRequestId}::bigint ${ids})`
    : sql`pull_requests`;
  // The unlinked candidates are sorted before the first row is inserted: the anti-join then reads
  // deployment_changes as it was, whatever plan its statistics give. Reading it while inserting
  // into it, a plan made for an empty (ANALYZEd) table seq-scans every row this statement inserted
  // again for each candidate (quadratic: a fresh xl load ran > 28 min). The order also makes the
  // deployment probes walk the index in order.
  const inserted = await sql`
    insert into deployment_changes (pull_request_id, deployment_id, attribution)
    select c.id, d.id, 'time'
    from (
      select pr.id, pr.repository_id, pr.merged_at
      from ${candidates} pr
      join repositories r on r.id = pr.repository_id
      where pr.merged_at is not null
        and (pr.base_branch is null or pr.base_branch = r.default_branch)
        and not exists (select 1 from deployment_changes dc where dc.pull_request_id = pr.id)
        ${ids}
      order by pr.repository_id, pr.merged_at, pr.id
    ) c
    cross join lateral (
      select d.id from deployments d
      where d.repository_id = c.repository_id and d.is_production and d.deployed_at is not null
        and d.deployed_at >= c.merged_at and not d.commits_known
      order by d.deployed_at, d.id
      limit 1
    ) d
    on conflict (pull_request_id) do nothing`.execute(db);
  return Number(inserted.numAffectedRows ?? 0);
}

/**
 * Derives per-deployment flags from the changes it shipped (docs/metrics.md):
 * - `is_unplanned`: it ships at least one unplanned change (bug / hotfix / revert);
 * - `rolled_back`: a later merged PR of the same repository reverts a change it shipped
 *   (`Revert "<title>"`). A flag set by the source (webhook) is never cleared.
 * Only rows whose flag changes are written: a re-run over an unchanged organisation writes
 * nothing (no dead tuples, no WAL, no lock on every deployment). `rolled_back` is found from the
 * reverts (few) to the changes they revert by (repository, title) in one hash join, linear in the
 * PRs of the scope (a probe of every later PR per shipped change was quadratic per repository).
 * With `since`, only deployments written after the watermark or shipping a change linked after it
 * (`is_unplanned`), and reverts or deployments written after it (`rolled_back`), are looked at.
 *
 * @param repositoryIds limit to these repositories (default: all)
 * @param since only rows newer than this watermark (see `linkChangesToDeployments`)
 * @returns number of deployment rows whose flags changed
 */
export async function refreshDeploymentFlags(
  db: Db,
  repositoryIds?: readonly string[],
  since?: LinkWatermark,
): Promise<number> {
  const scope = repositoryIds && repositoryIds.length > 0;
  const list = scope ? sql.join(repositoryIds.map((id) => sql`${id}::bigint`)) : undefined;
  const ids = list ? sql`and d.repository_id in (${list})` : sql``;
  const revertIds = list ? sql`and revert.repository_id in (${list})` : sql``;
  const fresh = since
    ? sql`and (d.id > ${since.deploymentId}::bigint or d.id in (
        select dc.deployment_id from deployment_changes dc where dc.pull_request_id > ${since.pullRequestId}::bigint))`
    : sql``;
  const freshRevert = since
    ? sql`and (revert.id > ${since.pullRequestId}::bigint or dc.deployment_id > ${since.deploymentId}::bigint)`
    : sql``;
  const unplanned = await sql`
    update deployments d set is_unplanned = not d.is_unplanned
    where d.is_unplanned <> exists (
      select 1 from deployment_changes dc join pull_requests pr on pr.id = dc.pull_request_id
      where dc.deployment_id = d.id and pr.is_unplanned) ${ids} ${fresh}`.execute(db);
  const rolledBack = await sql`
    update deployments d set rolled_back = true
    from (
      select distinct dc.deployment_id
      from pull_requests revert
      join pull_requests shipped on shipped.repository_id = revert.repository_id
        and revert.title = 'Revert "' || shipped.title || '"'
        and revert.merged_at > shipped.merged_at
      join deployment_changes dc on dc.pull_request_id = shipped.id
      where revert.merged_at is not null and revert.title like 'Revert "%' ${revertIds} ${freshRevert}
    ) reverted
    where d.id = reverted.deployment_id and not d.rolled_back ${ids}`.execute(db);
  return Number(unplanned.numAffectedRows ?? 0) + Number(rolledBack.numAffectedRows ?? 0);
}
