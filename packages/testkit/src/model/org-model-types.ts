import type { TeamConfig } from '@stride/shared/config';
import type { Profile } from './team-profiles.ts';

/** A person's review or conversation comment on a PR. */
export interface ModelReview {
  externalId: string;
  reviewer: string;
  isBot: boolean;
  /** `review` (GET /pulls/{n}/reviews) or `comment` (GET /issues/{n}/comments). */
  kind: 'review' | 'comment';
  /** APPROVED, CHANGES_REQUESTED or COMMENTED (GitHub's review states). */
  state: string;
  submittedAt: Date;
}

export interface ModelCommit {
  sha: string;
  author: string;
  authoredAt: Date;
  /** The commit message when the model says what it is (an AI tool's trailer); else `<PR title> (<n>)` (`modelCommitMessage`). */
  message?: string;
}

/** A pull request with its commits, reviews and comments. Times are whole seconds. */
export interface ModelPullRequest {
  externalId: string;
  repository: string;
  /** Per repository, in creation order (as on GitHub). */
  number: number;
  title: string;
  author: string;
  authorIsBot: boolean;
  baseBranch: string;
  headBranch: string;
  state: 'open' | 'closed' | 'merged';
  draft: boolean;
  createdAt: Date;
  /** When a PR opened as a draft was marked ready for review; null when it never was a draft. */
  readyForReviewAt: Date | null;
  mergedAt: Date | null;
  closedAt: Date | null;
  /** Null when the source does not know the size. */
  additions: number | null;
  deletions: number | null;
  changedFiles: number | null;
  labels: string[];
  isUnplanned: boolean;
  linkedIssueKeys: string[];
  mergeCommitSha: string | null;
  url: string;
  commits: ModelCommit[];
  reviews: ModelReview[];
  /**
   * Logins GitHub lists as requested reviewers (`requested_reviewers` of GET /pulls): asked and
   * not yet reviewed (a submitted review removes its author from the list).
   */
  requestedReviewers: string[];
  /**
   * State of the check runs of the head commit (GET /commits/{ref}/check-runs): success, pending
   * (queued or in progress) or failure; null when the commit has no check runs.
   */
  ciState: 'success' | 'pending' | 'failure' | null;
}

export interface ModelDeployment {
  externalId: string;
  repository: string;
  /** Slug of the team owning the repository when it deployed. */
  team: string;
  source: 'github_deployments' | 'webhook';
  environment: string;
  isProduction: boolean;
  /** success or failure (a failed run never reached production: no deployedAt). */
  status: string;
  /** The merge commit of the last PR merged before the deployment started. */
  sha: string;
  ref: string;
  createdAt: Date;
  deployedAt: Date | null;
  /** Rolled back as reported by the source (webhook); reverts are derived by Stride itself. */
  rolledBack: boolean;
  url: string;
}

export interface ModelIncident {
  externalId: string;
  key: string;
  title: string;
  /** Where it is reported: a Jira incident issue, a generic webhook or a GitHub issue. */
  source: 'jira' | 'webhook' | 'github';
  /** The repository it names; null when only the Jira project is known. */
  repository: string | null;
  jiraProject: string | null;
  /** Slug of the team owning the repository when it started. */
  team: string;
  severity: string;
  startedAt: Date;
  resolvedAt: Date | null;
  url: string;
}

export interface ModelJiraTransition {
  externalId: string;
  from: string;
  to: string;
  at: Date;
}

export interface ModelJiraIssue {
  externalId: string;
  /** Numeric id as Jira gives it (`10001`...), unique in the organisation. */
  id: string;
  key: string;
  project: string;
  summary: string;
  typeId: string;
  typeName: string;
  classification: 'incident' | 'bug' | 'planned';
  status: 'To Do' | 'In Progress' | 'Done';
  assignee: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  updatedAt: Date;
  url: string;
  transitions: ModelJiraTransition[];
}

export interface ModelRepository {
  fullName: string;
  externalId: string;
  /** Numeric id as GitHub gives it, unique in the organisation. */
  id: number;
  defaultBranch: string;
  createdAt: Date;
  url: string;
  /** Owning teams over time, day numbers since the start (inclusive; `toDay` Infinity = still). */
  owners: { team: string; fromDay: number; toDay: number }[];
}

/**
 * Everything that happened in one repository over the history: the unit the model streams
 * (`OrgModel.activity()`), so no consumer needs the whole organisation in memory.
 */
export interface RepositoryActivity {
  repository: ModelRepository;
  pullRequests: ModelPullRequest[];
  deployments: ModelDeployment[];
  incidents: ModelIncident[];
  /** Jira issues linked to this repository's PRs and incidents. */
  jiraIssues: ModelJiraIssue[];
}

/** A person of the model (a team's config member, with the days they were on it). */
export interface ModelPerson {
  name: string;
  login: string;
  jiraAccountId: string;
  fromDay: number;
  toDay: number;
}

export interface ModelTeam {
  slug: string;
  name: string;
  timezone: string;
  jiraProject: string;
  members: ModelPerson[];
  from: Profile;
  to: Profile;
}

/** A team's adoption: when, as a fraction of the history (0 = its start), and its plateau share of merged PRs. */
export interface AiAdoptionStory {
  at: number;
  share: number;
}

