import {
  type Db,
  getLinkWatermark,
  openBulkLoad,
  type RejectedRow,
  syncTeamsFromConfig,
  upsertRepositories,
} from '@stride/db';
import { deriveLinks } from '@stride/ingest';
import { sql } from 'kysely';
import { type ActivityRows, activityRows, repositoryRows } from '../adapters/model-rows.ts';
import type { OrgModel } from '../model/org-model-types.ts';

export interface BulkLoadOrgModelOptions {
  /** Incident attribution window (config `incidents.attributionWindowDays`). Default 7. */
  attributionWindowDays?: number;
  /** Sync the teams (creating their repositories as placeholders) before writing the repositories. */
  teamsFirst?: boolean;
  /**
   * ANALYZE the loaded tables after the merge (so linking is planned on real statistics, not on
   * the empty tables' estimates: at xl a per-row plan of the flags step ran > 8 min instead of
   * 17 s) and again after linking. Default true (the machine's PostgreSQL runs without autovacuum).
   */
  analyze?: boolean;
  /** Called after each repository's rows are staged: repositories done, of how many. */
  onProgress?: (repositoriesDone: number, repositories: number) => void;
  /** Called for each refused row (see `openBulkLoad`). */
  onReject?: (rejected: RejectedRow) => void;
}

export interface BulkLoadOrgModelResult {
  /** Rows per table: staged activity rows, teams, repositories, memberships, derived links. */
  rows: Record<string, number>;
  total: number;
  /**
   * Refused rows (a model defect when not 0), at most the first 1,000. `row` is the position in
   * its table's staged rows, or in its repository's rows when the loader refused it (unknown key).
   */
  rejected: RejectedRow[];
  rejectedCount: number;
  /**
   * Wall-clock seconds: `generate` = time inside the model and the row adapter (a part of
   * `stage`, which overlaps it with the server parsing COPY), `stage` = teams, repositories and
   * every COPY until the last row is stored, `merge` = the one merge transaction, `link` =
   * `deriveLinks`, `analyze` = both ANALYZEs (after the merge and after linking), `total` = all of it.
   */
  seconds: { generate: number; stage: number; merge: number; link: number; analyze: number; total: number };
  repositoryIds: Map<string, string>;
  teamIds: Map<string, string>;
}

/** The tables a load writes, ANALYZEd after it. */
const LOADED_TABLES = [
  'teams',
  'team_memberships',
  'team_repositories',
  'repositories',
  'pull_requests',
  'pull_request_commits',
  'pull_request_reviews',
  'deployments',
  'deployment_changes',
  'incidents',
  'jira_issues',
  'jira_issue_transitions',
];

function idOf(ids: Map<string, string>, key: string): string | undefined {
  return ids.get(key);
}

/**
 * Streams an organisation model into the database through the bulk write path of packages/db
 * (`openBulkLoad`: COPY into staging tables while the model generates, one repository at a time,
 * then one merge per table), then derives links incrementally (`deriveLinks` with `since`: only the
 * rows this load added) and ANALYZEs. Same rows as `loadOrgModel` (the per-row upserts), which
 * `bulk-load-org-model.test.ts` checks; idempotent. Memory stays at one repository's activity plus
 * 64 KB per table whatever the size (xl: 1,000,000 PRs).
 *
 * Rows naming a repository or team the model does not have are refused and reported like a value
 * that does not fit its column (`rejected`), never written half.
 * @throws the database's error (nothing of the activity is merged then).
 */
