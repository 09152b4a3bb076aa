import type { NewJiraIssue, NewRepository } from '@stride/db';
import { classifyPullRequestPayload } from '@stride/ingest';
import type { ModelRepository, OrgModel, RepositoryActivity } from '../model/org-model-types.ts';
import type { FinishedSyncRun, OrgRows } from '../rows/org-rows.ts';
import { pullBody, pullCommitPayloads, restUser } from './github-rest.ts';
import type { OrgModelData } from './model-data.ts';

/** The rows of one repository's activity (every table but teams and repositories). */
export type ActivityRows = Omit<OrgRows, 'teams' | 'repositories' | 'changes'>;

export interface ModelRowsOptions {
  /** Add one finished sync run per repository and Jira project (the dashboard's sync status). */
  syncRuns?: boolean;
}

/** The repository rows of the model, as the collector stores them. */
export function repositoryRows(repositories: readonly ModelRepository[]): NewRepository[] {
  return repositories.map((r) => ({
    provider: 'github',
    external_id: r.externalId,
    full_name: r.fullName,
    default_branch: r.defaultBranch,
    html_url: r.url,
    archived: false,
    created_at: r.createdAt,
  }));
}

/**
 * A PR's AI class, evidence and revert refs as the collector stores them: from the PR (author,
 * labels, description) and, for a merged PR, its commits, in the payloads the REST adapter
 * serves, through @stride/ingest's `classifyPullRequestPayload` (default detection rules).
 */
function pullRequestAiColumns(pr: RepositoryActivity['pullRequests'][number]) {
  return classifyPullRequestPayload(
    { user: restUser(pr.author), labels: pr.labels.map((name) => ({ name })), body: pullBody(pr) },
    pr.mergedAt ? pullCommitPayloads(pr) : null,
  );
}

function firstReviewAt(pr: RepositoryActivity['pullRequests'][number]): Date | null {
  const times = pr.reviews.filter((r) => !r.isBot && r.reviewer !== pr.author).map((r) => +r.submittedAt);
  return times.length ? new Date(Math.min(...times)) : null;
}

/**
 * One repository's activity as keyed database rows, the shapes the collector's transforms give
 * (PR first commit and first review as the upserts derive them: earliest commit; earliest
 * review or comment by someone else, bots excluded, docs/metrics.md; each PR's AI class and
 * evidence from the commit messages the REST adapter serves, as the collector classifies them).
 */
