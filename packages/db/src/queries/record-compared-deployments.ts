import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { SyncCursorKey } from './sync-cursors.ts';
import { upsertDeploymentChanges } from './upsert-deployment-changes.ts';

/** One compared pair of consecutive deployments: what the later one shipped, or why unknown. */
export interface ComparedDeployment {
  /** The later deployment of the pair (ours). */
  deploymentId: string;
  /** The commits it shipped (the compare's list), or null when the compare was unavailable. */
  shas: readonly string[] | null;
  /** Where the pair is remembered as compared (`sync_cursors`). */
  key: SyncCursorKey;
  /** Why the compare was unavailable (e.g. `unavailable:404`); ignored when `shas` is given. */
  unavailable?: string;
}

/**
 * Records many compared deployments of one repository at once, in one transaction and a few
 * statements (what `recordShippedChanges` does for one, plus the pair's cursor): for each pair
 * with `shas`, the merged PRs whose merge commit is among them are linked to the deployment with
 * `attribution = 'commit'` (a PR listed by two pairs keeps the first, earlier one), its time links
 * are dropped and its commits marked known; every pair's cursor is saved as
 * `linked:<n>` / `<unavailable>:0` (docs/metrics.md, Change).
 * @returns the number of PRs linked per pair, in input order.
 */
export async function recordComparedDeployments(
  db: Db,
  repositoryId: string,
  compared: readonly ComparedDeployment[],
): Promise<number[]> {
  if (compared.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const shas = [...new Set(compared.flatMap((c) => c.shas ?? []))];
    const bySha = new Map<string, string>();
    if (shas.length > 0) {
      const rows = await trx
        .selectFrom('pull_requests')
        .select(['id', 'merge_commit_sha'])
        .where('repository_id', '=', repositoryId)
        .where('merged_at', 'is not', null)
        .where('merge_commit_sha', 'in', shas)
        .execute();
      for (const r of rows) if (r.merge_commit_sha) bySha.set(r.merge_commit_sha, r.id);
    }
    const linkedIds = compared.filter((c) => c.shas !== null).map((c) => c.deploymentId);
    const seen = new Set<string>();
    const links: { pullRequestId: string; deploymentId: string; attribution: 'commit' }[] = [];
    const counts = compared.map((c) => {
      const ids = [...new Set((c.shas ?? []).flatMap((sha) => bySha.get(sha) ?? []))];
      for (const id of ids)
        if (!seen.has(id)) {
          seen.add(id);
          links.push({ pullRequestId: id, deploymentId: c.deploymentId, attribution: 'commit' });
        }
      return ids.length;
    });
    if (linkedIds.length > 0) {
      await trx
        .deleteFrom('deployment_changes')
        .where('deployment_id', 'in', linkedIds)
        .where('attribution', '=', 'time')
        .execute();
      await upsertDeploymentChanges(trx, links);
      await trx
        .updateTable('deployments')
        .set({ commits_known: true })
        .where('id', 'in', linkedIds)
        .execute();
    }
    await trx
      .insertInto('sync_cursors')
      .values(
        compared.map((c, i) => ({
          ...c.key,
          cursor: c.shas ? `linked:${counts[i]}` : `${c.unavailable ?? 'unavailable'}:0`,
          etag: null,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['source', 'scope', 'endpoint'])
          .doUpdateSet({ cursor: (eb) => eb.ref('excluded.cursor'), updated_at: sql`now()` }),
      )
      .execute();
    return counts;
  });
}