export async function bulkLoadOrgModel(
  db: Db,
  model: OrgModel,
  options: BulkLoadOrgModelOptions = {},
): Promise<BulkLoadOrgModelResult> {
  const started = performance.now();
  const rows: Record<string, number> = {};
  const since = await getLinkWatermark(db);
  let teamIds = options.teamsFirst ? await syncTeamsFromConfig(db, model.config) : undefined;
  const repositoryIds = await upsertRepositories(db, repositoryRows(model.repositories));
  teamIds ??= await syncTeamsFromConfig(db, model.config);
  rows.repositories = repositoryIds.size;
  rows.teams = teamIds.size;
  rows.team_memberships = model.config.reduce((n, t) => n + t.members.length, 0);

  const rejectedExtra: RejectedRow[] = [];
  const refuse = (table: string, row: number, column: string, key: string) => {
    const rejected = { table, row, column, reason: `${column} names an unknown row '${key}'` };
    rejectedExtra.push(rejected);
    options.onReject?.(rejected);
  };
  const load = await openBulkLoad(db, options.onReject ? { onReject: options.onReject } : {});
  const opened = performance.now();
  let generate = 0;
  let done = 0;
  try {
    const activities = model.activity();
    for (;;) {
      const t0 = performance.now();
      const next = activities.next();
      const chunk: ActivityRows | undefined = next.done ? undefined : activityRows(next.value);
      generate += performance.now() - t0;
      if (!chunk) break;
      await writeChunk(load, chunk, repositoryIds, teamIds, refuse);
      options.onProgress?.(++done, model.repositories.length);
    }
  } catch (error) {
    await load.abort();
    throw error;
  }
  const merged = await load.finish();
  for (const [table, n] of Object.entries(merged.staged)) rows[table] = n;

  const analyzeMergedStart = performance.now();
  // Not deployment_changes: linking writes it next (an empty table's statistics say "empty").
  const mergedTables = LOADED_TABLES.filter((table) => table !== 'deployment_changes');
  if (options.analyze !== false) await sql.raw(`analyze ${mergedTables.join(', ')}`).execute(db);
  const linkStart = performance.now();
  const derived = await deriveLinks(db, {
    repositoryIds: [...repositoryIds.values()],
    attributionWindowDays: options.attributionWindowDays ?? 7,
    since,
  });
  rows.deployment_changes = derived.changesLinked;
  const analyzeStart = performance.now();
  if (options.analyze !== false) await sql.raw(`analyze ${LOADED_TABLES.join(', ')}`).execute(db);
  const end = performance.now();
  return {
    rows,
    total: Object.values(rows).reduce((a, b) => a + b, 0),
    rejected: [...rejectedExtra, ...merged.rejected].slice(0, 1000),
    rejectedCount: rejectedExtra.length + merged.rejectedCount,
    seconds: {
      generate: generate / 1000,
      stage: (opened - started) / 1000 + merged.seconds.stage,
      merge: merged.seconds.merge,
      link: (analyzeStart - linkStart) / 1000,
      analyze: (end - analyzeStart + linkStart - analyzeMergedStart) / 1000,
      total: (end - started) / 1000,
    },
    repositoryIds,
    teamIds,
  };
}

/** Stages one repository's rows, mapping natural keys to ids; awaits the streams when they are full. */
async function writeChunk(
  load: Awaited<ReturnType<typeof openBulkLoad>>,
  chunk: ActivityRows,
  repositoryIds: Map<string, string>,
  teamIds: Map<string, string>,
  refuse: (table: string, row: number, column: string, key: string) => void,
): Promise<void> {
  for (const [i, { repository, ...pr }] of chunk.pullRequests.entries()) {
    const repositoryId = idOf(repositoryIds, repository);
    if (repositoryId === undefined) {
      refuse('pull_requests', i, 'repository', repository);
      continue;
    }
    const wait = load.write('pull_requests', { ...pr, repository_id: repositoryId });
    if (wait) await wait;
  }
  for (const { pullRequest, ...commit } of chunk.commits) {
    const wait = load.write('pull_request_commits', { ...commit, pull_request_external_id: pullRequest });
    if (wait) await wait;
  }
  for (const { pullRequest, ...review } of chunk.reviews) {
    const wait = load.write('pull_request_reviews', { ...review, pull_request_external_id: pullRequest });
    if (wait) await wait;
  }
  for (const [i, { repository, ...deployment }] of chunk.deployments.entries()) {
    const repositoryId = idOf(repositoryIds, repository);
    if (repositoryId === undefined) {
      refuse('deployments', i, 'repository', repository);
      continue;
    }
    const wait = load.write('deployments', { ...deployment, repository_id: repositoryId });
    if (wait) await wait;
  }
  for (const issue of chunk.jiraIssues) {
    const wait = load.write('jira_issues', issue);
    if (wait) await wait;
  }
  for (const { issue, ...transition } of chunk.jiraTransitions) {
    const wait = load.write('jira_issue_transitions', { ...transition, jira_issue_external_id: issue });
    if (wait) await wait;
  }
  for (const [i, { repository, team, ...incident }] of chunk.incidents.entries()) {
    const repositoryId = repository === null ? null : idOf(repositoryIds, repository);
    const teamId = team === undefined ? undefined : idOf(teamIds, team);
    if (repositoryId === undefined || (team !== undefined && teamId === undefined)) {
      refuse('incidents', i, repositoryId === undefined ? 'repository' : 'team', String(repository ?? team));
      continue;
    }
    const wait = load.write('incidents', {
      ...incident,
      repository_id: repositoryId,
      ...(teamId === undefined ? {} : { team_id: teamId }),
    });
    if (wait) await wait;
  }
}
