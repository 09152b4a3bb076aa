import { SOURCE_TIME } from '../queries/upsert-raw-payloads.ts';
import type {
  NewDeployment,
  NewIncident,
  NewJiraIssue,
  NewJiraIssueTransition,
  NewPullRequest,
  NewPullRequestCommit,
  NewPullRequestReview,
} from '../schema.ts';
import type { CopyColumn } from './copy-text.ts';

// What each table's COPY staging holds and how it is merged into the table. The merges give the
// same rows as the per-row upserts of src/queries (upsert-pull-requests.ts, upsert-deployments.ts,
// upsert-incidents.ts, upsert-jira-issues.ts): the same conflict targets, the same "newer state
// wins" conditions and kept columns (bulk.test.ts compares both paths on one organisation).
// Child rows name their parent by its external id (a PR's commits and reviews, an issue's
// transitions), resolved by a join at merge time, so a writer does not need the parents' ids.

/** A pull request row as `upsertPullRequests` takes it. */
export type BulkPullRequest = NewPullRequest;
/** A PR commit, naming its PR by GitHub id (`pull_requests.external_id`). */
export type BulkPullRequestCommit = Omit<NewPullRequestCommit, 'pull_request_id'> & {
  pull_request_external_id: string;
};
/** A PR review or comment, naming its PR by GitHub id. */
export type BulkPullRequestReview = Omit<NewPullRequestReview, 'pull_request_id'> & {
  pull_request_external_id: string;
};
export type BulkDeployment = NewDeployment;
export type BulkIncident = NewIncident;
export type BulkJiraIssue = NewJiraIssue;
/** A Jira status transition, naming its issue by Jira id (`jira_issues.external_id`). */
export type BulkJiraIssueTransition = Omit<NewJiraIssueTransition, 'jira_issue_id'> & {
  jira_issue_external_id: string;
};

/**
 * A fetched object kept as fetched (`raw_payloads`); `payload` is JSON text or a value
 * (U+0000 is dropped from its strings, as `upsertRawPayloads` does).
 */
export interface BulkRawPayload {
  source: string;
  kind: string;
  external_id: string;
  scope?: string | null;
  url?: string | null;
  payload: unknown;
}

/** Rows by table, as the bulk writers take them. */
export interface BulkRows {
  raw_payloads: BulkRawPayload;
  pull_requests: BulkPullRequest;
  pull_request_commits: BulkPullRequestCommit;
  pull_request_reviews: BulkPullRequestReview;
  deployments: BulkDeployment;
  jira_issues: BulkJiraIssue;
  jira_issue_transitions: BulkJiraIssueTransition;
  incidents: BulkIncident;
}
export type BulkTableName = keyof BulkRows;

/** The order merges run in: parents before the rows that name them. */
export const BULK_TABLE_ORDER: readonly BulkTableName[] = [
  'raw_payloads',
  'pull_requests',
  'pull_request_commits',
  'pull_request_reviews',
  'deployments',
  'jira_issues',
  'jira_issue_transitions',
  'incidents',
];

export interface BulkTableSpec {
  /** Staging columns in COPY order (after the row number `_row`). */
  columns: readonly CopyColumn[];
  /** Staging columns identifying a target row (a key staged twice is merged in rounds, in order). */
  key: readonly string[];
  /** The INSERT ... SELECT ... ON CONFLICT statement reading `source` (a relation aliased `s`). */
  merge(source: string): string;
  /** How a staged row finds its parent: rows whose parent does not exist are reported, not merged. */
  parent?: { column: string; table: string; key: string };
  /** Statements run after the merge (derived columns of the parents), reading the stage. */
  after?(stage: string): string[];
}

const text = (name: string, more: Partial<CopyColumn> = {}): CopyColumn => ({ name, type: 'text', ...more });
const time = (name: string, more: Partial<CopyColumn> = {}): CopyColumn => ({
  name,
  type: 'timestamptz',
  ...more,
});
const bool = (name: string, fallback: string): CopyColumn => ({ name, type: 'boolean', default: fallback });
const int = (name: string, more: Partial<CopyColumn> = {}): CopyColumn => ({
  name,
  type: 'integer',
  ...more,
});
const textArray = (name: string): CopyColumn => ({ name, type: 'text[]', default: "'{}'::text[]" });

