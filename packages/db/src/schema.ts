import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely table types for the schema created by ./migrations. Bigint ids come back from `pg` as
 * strings (int8 is wider than a JS number), so they are typed as `string`.
 */
type Id = ColumnType<string, string | number | bigint | undefined, never>;
type RefId = ColumnType<string, string | number | bigint, string | number | bigint>;
type NullableRefId = ColumnType<
  string | null,
  string | number | bigint | null | undefined,
  string | number | bigint | null
>;
/** timestamptz: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** date: read as a 'YYYY-MM-DD' string (see the type parser in connection.ts). */
type DateOnly = ColumnType<string, string | undefined, string>;
type NullableDateOnly = ColumnType<string | null, string | null | undefined, string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Json = ColumnType<unknown, string, string>;

export type DeploymentSource = 'github_deployments' | 'workflow_runs' | 'webhook' | 'releases' | 'tags';
export type IncidentSource = 'jira' | 'github' | 'webhook';
export type Attribution = 'commit' | 'time';
export type AiClass = 'agent' | 'assisted' | 'none';
export type JiraClassification = 'incident' | 'bug' | 'planned';

export interface RepositoriesTable {
  id: Id;
  provider: ColumnType<string, string | undefined, string>;
  external_id: string;
  full_name: string;
  default_branch: ColumnType<string, string | undefined, string>;
  html_url: string | null;
  archived: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: NullableTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TeamsTable {
  id: Id;
  slug: string;
  name: string;
  timezone: ColumnType<string, string | undefined, string>;
  created_at: DefaultTimestamp;
}

export interface TeamMembershipsTable {
  id: Id;
  team_id: RefId;
  member_name: string | null;
  github_login: string | null;
  jira_account_id: string | null;
  valid_from: DateOnly;
  valid_to: NullableDateOnly;
}

export interface TeamRepositoriesTable {
  team_id: RefId;
  repository_id: RefId;
}

export interface TeamJiraProjectsTable {
  team_id: RefId;
  project_key: string;
}

export interface PullRequestsTable {
  id: Id;
  repository_id: RefId;
  external_id: string;
  number: number;
  title: ColumnType<string, string | undefined, string>;
  author_login: string | null;
  author_is_bot: ColumnType<boolean, boolean | undefined, boolean>;
  state: 'open' | 'closed' | 'merged';
  draft: ColumnType<boolean, boolean | undefined, boolean>;
  base_branch: string | null;
  head_branch: string | null;
  created_at: Timestamp;
  ready_for_review_at: NullableTimestamp;
  first_commit_at: NullableTimestamp;
  first_review_at: NullableTimestamp;
  merged_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  source_updated_at: Timestamp;
  additions: number | null;
  deletions: number | null;
  changed_files: number | null;
  commits_count: number | null;
  merge_commit_sha: string | null;
  labels: TextArray;
  is_unplanned: ColumnType<boolean, boolean | undefined, boolean>;
  linked_issue_keys: TextArray;
  html_url: string | null;
  /** Logins GitHub lists as requested reviewers (open PRs: who has not reviewed yet). */
  requested_reviewers: TextArray;
  /** Team slugs requested as reviewers. */
  requested_teams: TextArray;
  head_sha: ColumnType<string | null, string | null | undefined, string | null>;
  /** Check runs of the head commit: success, pending or failure; null when none are known. */
  ci_state: ColumnType<CiState | null, CiState | null | undefined, CiState | null>;
  /** AI classification of a merged PR (docs/metrics.md, AI impact); null = not known. */
  ai_class: ColumnType<AiClass | null, AiClass | null | undefined, AiClass | null>;
  /** JSON array of `{ rule, tool, detail, sha }`; write as JSON text. */
  ai_evidence: ColumnType<unknown, string | undefined, string>;
  /** What the PR reverts: `#N` (PR of the same repository) or commit SHAs. */
  revert_refs: TextArray;
}

/** State of a commit's check runs (docs/metrics.md, stuck PRs). */
export type CiState = 'success' | 'pending' | 'failure';

export interface PullRequestReviewsTable {
  id: Id;
  pull_request_id: RefId;
  external_id: string;
  kind: ColumnType<'review' | 'comment', 'review' | 'comment' | undefined, 'review' | 'comment'>;
  reviewer_login: string | null;
  reviewer_is_bot: ColumnType<boolean, boolean | undefined, boolean>;
  state: string;
  submitted_at: Timestamp;
}

export interface PullRequestCommitsTable {
  pull_request_id: RefId;
  sha: string;
  author_login: string | null;
  author_email: string | null;
  authored_at: Timestamp;
  committed_at: NullableTimestamp;
}

export interface DeploymentsTable {
  id: Id;
  repository_id: RefId;
  source: DeploymentSource;
  external_id: string;
  environment: string;
  is_production: boolean;
  sha: string | null;
  ref: string | null;
  status: string;
  created_at: Timestamp;
  deployed_at: NullableTimestamp;
  rolled_back: ColumnType<boolean, boolean | undefined, boolean>;
  is_unplanned: ColumnType<boolean, boolean | undefined, boolean>;
  url: string | null;
  source_updated_at: NullableTimestamp;
  /** The commits it shipped are known (compare answered): no change is linked to it by time. */
  commits_known: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface DeploymentChangesTable {
  pull_request_id: RefId;
  deployment_id: RefId;
  attribution: Attribution;
}

export interface IncidentsTable {
  id: Id;
  source: IncidentSource;
  external_id: string;
  key: string | null;
  title: ColumnType<string, string | undefined, string>;
  repository_id: NullableRefId;
  team_id: NullableRefId;
  jira_project_key: string | null;
  severity: string | null;
  started_at: Timestamp;
  resolved_at: NullableTimestamp;
  deployment_ref: string | null;
  caused_by_deployment_id: NullableRefId;
  url: string | null;
  source_updated_at: NullableTimestamp;
}

export interface JiraIssuesTable {
  id: Id;
  external_id: string;
  key: string;
  project_key: string;
  summary: ColumnType<string, string | undefined, string>;
  issue_type_id: string;
  issue_type_name: string;
  classification: JiraClassification;
  status_name: string | null;
  status_category: string | null;
  labels: TextArray;
  assignee_account_id: string | null;
  created_at: Timestamp;
  resolved_at: NullableTimestamp;
  source_updated_at: Timestamp;
  url: string | null;
}

export interface JiraIssueTransitionsTable {
  jira_issue_id: RefId;
  external_id: string;
  from_status: string | null;
  to_status: string | null;
  author_account_id: string | null;
  transitioned_at: Timestamp;
}

export interface RawPayloadsTable {
  id: Id;
  source: string;
  kind: string;
  external_id: string;
  scope: string | null;
  url: string | null;
  payload: Json;
  fetched_at: DefaultTimestamp;
}

export interface SyncCursorsTable {
  source: string;
  scope: string;
  endpoint: string;
  cursor: string | null;
  etag: string | null;
  updated_at: DefaultTimestamp;
}

export interface GitHubRateBudgetsTable {
  credential: string;
  resource: string;
  remaining: number;
  reset_at: Timestamp;
  updated_at: DefaultTimestamp;
}

export type SyncRunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted';

export interface SyncRunsTable {
  id: Id;
  source: string;
  scope: string;
  started_at: DefaultTimestamp;
  finished_at: NullableTimestamp;
  /** `partial`: finished, some parts could not be fetched (see `error`); `interrupted`: its process died. */
  status: ColumnType<SyncRunStatus, SyncRunStatus | undefined>;
  requests: ColumnType<number, number | undefined, number>;
  not_modified: ColumnType<number, number | undefined, number>;
  items_upserted: ColumnType<number, number | undefined, number>;
  items_skipped: ColumnType<number, number | undefined, number>;
  rate_limit_remaining: number | null;
  rate_limit_reset_at: NullableTimestamp;
  error: string | null;
  /** Last sign of life of a running sync (see markInterruptedSyncRuns). */
  heartbeat_at: NullableTimestamp;
  /** What a successful run could not collect and why (e.g. no permission for Copilot metrics): a note, not an error. */
  note: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * One day of GitHub's Copilot metrics API for an organisation (`github_team` '') or one of its
 * GitHub teams (https://docs.github.com/rest/copilot/copilot-metrics, `copilot-usage-metrics-day`).
 * Suggestions, acceptances and lines are summed over the day's editors, models and languages.
 */
export interface CopilotMetricsDaysTable {
  org: string;
  github_team: ColumnType<string, string | undefined, string>;
  /** UTC day, `YYYY-MM-DD`. */
  day: ColumnType<string, string, string>;
  total_active_users: number | null;
  total_engaged_users: number | null;
  completions_engaged_users: number | null;
  chat_engaged_users: number | null;
  code_suggestions: ColumnType<number, number | undefined, number>;
  code_acceptances: ColumnType<number, number | undefined, number>;
  code_lines_suggested: ColumnType<number, number | undefined, number>;
  code_lines_accepted: ColumnType<number, number | undefined, number>;
  fetched_at: DefaultTimestamp;
}

export interface WebhookDeliveriesTable {
  id: Id;
  source: string;
  delivery_id: string;
  event: string;
  received_at: DefaultTimestamp;
}

export interface ApiTokensTable {
  id: Id;
  name: string;
  role: 'viewer' | 'admin' | 'webhook';
  scope: string | null;
  token_hash: string;
  created_at: DefaultTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** `env:STRIDE_ADMIN_TOKEN`, `env:STRIDE_VIEWER_TOKEN`, `cli`, `api` or `session`. */
  origin: ColumnType<string, string | undefined, string>;
  /** A session's parent token: the session is valid only while the parent is. */
  parent_id: NullableRefId;
  /** `admin`, `rotated`, `logout`, `parent` or `migration`. */
  revoked_reason: string | null;
}

export interface AppSettingsTable {
  key: string;
  value: Json;
  updated_at: DefaultTimestamp;
}

export interface GoalsTable {
  id: Id;
  /** null = an org goal. */
  team_slug: string | null;
  metric: string;
  statistic: string;
  /** In the figure's unit: seconds, ratio 0..1, lines, per week, count. */
  target: number;
  direction: string;
  start_date: NullableDateOnly;
  origin: 'config' | 'api';
  config_key: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface AnnotationsTable {
  id: Id;
  /** null = org-wide. */
  team_slug: string | null;
  kind: string;
  title: string;
  starts_on: string;
  ends_on: NullableDateOnly;
  origin: 'config' | 'api';
  created_at: DefaultTimestamp;
}

export interface DigestDeliveriesTable {
  id: Id;
  /** `team:<slug>` or `org`. */
  digest: string;
  period_key: string;
  channel: 'slack' | 'email';
  status: 'sending' | 'sent' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  error: string | null;
  sent_at: NullableTimestamp;
  updated_at: DefaultTimestamp;
}

export interface Database {
  repositories: RepositoriesTable;
  teams: TeamsTable;
  team_memberships: TeamMembershipsTable;
  team_repositories: TeamRepositoriesTable;
  team_jira_projects: TeamJiraProjectsTable;
  pull_requests: PullRequestsTable;
  pull_request_reviews: PullRequestReviewsTable;
  pull_request_commits: PullRequestCommitsTable;
  deployments: DeploymentsTable;
  deployment_changes: DeploymentChangesTable;
  incidents: IncidentsTable;
  jira_issues: JiraIssuesTable;
  jira_issue_transitions: JiraIssueTransitionsTable;
  raw_payloads: RawPayloadsTable;
  sync_cursors: SyncCursorsTable;
  github_rate_budgets: GitHubRateBudgetsTable;
  sync_runs: SyncRunsTable;
  copilot_metrics_days: CopilotMetricsDaysTable;
  webhook_deliveries: WebhookDeliveriesTable;
  api_tokens: ApiTokensTable;
  app_settings: AppSettingsTable;
  goals: GoalsTable;
  annotations: AnnotationsTable;
  digest_deliveries: DigestDeliveriesTable;
}

export type Repository = Selectable<RepositoriesTable>;
export type NewRepository = Insertable<RepositoriesTable>;
export type Team = Selectable<TeamsTable>;
export type PullRequest = Selectable<PullRequestsTable>;
export type NewPullRequest = Insertable<PullRequestsTable>;
export type PullRequestUpdate = Updateable<PullRequestsTable>;
export type NewPullRequestReview = Insertable<PullRequestReviewsTable>;
export type NewPullRequestCommit = Insertable<PullRequestCommitsTable>;
export type Deployment = Selectable<DeploymentsTable>;
export type NewDeployment = Insertable<DeploymentsTable>;
export type Incident = Selectable<IncidentsTable>;
export type NewIncident = Insertable<IncidentsTable>;
export type JiraIssue = Selectable<JiraIssuesTable>;
export type NewJiraIssue = Insertable<JiraIssuesTable>;
export type NewJiraIssueTransition = Insertable<JiraIssueTransitionsTable>;