/** The model's AI adoption option (model/ai-adoption.ts applies it). */
export interface AiAdoptionOptions {
  /** Per team (by position, repeating): its story, or null for a team that never adopts. Default `DEFAULT_AI_ADOPTION`. */
  teams?: readonly (AiAdoptionStory | null)[];
  /** Days over which a team's AI share climbs from 0 to its plateau. Default 60. */
  rampDays?: number;
  /** Share of a team's AI PRs opened by the Copilot coding agent instead of a person. Default 0.08. */
  agentShare?: number;
}

/** Names of a team, its repositories and people, for presets whose tests read them. */
export interface ModelNaming {
  team?: (index: number) => { slug: string; name: string; project: string; timezone: string };
  /** Full name of a team's `index`-th repository. */
  repository?: (team: { slug: string; index: number }, index: number) => string;
  /** A member's name and GitHub login; default: drawn from the name lists. */
  member?: (team: { slug: string; index: number }, index: number) => { name: string; login: string };
}

/**
 * What the organisation looks like. Sizes and volume are parameters; the rest are shares of
 * the awkward cases real sources have (each 0 unless a preset asks for it), so route tests can
 * exercise them without a generator of their own.
 */
export interface OrgModelOptions {
  /** Any integer; the same options give the same organisation. */
  seed: number;
  /** Last instant of activity (the model never reads the clock). */
  end: Date;
  /** Days of history before `end`. */
  days: number;
  teams: number;
  /** Repositories in all, dealt round-robin over the teams. Default 5 per team. */
  repositories?: number;
  /** Members per team. Default: the team template's size (3 to 13). */
  membersPerTeam?: number;
  /**
   * Volume: mean human PRs a team opens per week (scaled by its delivery profile, so teams
   * still differ). Default: the profile's PRs per member per week times the team's size.
   * No upper bound: xl uses ~32 with 8 people a team.
   */
  prsPerTeamWeek?: number;
  /** Production deployments per repository per week, overriding the profiles' rates. */
  deploysPerRepoWeek?: number;
  /** Delivery profiles by team index. Default: the templates' (elite to low, some drifting). */
  profiles?: (index: number) => { from: Profile; to: Profile };
  /** GitHub owner of every repository. Default `stride-demo`. */
  owner?: string;
  /** Prefix of every external id (the demo's `demo:` lets its rows be found and replaced). */
  idPrefix?: string;
  /** Jira site host for issue URLs. Default `stride-demo.atlassian.net`. */
  jiraSite?: string;
  naming?: ModelNaming;
  /** A team grows, one shrinks, a person and a repository move team (dated config). */
  organisationChanges?: boolean;
  /**
   * Every team has dated staff turnover spread over the history: a member joins in its middle,
   * and in its last 90 days another joins or (every third team) one leaves (dated config members).
   */
  turnover?: boolean;
  /** The last member of each team leaves half-way and keeps contributing as a non-member. */
  leaverPerTeam?: boolean;
  /** Where incidents are reported. Default `jira` (an Incident issue in the team's project). */
  incidentSource?: ModelIncident['source'];
  /** Where deployments come from. Default `github_deployments`. */
  deploymentSource?: ModelDeployment['source'];
  /** Dependency-bot PRs per repository per week. Default 0.35. */
  botPrsPerRepoWeek?: number;
  /** Share of human PRs with a Jira issue. Default 0.7. */
  jiraIssueShare?: number;
  /** Share of PRs with a teammate's conversation comment soon after opening. Default 0.3. */
  commentShare?: number;
  /** Share of human PRs that stall: no review for weeks, then closed unmerged (some still open at the end). Default 0.03. */
  stalledShare?: number;
  /** Share of merged changes reverted soon after (rework). Default 0.015. */
  revertShare?: number;
  /** Share of deployment runs that fail before production. Default 0.03. */
  failedDeploymentShare?: number;
  /** Share of deployments the source reports rolled back. Default 0. */
  rolledBackShare?: number;
  /** Non-production (staging) deployments per production one. Default 0. */
  stagingShare?: number;
  /** Environment names of production deployments, drawn evenly. Default `['production']`. */
  productionEnvironments?: string[];
  /** Share of incidents naming no repository (only the Jira project). Default 0. */
  incidentWithoutRepositoryShare?: number;
  /** Share of incidents never resolved. Default 0. */
  unresolvedIncidentShare?: number;
  /** Share of PRs opened as drafts. Default 0. */
  draftShare?: number;
  /** Share of PRs into a release branch (not the default branch). Default 0. */
  releaseBranchShare?: number;
  /** Share of PRs whose size the source does not give. Default 0. */
  unknownSizeShare?: number;
  /** Share of PRs with a CI bot's comment a minute after opening. Default 0. */
  botCommentShare?: number;
  /**
   * AI adoption (model/ai-adoption.ts): teams adopt AI tools at different times, their AI PRs
   * carry the tools' commit trailers, some are opened by the Copilot coding agent, and GitHub's
   * Copilot metrics follow the same story. `true` = the default stories. Default: none.
   */
  aiAdoption?: true | AiAdoptionOptions;
}

/**
 * The organisation model: the teams (config section, with dated memberships), the repositories
 * and, per repository, everything that happened (`activity()`, generated lazily, one repository
 * at a time, in a fixed order: iterating twice gives the same chunks).
 */
export interface OrgModel {
  options: OrgModelOptions;
  teams: ModelTeam[];
  /** The `teams` section of a StrideConfig: memberships and the repositories each owns now. */
  config: TeamConfig[];
  repositories: ModelRepository[];
  /** What changed over time, for the UI and the docs. */
  changes: string[];
  activity(): Generator<RepositoryActivity>;
}
