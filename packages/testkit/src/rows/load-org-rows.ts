import {
  type Db,
  finishSyncRun,
  startSyncRun,
  syncTeamsFromConfig,
  upsertDeployments,
  upsertIncidents,
  upsertJiraIssues,
  upsertJiraIssueTransitions,
  upsertPullRequestCommits,
  upsertPullRequestReviews,
  upsertPullRequests,
  upsertRepositories,
} from '@stride/db';
import { deriveLinks } from '@stride/ingest';
import {
  type ActivityRows,
  activityRows,
  emptyActivityRows,
  jiraSyncRuns,
  type ModelRowsOptions,
  repositoryRows,
} from '../adapters/model-rows.ts';
import type { OrgModel } from '../model/org-model-types.ts';
import type { OrgRows } from './org-rows.ts';

export interface LoadOrgRowsOptions {
  /** Rows per insert statement / transaction. Default 1000 (well under PostgreSQL's 65535 parameters). */
  batchSize?: number;
  /** Incident attribution window (config `incidents.attributionWindowDays`). Default 7. */
  attributionWindowDays?: number;
  /**
   * Which repositories `deriveLinks` relinks: only the ones loaded (default), or every
   * repository of the database (`'all'`, what a test seeding an empty database wants).
   */
  linkRepositories?: 'loaded' | 'all';
  /** Sync the teams (creating their repositories as placeholders) before writing the repositories. */
  teamsFirst?: boolean;
  /** Called after each batch with the entity and the rows written so far. */
  onProgress?: (entity: string, done: number, total: number) => void;
}

export interface LoadOrgRowsResult {
  /** Rows written per entity. */
  rows: Record<string, number>;
  total: number;
  /** Wall-clock seconds of the whole load, linking included. */
  seconds: number;
  /** Database ids by natural key: repositories by full name, teams by slug. */
  repositoryIds: Map<string, string>;
  teamIds: Map<string, string>;
}

async function inBatches<T>(
  rows: readonly T[],
  size: number,
  write: (batch: T[]) => Promise<void>,
  progress: (done: number) => void,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    await write(batch);
    progress(Math.min(rows.length, i + size));
  }
}

function idOf(ids: Map<string, string>, key: string, what: string): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`organisation loader: unknown ${what} '${key}'`);
  return id;
}

interface Target {
  db: Db;
  size: number;
  repoIds: Map<string, string>;
  teamIds: Map<string, string>;
  rows: Record<string, number>;
  onProgress?: (entity: string, done: number, total: number) => void;
}

/** Writes rows of the activity tables (everything but teams and repositories), counting them. */
async function writeActivity(target: Target, org: ActivityRows): Promise<void> {
  const { db, size, repoIds, teamIds, rows } = target;
  const add = (entity: string, n: number) => {
    rows[entity] = (rows[entity] ?? 0) + n;
  };
  const report = (entity: string, total: number) => (done: number) =>
    target.onProgress?.(entity, (rows[entity] ?? 0) + done, (rows[entity] ?? 0) + total);

  const prIds = new Map<string, string>();
  await inBatches(
    org.pullRequests,
    size,
    async (batch) => {
      const ids = await db.transaction().execute((trx) =>
        upsertPullRequests(
          trx,
          batch.map(({ repository, ...pr }) => ({
            ...pr,
            repository_id: idOf(repoIds, repository, 'repository'),
          })),
        ),
      );
      for (const [k, v] of ids) prIds.set(k, v);
    },
    report('pull_requests', org.pullRequests.length),
  );
  add('pull_requests', prIds.size);

  // These two upserts open their own transaction per call (they refresh first_commit/first_review).
  await inBatches(
    org.commits,
    size,
    (batch) =>
      upsertPullRequestCommits(
        db,
        batch.map(({ pullRequest, ...c }) => ({
          ...c,
          pull_request_id: idOf(prIds, pullRequest, 'pull request'),
        })),
      ),
    report('pull_request_commits', org.commits.length),
  );
  add('pull_request_commits', org.commits.length);
  await inBatches(
    org.reviews,
    size,
    (batch) =>
      upsertPullRequestReviews(
        db,
        batch.map(({ pullRequest, ...r }) => ({
          ...r,
          pull_request_id: idOf(prIds, pullRequest, 'pull request'),
        })),
      ),
    report('pull_request_reviews', org.reviews.length),
  );
  add('pull_request_reviews', org.reviews.length);

  await inBatches(
    org.deployments,
    size,
    async (batch) => {
      await db.transaction().execute((trx) =>
        upsertDeployments(
          trx,
          batch.map(({ repository, ...d }) => ({
            ...d,
            repository_id: idOf(repoIds, repository, 'repository'),
          })),
        ),
      );
    },
    report('deployments', org.deployments.length),
  );
  add('deployments', org.deployments.length);

  const issueIds = new Map<string, string>();
  await inBatches(
    org.jiraIssues,
    size,
    async (batch) => {
      const ids = await db.transaction().execute((trx) => upsertJiraIssues(trx, batch));
      for (const [k, v] of ids) issueIds.set(k, v);
    },
    report('jira_issues', org.jiraIssues.length),
  );
  add('jira_issues', issueIds.size);
  await inBatches(
    org.jiraTransitions,
    size,
    async (batch) => {
      await db.transaction().execute((trx) =>
        upsertJiraIssueTransitions(
          trx,
          batch.map(({ issue, ...t }) => ({ ...t, jira_issue_id: idOf(issueIds, issue, 'Jira issue') })),
        ),
      );
    },
    report('jira_issue_transitions', org.jiraTransitions.length),
  );
  add('jira_issue_transitions', org.jiraTransitions.length);

  await inBatches(
    org.incidents,
    size,
    async (batch) => {
      await db.transaction().execute((trx) =>
        upsertIncidents(
          trx,
          batch.map(({ repository, team, ...i }) => ({
            ...i,
            repository_id: repository === null ? null : idOf(repoIds, repository, 'repository'),
            ...(team === undefined ? {} : { team_id: idOf(teamIds, team, 'team') }),
          })),
        ),
      );
    },
    report('incidents', org.incidents.length),
  );
  add('incidents', org.incidents.length);

  for (const run of org.syncRuns ?? []) {
    const id = await startSyncRun(db, run.source, run.scope);
    await finishSyncRun(db, id, {
      requests: run.requests,
      notModified: run.notModified,
      itemsUpserted: run.itemsUpserted,
      itemsSkipped: run.itemsSkipped,
      rateLimitRemaining: run.rateLimitRemaining,
      rateLimitResetAt: null,
    });
  }
  add('sync_runs', org.syncRuns?.length ?? 0);
}

