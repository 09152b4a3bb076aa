import type {
  NewDeployment,
  NewIncident,
  NewJiraIssue,
  NewJiraIssueTransition,
  NewPullRequest,
  NewPullRequestCommit,
  NewPullRequestReview,
  NewRepository,
} from '@stride/db';
import type { TeamConfig } from '@stride/shared/config';

// Database rows of an organisation, each naming its parent by natural key (repository full
// name, PR or Jira issue external id, team slug) instead of a database id: `loadOrgRows` maps
// the keys to ids as it writes.
export type KeyedPullRequest = Omit<NewPullRequest, 'repository_id'> & { repository: string };
export type KeyedReview = Omit<NewPullRequestReview, 'pull_request_id'> & { pullRequest: string };
export type KeyedCommit = Omit<NewPullRequestCommit, 'pull_request_id'> & { pullRequest: string };
export type KeyedDeployment = Omit<NewDeployment, 'repository_id'> & { repository: string };
export type KeyedIncident = Omit<NewIncident, 'repository_id' | 'team_id' | 'caused_by_deployment_id'> & {
  repository: string | null;
  /** Slug of the owning team when the source names it (else the queries derive it). */
  team?: string;
};
export type KeyedJiraTransition = Omit<NewJiraIssueTransition, 'jira_issue_id'> & { issue: string };

/** An organisation as keyed rows, table by table, in the order they are written. */
export interface OrgRows {
  /** The `teams` section of a StrideConfig (dated memberships, owned repositories, Jira projects). */
  teams: TeamConfig[];
  repositories: NewRepository[];
  pullRequests: KeyedPullRequest[];
  reviews: KeyedReview[];
  commits: KeyedCommit[];
  deployments: KeyedDeployment[];
  incidents: KeyedIncident[];
  jiraIssues: NewJiraIssue[];
  jiraTransitions: KeyedJiraTransition[];
  /** What changed over time, for the UI and the docs. */
  changes: string[];
  /** Finished sync runs to record (the dashboard's sync status). */
  syncRuns?: FinishedSyncRun[];
}

/** A finished sync run of one source and scope, with the totals the collector records. */
export interface FinishedSyncRun {
  source: 'github' | 'jira';
  /** Repository full name or Jira project key. */
  scope: string;
  requests: number;
  notModified: number;
  itemsUpserted: number;
  itemsSkipped: number;
  rateLimitRemaining: number | null;
}
