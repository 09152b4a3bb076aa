import {
  type Db,
  setAppSetting,
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
import type { DemoOrg } from '../presets/generate-demo-org.ts';

/** app_settings keys written by the demo: `demo` = true marks the data as demo in the UI and API. */
export const DEMO_SETTING = 'demo';
/** app_settings key holding the generator options of the loaded demo (seed, size, end). */
export const DEMO_ORG_SETTING = 'demo_org';

export interface DemoOrgMeta {
  seed: number;
  teams: number;
  repositories: number;
  years: number;
  /** ISO instant the generated history ends at. */
  end: string;
  /** Slugs of the generated teams (removed with the demo when another one replaces it). */
  teamSlugs?: string[];
}

export interface LoadDemoOrgOptions {
  /** Rows per insert statement / transaction. Default 1000 (well under PostgreSQL's 65535 parameters). */
  batchSize?: number;
  /** Incident attribution window (config `incidents.attributionWindowDays`). Default 7. */
  attributionWindowDays?: number;
  /** Called after each batch with the entity and the rows written so far. */
  onProgress?: (entity: string, done: number, total: number) => void;
}

export interface LoadDemoOrgResult {
  /** Rows written per entity. */
  rows: Record<string, number>;
  total: number;
  /** Wall-clock seconds of the whole load, linking included. */
  seconds: number;
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
  if (id === undefined) throw new Error(`demo loader: unknown ${what} '${key}'`);
  return id;
}

/**
 * Writes a generated demo organisation with the packages/db upserts (idempotent: loading the
 * same organisation twice leaves the same rows), in batches of `batchSize`, one transaction per
 * batch; then syncs its teams, derives the links as a sync does (`deriveLinks`: changes to
 * deployments by time, deployment flags, incidents to deployments), and marks the database as demo (`app_settings.demo = true`, `demo_org = meta`).
 *
 * @throws Error when a row names a repository, PR or Jira issue the organisation does not contain.
 */
export async function loadDemoOrg(
  db: Db,
  org: DemoOrg,
  meta: DemoOrgMeta,
  options: LoadDemoOrgOptions = {},
): Promise<LoadDemoOrgResult> {
  const started = performance.now();
  const size = options.batchSize ?? 1000;
  const report = (entity: string, total: number) => (done: number) =>
    options.onProgress?.(entity, done, total);
  const rows: Record<string, number> = {};

  const repoIds = await upsertRepositories(db, org.repositories);
  rows.repositories = repoIds.size;
  const teamIds = await syncTeamsFromConfig(db, org.teams);
  rows.teams = teamIds.size;
  rows.team_memberships = org.teams.reduce((n, t) => n + t.members.length, 0);

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
  rows.pull_requests = prIds.size;

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
  rows.pull_request_commits = org.commits.length;
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
  rows.pull_request_reviews = org.reviews.length;

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
  rows.deployments = org.deployments.length;

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
  rows.jira_issues = issueIds.size;
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
  rows.jira_issue_transitions = org.jiraTransitions.length;

  await inBatches(
    org.incidents,
    size,
    async (batch) => {
      await db.transaction().execute((trx) =>
        upsertIncidents(
          trx,
          batch.map(({ repository, ...i }) => ({
            ...i,
            repository_id: repository === null ? null : idOf(repoIds, repository, 'repository'),
          })),
        ),
      );
    },
    report('incidents', org.incidents.length),
  );
  rows.incidents = org.incidents.length;

  const derived = await deriveLinks(db, {
    repositoryIds: [...repoIds.values()],
    attributionWindowDays: options.attributionWindowDays ?? 7,
  });
  rows.deployment_changes = derived.changesLinked;
  await setAppSetting(db, DEMO_SETTING, true);
  await setAppSetting(db, DEMO_ORG_SETTING, meta);

  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  return { rows, total, seconds: (performance.now() - started) / 1000 };
}