/** Teams (config section) and repositories; teams first when `teamsFirst`. */
async function writeOrganisation(
  db: Db,
  teams: OrgRows['teams'],
  repositories: OrgRows['repositories'],
  options: LoadOrgRowsOptions,
  rows: Record<string, number>,
): Promise<{ repoIds: Map<string, string>; teamIds: Map<string, string> }> {
  // Teams first creates the repositories they own as placeholders (ids in config order) that the
  // repository rows then complete; the generated demo writes its repositories first.
  let teamIds = options.teamsFirst ? await syncTeamsFromConfig(db, teams) : undefined;
  const repoIds = await upsertRepositories(db, repositories);
  rows.repositories = repoIds.size;
  teamIds ??= await syncTeamsFromConfig(db, teams);
  rows.teams = teamIds.size;
  rows.team_memberships = teams.reduce((n, t) => n + t.members.length, 0);
  return { repoIds, teamIds };
}

async function finish(
  db: Db,
  started: number,
  target: Target,
  options: LoadOrgRowsOptions,
): Promise<LoadOrgRowsResult> {
  const derived = await deriveLinks(db, {
    repositoryIds: options.linkRepositories === 'all' ? 'all' : [...target.repoIds.values()],
    attributionWindowDays: options.attributionWindowDays ?? 7,
  });
  target.rows.deployment_changes = derived.changesLinked;
  const total = Object.values(target.rows).reduce((a, b) => a + b, 0);
  return {
    rows: target.rows,
    total,
    seconds: (performance.now() - started) / 1000,
    repositoryIds: target.repoIds,
    teamIds: target.teamIds,
  };
}

/** Teams and repositories, then each chunk of activity rows as it comes, then the derived links. */
async function load(
  db: Db,
  organisation: Pick<OrgRows, 'teams' | 'repositories'>,
  chunks: Iterable<ActivityRows>,
  options: LoadOrgRowsOptions,
): Promise<LoadOrgRowsResult> {
  const started = performance.now();
  const rows: Record<string, number> = {};
  const ids = await writeOrganisation(db, organisation.teams, organisation.repositories, options, rows);
  const target: Target = {
    db,
    size: options.batchSize ?? 1000,
    rows,
    onProgress: options.onProgress,
    ...ids,
  };
  for (const chunk of chunks) await writeActivity(target, chunk);
  return finish(db, started, target, options);
}

/**
 * Writes an organisation's keyed rows with the packages/db upserts, as a sync would (idempotent:
 * loading the same rows twice leaves the same rows), in batches of `batchSize`, one transaction
 * per batch: teams (config section), repositories, PRs, commits, reviews, deployments, Jira
 * issues and transitions, incidents; then the finished sync runs, then the derived links with
 * the collector's own `deriveLinks` (changes to deployments, deployment flags, incident
 * attribution). Rows keep their order within each table, so ids follow it.
 *
 * @throws Error when a row names a repository, PR, Jira issue or team the rows do not contain.
 */
export function loadOrgRows(
  db: Db,
  org: OrgRows,
  options: LoadOrgRowsOptions = {},
): Promise<LoadOrgRowsResult> {
  return load(db, org, [org], options);
}

/**
 * Streams an organisation model into the database: teams and repositories, then each
 * repository's activity as it is generated (only one repository's rows in memory at a time),
 * then `deriveLinks` once. Same rows and order as `loadOrgRows(db, collectOrgRows(model))`.
 *
 * @throws Error when a row names something the model does not contain (a model defect).
 */
export function loadOrgModel(
  db: Db,
  model: OrgModel,
  options: LoadOrgRowsOptions &
    ModelRowsOptions & {
      /** A pure step applied to each repository's rows before they are written (e.g. a test's extra rows). */
      transformRows?: (rows: ActivityRows) => ActivityRows;
    } = {},
): Promise<LoadOrgRowsResult> {
  function* chunks(): Generator<ActivityRows> {
    for (const activity of model.activity()) {
      const rows = activityRows(activity, options);
      yield options.transformRows ? options.transformRows(rows) : rows;
    }
    if (options.syncRuns) yield { ...emptyActivityRows(), syncRuns: jiraSyncRuns(model) };
  }
  return load(
    db,
    { teams: model.config, repositories: repositoryRows(model.repositories) },
    chunks(),
    options,
  );
}