/** `s.col`, or `coalesce(s.col, default)` for columns the target defaults. */
function selectList(columns: readonly CopyColumn[]): string {
  return columns.map((c) => (c.default ? `coalesce(s.${c.name}, ${c.default})` : `s.${c.name}`)).join(', ');
}
function names(columns: readonly CopyColumn[]): string {
  return columns.map((c) => c.name).join(', ');
}
function setList(updates: Record<string, string>): string {
  return Object.entries(updates)
    .map(([column, expression]) => `${column} = ${expression}`)
    .join(',\n      ');
}
const excluded = (...columns: string[]) => Object.fromEntries(columns.map((c) => [c, `excluded.${c}`]));

const pullRequestColumns: CopyColumn[] = [
  { name: 'repository_id', type: 'bigint', required: true },
  text('external_id', { required: true }),
  int('number', { required: true }),
  text('title', { default: "''" }),
  text('author_login'),
  bool('author_is_bot', 'false'),
  text('state', { required: true, oneOf: ['open', 'closed', 'merged'] }),
  bool('draft', 'false'),
  text('base_branch'),
  text('head_branch'),
  time('created_at', { required: true }),
  time('ready_for_review_at'),
  time('first_commit_at'),
  time('first_review_at'),
  time('merged_at'),
  time('closed_at'),
  time('source_updated_at', { required: true }),
  int('additions'),
  int('deletions'),
  int('changed_files'),
  int('commits_count'),
  text('merge_commit_sha'),
  textArray('labels'),
  bool('is_unplanned', 'false'),
  textArray('linked_issue_keys'),
  text('html_url'),
  textArray('requested_reviewers'),
  textArray('requested_teams'),
  text('head_sha'),
  text('ci_state', { oneOf: ['success', 'pending', 'failure'] }),
  text('ai_class', { oneOf: ['agent', 'assisted', 'none'] }),
  { name: 'ai_evidence', type: 'jsonb', default: "'[]'::jsonb" },
  textArray('revert_refs'),
];

const pullRequests: BulkTableSpec = {
  columns: pullRequestColumns,
  key: ['external_id'],
  merge: (source) => `
    insert into pull_requests (${names(pullRequestColumns)})
    select ${selectList(pullRequestColumns)} from ${source}
    on conflict (external_id) do update set
      ${setList({
        ...excluded('repository_id', 'number', 'title', 'author_login', 'author_is_bot'),
        state: "case when pull_requests.merged_at is not null then 'merged' else excluded.state end",
        ...excluded('draft', 'base_branch', 'head_branch', 'created_at'),
        ready_for_review_at: 'coalesce(excluded.ready_for_review_at, pull_requests.ready_for_review_at)',
        first_commit_at: 'coalesce(excluded.first_commit_at, pull_requests.first_commit_at)',
        first_review_at: 'coalesce(excluded.first_review_at, pull_requests.first_review_at)',
        merged_at: 'coalesce(pull_requests.merged_at, excluded.merged_at)',
        ...excluded('closed_at', 'source_updated_at'),
        additions: 'coalesce(excluded.additions, pull_requests.additions)',
        deletions: 'coalesce(excluded.deletions, pull_requests.deletions)',
        changed_files: 'coalesce(excluded.changed_files, pull_requests.changed_files)',
        commits_count: 'coalesce(excluded.commits_count, pull_requests.commits_count)',
        merge_commit_sha: 'coalesce(excluded.merge_commit_sha, pull_requests.merge_commit_sha)',
        ...excluded('labels', 'is_unplanned', 'linked_issue_keys', 'html_url'),
        ai_class: 'coalesce(excluded.ai_class, pull_requests.ai_class)',
        ai_evidence:
          'case when excluded.ai_class is null then pull_requests.ai_evidence else excluded.ai_evidence end',
        revert_refs:
          'case when cardinality(excluded.revert_refs) = 0 then pull_requests.revert_refs else excluded.revert_refs end',
        ...excluded('requested_reviewers', 'requested_teams'),
        head_sha: 'coalesce(excluded.head_sha, pull_requests.head_sha)',
        ci_state: `case when excluded.head_sha is distinct from pull_requests.head_sha
            and excluded.head_sha is not null then excluded.ci_state
            else coalesce(excluded.ci_state, pull_requests.ci_state) end`,
      })}
    where excluded.source_updated_at >= pull_requests.source_updated_at`,
};

const commitColumns: CopyColumn[] = [
  text('pull_request_external_id', { required: true }),
  text('sha', { required: true }),
  text('author_login'),
  text('author_email'),
  time('authored_at', { required: true }),
  time('committed_at'),
];
const commitTargets = commitColumns.slice(1);

