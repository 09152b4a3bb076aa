import {
  type DeployedSha,
  findPullRequestsByMergeSha,
  listProductionDeploymentShas,
  listSyncCursorEndpoints,
  recordComparedDeployments,
  recordShippedChanges,
  saveSyncCursor,
} from '@stride/db';
import { throwIfStopping } from '../sync-context.ts';
import { COMPARE_BATCH, compareByHistory, usesGraphql } from './graphql-lookups.ts';
import { chunk, cursorKey, type RepoSync, storeRaw } from './repo-sync.ts';

/**
 * Exact change → deployment links (docs/metrics.md, Change): for each pair of consecutive
 * successful production deployments with SHAs, `GET /compare/{prev}...{cur}` lists the commits
 * the later one shipped; merged PRs whose merge commit is among them are linked to it with
 * `attribution = 'commit'`. A compared pair is remembered in `sync_cursors`, so a re-sync
 * compares only new pairs. The later deployment's commits are then known
 * (`recordShippedChanges`): no other change is linked to it by time. A compare that fails
 * (unknown SHA, 404/422) is logged and left to the time-based fallback (linkChangesToDeployments).
 * @returns the number of PRs linked by commit.
 */
export async function linkDeployedChanges(r: RepoSync): Promise<number> {
  const deployed = await listProductionDeploymentShas(r.ctx.db, r.repositoryId);
  const compared = await listSyncCursorEndpoints(r.ctx.db, 'github', r.fullName, 'compare:');
  const pending: { prev: DeployedSha; cur: DeployedSha; key: ReturnType<typeof cursorKey> }[] = [];
  for (let i = 1; i < deployed.length; i += 1) {
    const prev = deployed[i - 1]!;
    const cur = deployed[i]!;
    if (prev.sha === cur.sha) continue;
    const key = cursorKey(r, `compare:${prev.sha}...${cur.sha}`);
    if (compared.has(key.endpoint)) continue;
    pending.push({ prev, cur, key });
  }
  let linked = 0;
  const record = async (pair: (typeof pending)[number], shas: string[] | null, status: number | null) => {
    const prIds = await findPullRequestsByMergeSha(r.ctx.db, r.repositoryId, shas ?? []);
    const outcome = shas ? 'linked' : `unavailable:${status}`;
    if (shas) {
      // The commits it shipped are known: the changes among them are its, no other by time.
      await recordShippedChanges(r.ctx.db, pair.cur.id, prIds);
    } else {
      r.ctx.logger.warn(
        { repository: r.fullName, base: pair.prev.sha, head: pair.cur.sha, status },
        'compare unavailable: these changes fall back to time-based attribution',
      );
    }
    linked += prIds.length;
    await saveSyncCursor(r.ctx.db, pair.key, { cursor: `${outcome}:${prIds.length}` });
  };
  if (usesGraphql(r)) {
    // The head's history down to the base, for COMPARE_BATCH pairs per query.
    for (const batch of chunk(pending, COMPARE_BATCH)) {
      throwIfStopping(r.ctx);
      const lists = await compareByHistory(
        r,
        batch.map((p) => ({ base: p.prev.sha, head: p.cur.sha })),
      );
      await storeRaw(
        r,
        batch.flatMap((p, i) =>
          lists[i]
            ? [
                {
                  source: 'github',
                  kind: 'compare_history',
                  externalId: `${p.prev.sha}...${p.cur.sha}`,
                  url: r.client.graphqlUrl,
                  payload: { base: p.prev.sha, head: p.cur.sha, commits: lists[i] },
                },
              ]
            : [],
        ),
      );
      for (const [i, pair] of batch.entries())
        if (!lists[i])
          r.ctx.logger.warn(
            { repository: r.fullName, base: pair.prev.sha, head: pair.cur.sha, status: 404 },
            'compare unavailable: these changes fall back to time-based attribution',
          );
      // The batch's links and cursors in one transaction.
      const counts = await recordComparedDeployments(
        r.ctx.db,
        r.repositoryId,
        batch.map((pair, i) => ({
          deploymentId: pair.cur.id,
          shas: lists[i] ?? null,
          key: pair.key,
          unavailable: 'unavailable:404',
        })),
      );
      for (const n of counts) linked += n;
    }
    return linked;
  }
  for (const pair of pending) {
    throwIfStopping(r.ctx);
    const { prev, cur } = pair;
    const shas: string[] = [];
    try {
      for (let page = 1; ; page += 1) {
        const result = await r.client.get<{ commits?: { sha?: unknown }[] }>(
          'GET /repos/{owner}/{repo}/compare/{basehead}',
          { owner: r.owner, repo: r.repo, basehead: `${prev.sha}...${cur.sha}`, per_page: 100, page },
        );
        if (result.notModified) break;
        await storeRaw(r, [
          {
            source: 'github',
            kind: 'compare',
            externalId: `${prev.sha}...${cur.sha}${page > 1 ? `#${page}` : ''}`,
            url: result.url,
            payload: result.data,
          },
        ]);
        const commits = Array.isArray(result.data.commits) ? result.data.commits : [];
        for (const c of commits) if (typeof c?.sha === 'string') shas.push(c.sha);
        if (!result.hasNext || commits.length === 0) break;
      }
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== 404 && status !== 422) throw error;
      await record(pair, null, status);
      continue;
    }
    await record(pair, shas, null);
  }
  return linked;
}