export function activityRows(
  activity: Omit<RepositoryActivity, 'repository'> & { repository?: ModelRepository },
  options: ModelRowsOptions = {},
): ActivityRows {
  const { repository, pullRequests, deployments, incidents, jiraIssues } = activity;
  const rows: ActivityRows = {
    pullRequests: pullRequests.map((p) => ({
      repository: p.repository,
      external_id: p.externalId,
      number: p.number,
      title: p.title,
      author_login: p.author,
      author_is_bot: p.authorIsBot,
      state: p.state,
      draft: p.draft,
      base_branch: p.baseBranch,
      head_branch: p.headBranch,
      created_at: p.createdAt,
      ready_for_review_at: p.readyForReviewAt,
      first_commit_at: p.commits.length ? new Date(Math.min(...p.commits.map((c) => +c.authoredAt))) : null,
      first_review_at: firstReviewAt(p),
      merged_at: p.mergedAt,
      closed_at: p.closedAt,
      source_updated_at: p.closedAt ?? p.readyForReviewAt ?? p.createdAt,
      additions: p.additions,
      deletions: p.deletions,
      changed_files: p.changedFiles,
      commits_count: p.commits.length,
      merge_commit_sha: p.mergeCommitSha,
      labels: p.labels,
      is_unplanned: p.isUnplanned,
      linked_issue_keys: p.linkedIssueKeys,
      html_url: p.url,
      requested_reviewers: p.requestedReviewers,
      head_sha: p.commits.at(-1)?.sha ?? null,
      // The collector asks for check runs of open PRs only (the state of a closed one's head
      // commit no longer decides anything).
      ci_state: p.state === 'open' ? p.ciState : null,
      ...pullRequestAiColumns(p),
    })),
    commits: pullRequests.flatMap((p) =>
      p.commits.map((c) => ({
        pullRequest: p.externalId,
        sha: c.sha,
        author_login: c.author,
        author_email: `${c.author}@users.noreply.github.com`,
        authored_at: c.authoredAt,
        committed_at: c.authoredAt,
      })),
    ),
    reviews: pullRequests.flatMap((p) =>
      p.reviews.map((r) => ({
        pullRequest: p.externalId,
        external_id: r.externalId,
        kind: r.kind,
        reviewer_login: r.reviewer,
        reviewer_is_bot: r.isBot,
        state: r.state,
        submitted_at: r.submittedAt,
      })),
    ),
    deployments: deployments.map((d) => ({
      repository: d.repository,
      source: d.source,
      external_id: d.externalId,
      environment: d.environment,
      is_production: d.isProduction,
      sha: d.sha,
      ref: d.ref,
      status: d.status,
      created_at: d.createdAt,
      deployed_at: d.deployedAt,
      url: d.url,
      source_updated_at: d.deployedAt ?? d.createdAt,
      ...(d.rolledBack ? { rolled_back: true } : {}),
    })),
    incidents: incidents.map((i) => ({
      source: i.source,
      external_id: i.externalId,
      key: i.key,
      title: i.title,
      repository: i.repository,
      team: i.team,
      jira_project_key: i.jiraProject,
      severity: i.severity,
      started_at: i.startedAt,
      resolved_at: i.resolvedAt,
      deployment_ref: null,
      url: i.url,
      source_updated_at: i.resolvedAt ?? i.startedAt,
    })),
    jiraIssues: jiraIssues.map(
      (j): NewJiraIssue => ({
        external_id: j.externalId,
        key: j.key,
        project_key: j.project,
        summary: j.summary,
        issue_type_id: j.typeId,
        issue_type_name: j.typeName,
        classification: j.classification,
        status_name: j.status,
        status_category: j.status === 'Done' ? 'done' : j.status === 'In Progress' ? 'indeterminate' : 'new',
        labels: [],
        assignee_account_id: j.assignee,
        created_at: j.createdAt,
        resolved_at: j.resolvedAt,
        source_updated_at: j.updatedAt,
        url: j.url,
      }),
    ),
    jiraTransitions: jiraIssues.flatMap((j) =>
      j.transitions.map((t) => ({
        issue: j.externalId,
        external_id: t.externalId,
        from_status: t.from,
        to_status: t.to,
        author_account_id: null,
        transitioned_at: t.at,
      })),
    ),
  };
  if (options.syncRuns && repository) {
    rows.syncRuns = [
      {
        source: 'github',
        scope: repository.fullName,
        requests: 12,
        notModified: 3,
        itemsUpserted: pullRequests.length + deployments.length,
        itemsSkipped: 0,
        rateLimitRemaining: 4900,
      },
    ];
  }
  return rows;
}

/** Activity rows with nothing in them. */
export const emptyActivityRows = (): ActivityRows => ({
  pullRequests: [],
  reviews: [],
  commits: [],
  deployments: [],
  incidents: [],
  jiraIssues: [],
  jiraTransitions: [],
});

/** Jira projects' finished sync runs (one each), for the sync status of a seeded dashboard. */
export function jiraSyncRuns(model: OrgModel): FinishedSyncRun[] {
  return model.teams.map((t) => ({
    source: 'jira',
    scope: t.jiraProject,
    requests: 4,
    notModified: 0,
    itemsUpserted: 0,
    itemsSkipped: 0,
    rateLimitRemaining: null,
  }));
}

/**
 * The whole model as keyed rows in memory: for small sizes (demo, route tests, browser tests).
 * Large sizes stream with `loadOrgModel` instead.
 */
export function collectOrgRows(model: OrgModel, options: ModelRowsOptions = {}): OrgRows {
  const org: OrgRows = {
    teams: model.config,
    repositories: repositoryRows(model.repositories),
    ...emptyActivityRows(),
    changes: [...model.changes],
    ...(options.syncRuns ? { syncRuns: [] } : {}),
  };
  for (const activity of model.activity()) {
    const rows = activityRows(activity, options);
    for (const key of Object.keys(rows) as (keyof ActivityRows)[]) {
      const target = org[key] as unknown[];
      for (const row of rows[key] ?? []) target.push(row);
    }
  }
  if (options.syncRuns) org.syncRuns!.push(...jiraSyncRuns(model));
  return org;
}

/** Collected model data as keyed rows (route tests: the same data the reference recomputes from). */
export function orgDataRows(data: OrgModelData): OrgRows {
  return {
    teams: data.teams,
    repositories: repositoryRows(data.repositories),
    ...activityRows(data),
    changes: data.changes,
  };
}