const pullRequestCommits: BulkTableSpec = {
  columns: commitColumns,
  key: ['pull_request_external_id', 'sha'],
  parent: { column: 'pull_request_external_id', table: 'pull_requests', key: 'external_id' },
  merge: (source) => `
    insert into pull_request_commits (pull_request_id, ${names(commitTargets)})
    select p.id, ${selectList(commitTargets)} from ${source}
    join pull_requests p on p.external_id = s.pull_request_external_id
    on conflict (pull_request_id, sha) do update set
      ${setList(excluded('author_login', 'author_email', 'authored_at', 'committed_at'))}`,
  // The PR's first commit is the earliest commit's author date (docs/metrics.md, Change), as
  // upsertPullRequestCommits sets it; only rows whose value changes are written.
  after: (stage) => [
    `update pull_requests pr set first_commit_at = f.first
     from (select c.pull_request_id, min(c.authored_at) as first
           from pull_request_commits c
           where c.pull_request_id in (select p.id from pull_requests p
                                       where p.external_id in (select s.pull_request_external_id from ${stage} s))
           group by c.pull_request_id) f
     where pr.id = f.pull_request_id and pr.first_commit_at is distinct from f.first`,
  ],
};

const reviewColumns: CopyColumn[] = [
  text('pull_request_external_id', { required: true }),
  text('external_id', { required: true }),
  text('kind', { default: "'review'", oneOf: ['review', 'comment'] }),
  text('reviewer_login'),
  bool('reviewer_is_bot', 'false'),
  text('state', { required: true }),
  time('submitted_at', { required: true }),
];
const reviewTargets = reviewColumns.slice(1);

const pullRequestReviews: BulkTableSpec = {
  columns: reviewColumns,
  key: ['external_id'],
  parent: { column: 'pull_request_external_id', table: 'pull_requests', key: 'external_id' },
  merge: (source) => `
    insert into pull_request_reviews (pull_request_id, ${names(reviewTargets)})
    select p.id, ${selectList(reviewTargets)} from ${source}
    join pull_requests p on p.external_id = s.pull_request_external_id
    on conflict (external_id) do update set
      ${setList(excluded('state', 'kind', 'reviewer_login', 'reviewer_is_bot', 'submitted_at'))}`,
  // First review: the earliest review or comment by someone other than the author, bots
  // excluded (docs/metrics.md, pickup time), as upsertPullRequestReviews sets it.
  after: (stage) => [
    `update pull_requests pr set first_review_at = f.first
     from (select t.id, min(r.submitted_at) filter (
                    where not r.reviewer_is_bot and (t.author_login is null or r.reviewer_login is null
                          or lower(r.reviewer_login) <> lower(t.author_login))) as first
           from (select p.id, p.author_login from pull_requests p
                 where p.external_id in (select s.pull_request_external_id from ${stage} s)) t
           join pull_request_reviews r on r.pull_request_id = t.id
           group by t.id) f
     where pr.id = f.id and pr.first_review_at is distinct from f.first`,
  ],
};

const deploymentColumns: CopyColumn[] = [
  { name: 'repository_id', type: 'bigint', required: true },
  text('source', { required: true }),
  text('external_id', { required: true }),
  text('environment', { required: true }),
  { name: 'is_production', type: 'boolean', required: true },
  text('sha'),
  text('ref'),
  text('status', { required: true }),
  time('created_at', { required: true }),
  time('deployed_at'),
  bool('rolled_back', 'false'),
  bool('is_unplanned', 'false'),
  text('url'),
  time('source_updated_at'),
  bool('commits_known', 'false'),
];

const deployments: BulkTableSpec = {
  columns: deploymentColumns,
  key: ['source', 'external_id'],
  merge: (source) => `
    insert into deployments (${names(deploymentColumns)})
    select ${selectList(deploymentColumns)} from ${source}
    on conflict (source, external_id) do update set
      ${setList({
        ...excluded('repository_id', 'environment', 'is_production', 'sha', 'ref', 'status', 'created_at'),
        deployed_at: 'excluded.deployed_at',
        rolled_back: 'excluded.rolled_back or deployments.rolled_back',
        ...excluded('url', 'source_updated_at'),
      })}
    where deployments.source = 'tags' or deployments.source_updated_at is null
      or excluded.source_updated_at is null or excluded.source_updated_at >= deployments.source_updated_at`,
};

const jiraIssueColumns: CopyColumn[] = [
  text('external_id', { required: true }),
  text('key', { required: true }),
  text('project_key', { required: true }),
  text('summary', { default: "''" }),
  text('issue_type_id', { required: true }),
  text('issue_type_name', { required: true }),
  text('classification', { required: true, oneOf: ['incident', 'bug', 'planned'] }),
  text('status_name'),
  text('status_category'),
  textArray('labels'),
  text('assignee_account_id'),
  time('created_at', { required: true }),
  time('resolved_at'),
  time('source_updated_at', { required: true }),
  text('url'),
];

