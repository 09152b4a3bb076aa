import {
  attributeIncidentsToDeployments,
  type Db,
  type LinkWatermark,
  linkChangesToDeployments,
  refreshDeploymentFlags,
  refreshRollups,
} from '@stride/db';

export interface DeriveLinksScope {
  /**
   * Repositories whose changes or deployments were written: their merged changes not yet linked
   * are linked by time and their deployments' flags refreshed. `'all'` for every repository;
   * `[]` when only incidents were written (then only incidents are attributed).
   */
  repositoryIds: readonly string[] | 'all';
  /** Incident attribution window in days (config `incidents.attributionWindowDays`, default 7). */
  attributionWindowDays: number;
  /**
   * Incremental: only rows written after this watermark (`getLinkWatermark`, read before the
   * write) are linked, flagged and attributed, so the work is linear in new rows (a bulk load of
   * 1,000,000 PRs, then a day's sync). Rows updated in place keep their ids below the watermark:
   * a write that changes existing rows (a PR merged since the last sync) derives without `since`.
   */
  since?: LinkWatermark | undefined;
}

export interface DerivedLinks {
  /** Changes newly linked to a deployment by time. */
  changesLinked: number;
  /** Incidents newly attributed to the deployment that caused them. */
  incidentsAttributed: number;
}

/**
 * The derived links of docs/metrics.md, in their one order, after any write of changes,
 * deployments or incidents (sync, webhook, demo load, test seed):
 * 1. changes → deployments by time (`linkChangesToDeployments`): a merged change not linked
 *    exactly by commit goes to the first production deployment of its repository at or after its
 *    merge (exact `commit` links, made by the collector from the compare API, are kept);
 * 2. deployment flags (`refreshDeploymentFlags`): `is_unplanned` and `rolled_back` from the
 *    changes each deployment shipped, so they need step 1's links;
 * 3. incidents → deployments (`attributeIncidentsToDeployments`): the deployment an incident
 *    names, else the last production deployment before it within `attributionWindowDays`.
 * 4. the DORA day rollups (`refreshRollups`): the UTC days the writes and steps 1-3 changed
 *    (queued by triggers) are rebuilt, so the API serves them from the rollups again.
 * Each step only fills what is missing, so running it again changes nothing.
 * @throws the database's error; steps already done stay done (running again completes them).
 */
export async function deriveLinks(db: Db, scope: DeriveLinksScope): Promise<DerivedLinks> {
  let changesLinked = 0;
  if (scope.repositoryIds === 'all' || scope.repositoryIds.length > 0) {
    const ids = scope.repositoryIds === 'all' ? undefined : scope.repositoryIds;
    changesLinked = await linkChangesToDeployments(db, ids, scope.since);
    await refreshDeploymentFlags(db, ids, scope.since);
  }
  const incidentsAttributed = await attributeIncidentsToDeployments(
    db,
    scope.attributionWindowDays,
    scope.since,
  );
  await refreshRollups(db);
  return { changesLinked, incidentsAttributed };
}