const jiraIssues: BulkTableSpec = {
  columns: jiraIssueColumns,
  key: ['external_id'],
  merge: (source) => `
    insert into jira_issues (${names(jiraIssueColumns)})
    select ${selectList(jiraIssueColumns)} from ${source}
    on conflict (external_id) do update set
      ${setList(excluded(...jiraIssueColumns.slice(1).map((c) => c.name)))}
    where excluded.source_updated_at >= jira_issues.source_updated_at`,
};

const transitionColumns: CopyColumn[] = [
  text('jira_issue_external_id', { required: true }),
  text('external_id', { required: true }),
  text('from_status'),
  text('to_status'),
  text('author_account_id'),
  time('transitioned_at', { required: true }),
];
const transitionTargets = transitionColumns.slice(1);

const jiraIssueTransitions: BulkTableSpec = {
  columns: transitionColumns,
  key: ['jira_issue_external_id', 'external_id'],
  parent: { column: 'jira_issue_external_id', table: 'jira_issues', key: 'external_id' },
  // A history already stored is left as it is (upsertJiraIssueTransitions).
  merge: (source) => `
    insert into jira_issue_transitions (jira_issue_id, ${names(transitionTargets)})
    select j.id, ${selectList(transitionTargets)} from ${source}
    join jira_issues j on j.external_id = s.jira_issue_external_id
    on conflict (jira_issue_id, external_id) do nothing`,
};

const incidentColumns: CopyColumn[] = [
  text('source', { required: true }),
  text('external_id', { required: true }),
  text('key'),
  text('title', { default: "''" }),
  { name: 'repository_id', type: 'bigint' },
  { name: 'team_id', type: 'bigint' },
  text('jira_project_key'),
  text('severity'),
  time('started_at', { required: true }),
  time('resolved_at'),
  text('deployment_ref'),
  { name: 'caused_by_deployment_id', type: 'bigint' },
  text('url'),
  time('source_updated_at'),
];

const incidents: BulkTableSpec = {
  columns: incidentColumns,
  key: ['source', 'external_id'],
  merge: (source) => `
    insert into incidents (${names(incidentColumns)})
    select ${selectList(incidentColumns)} from ${source}
    on conflict (source, external_id) do update set
      ${setList({
        ...excluded(
          'key',
          'title',
          'repository_id',
          'team_id',
          'jira_project_key',
          'severity',
          'started_at',
          'resolved_at',
          'deployment_ref',
        ),
        caused_by_deployment_id:
          'coalesce(excluded.caused_by_deployment_id, incidents.caused_by_deployment_id)',
        ...excluded('url', 'source_updated_at'),
      })}
    where incidents.source_updated_at is null or excluded.source_updated_at is null
      or excluded.source_updated_at >= incidents.source_updated_at`,
};

const rawPayloadColumns: CopyColumn[] = [
  text('source', { required: true }),
  text('kind', { required: true }),
  text('external_id', { required: true }),
  text('scope'),
  text('url'),
  { name: 'payload', type: 'jsonb', required: true },
];

const rawPayloads: BulkTableSpec = {
  columns: rawPayloadColumns,
  key: ['source', 'kind', 'external_id'],
  // A later copy of the same object replaces the stored one, except an older state of an object
  // carrying a top-level `updated_at` (GitHub REST objects), as upsertRawPayloads does: the stored
  // copy stays the newest state seen (`getRawPayloadUpdatedAt`, read by the webhook path).
  merge: (source) => `
    insert into raw_payloads (${names(rawPayloadColumns)})
    select ${selectList(rawPayloadColumns)} from ${source}
    on conflict (source, kind, external_id) do update set
      ${setList({ ...excluded('payload', 'url', 'scope'), fetched_at: 'now()' })}
    where not coalesce(
      excluded.payload->>'updated_at' ~ '${SOURCE_TIME}' and raw_payloads.payload->>'updated_at' ~ '${SOURCE_TIME}'
      and left(excluded.payload->>'updated_at', 19) collate "C"
        < left(raw_payloads.payload->>'updated_at', 19) collate "C", false)`,
};

/** Every bulk-writable table's staging and merge. */
export const BULK_TABLES: Readonly<Record<BulkTableName, BulkTableSpec>> = {
  raw_payloads: rawPayloads,
  pull_requests: pullRequests,
  pull_request_commits: pullRequestCommits,
  pull_request_reviews: pullRequestReviews,
  deployments,
  jira_issues: jiraIssues,
  jira_issue_transitions: jiraIssueTransitions,
  incidents,
};
