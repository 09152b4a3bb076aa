/**
 * The subset of GitHub's GraphQL schema (https://docs.github.com/en/graphql) the fake serves:
 * every type, field, argument and enum value here exists in GitHub's published schema with the
 * same type and nullability (`github-graphql-schema.test.ts` checks it against
 * `@octokit/graphql-schema`), so a query the fake accepts is one GitHub accepts.
 */
export const GITHUB_GRAPHQL_SUBSET_SDL = /* GraphQL */ `
scalar DateTime
scalar URI
scalar GitObjectID
scalar GitTimestamp
scalar BigInt

interface Node {
  id: ID!
}

interface Actor {
  login: String!
}

type Query {
  node(id: ID!): Node
  repository(followRenames: Boolean = true, name: String!, owner: String!): Repository
  rateLimit(dryRun: Boolean = false): RateLimit
}

type RateLimit {
  cost: Int!
  limit: Int!
  nodeCount: Int!
  remaining: Int!
  resetAt: DateTime!
  used: Int!
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

enum OrderDirection {
  ASC
  DESC
}

enum IssueOrderField {
  COMMENTS
  CREATED_AT
  UPDATED_AT
}

input IssueOrder {
  direction: OrderDirection!
  field: IssueOrderField!
}

enum PullRequestState {
  CLOSED
  MERGED
  OPEN
}

enum PullRequestReviewState {
  APPROVED
  CHANGES_REQUESTED
  COMMENTED
  DISMISSED
  PENDING
}

type Repository implements Node {
  id: ID!
  databaseId: Int
  nameWithOwner: String!
  object(expression: String, oid: GitObjectID): GitObject
  pullRequest(number: Int!): PullRequest
  pullRequests(
    after: String
    baseRefName: String
    before: String
    first: Int
    headRefName: String
    labels: [String!]
    last: Int
    orderBy: IssueOrder
    states: [PullRequestState!]
  ): PullRequestConnection!
}

type User implements Actor & Node {
  id: ID!
  databaseId: Int
  login: String!
}

type Bot implements Actor & Node {
  id: ID!
  databaseId: Int
  login: String!
}

type PullRequestConnection {
  nodes: [PullRequest]
  pageInfo: PageInfo!
  totalCount: Int!
}

type PullRequest implements Node {
  id: ID!
  fullDatabaseId: BigInt
  number: Int!
  title: String!
  author: Actor
  state: PullRequestState!
  isDraft: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  closedAt: DateTime
  mergedAt: DateTime
  mergeCommit: Commit
  potentialMergeCommit: Commit
  baseRefName: String!
  headRefName: String!
  headRefOid: GitObjectID!
  url: URI!
  body: String!
  additions: Int!
  deletions: Int!
  changedFiles: Int!
  labels(after: String, before: String, first: Int, last: Int): LabelConnection
  commits(after: String, before: String, first: Int, last: Int): PullRequestCommitConnection!
  reviews(
    after: String
    author: String
    before: String
    first: Int
    last: Int
    states: [PullRequestReviewState!]
  ): PullRequestReviewConnection
  comments(after: String, before: String, first: Int, last: Int): IssueCommentConnection!
  reviewRequests(after: String, before: String, first: Int, last: Int): ReviewRequestConnection
  timelineItems(
    after: String
    before: String
    first: Int
    itemTypes: [PullRequestTimelineItemsItemType!]
    last: Int
    since: DateTime
    skip: Int
  ): PullRequestTimelineItemsConnection!
}

type Team implements Node {
  id: ID!
  slug: String!
}

type Mannequin implements Actor & Node {
  id: ID!
  login: String!
}

union RequestedReviewer = Bot | Mannequin | Team | User

type ReviewRequest implements Node {
  id: ID!
  requestedReviewer: RequestedReviewer
}

type ReviewRequestConnection {
  nodes: [ReviewRequest]
  pageInfo: PageInfo!
  totalCount: Int!
}

type ReadyForReviewEvent implements Node {
  id: ID!
  createdAt: DateTime!
}

type ConvertToDraftEvent implements Node {
  id: ID!
  createdAt: DateTime!
}

union PullRequestTimelineItems = ConvertToDraftEvent | IssueComment | PullRequestCommit | PullRequestReview | ReadyForReviewEvent

enum PullRequestTimelineItemsItemType {
  CONVERT_TO_DRAFT_EVENT
  ISSUE_COMMENT
  PULL_REQUEST_COMMIT
  PULL_REQUEST_REVIEW
  READY_FOR_REVIEW_EVENT
}

type PullRequestTimelineItemsConnection {
  nodes: [PullRequestTimelineItems]
  pageInfo: PageInfo!
  totalCount: Int!
}

interface GitObject {
  id: ID!
  oid: GitObjectID!
}

enum CheckRunType {
  ALL
  LATEST
}

input CheckRunFilter {
  checkType: CheckRunType
}

enum CheckStatusState {
  COMPLETED
  IN_PROGRESS
  PENDING
  QUEUED
  REQUESTED
  WAITING
}

enum CheckConclusionState {
  ACTION_REQUIRED
  CANCELLED
  FAILURE
  NEUTRAL
  SKIPPED
  STALE
  STARTUP_FAILURE
  SUCCESS
  TIMED_OUT
}

type CheckRun implements Node {
  id: ID!
  name: String!
  status: CheckStatusState!
  conclusion: CheckConclusionState
}

type CheckRunConnection {
  nodes: [CheckRun]
  pageInfo: PageInfo!
  totalCount: Int!
}

type CheckSuite implements Node {
  id: ID!
  checkRuns(after: String, before: String, filterBy: CheckRunFilter, first: Int, last: Int): CheckRunConnection
}

type CheckSuiteConnection {
  nodes: [CheckSuite]
  pageInfo: PageInfo!
  totalCount: Int!
}

type Label implements Node {
  id: ID!
  name: String!
}

type LabelConnection {
  nodes: [Label]
  pageInfo: PageInfo!
  totalCount: Int!
}

type GitActor {
  name: String
  email: String
  date: GitTimestamp
  user: User
}

type Commit implements GitObject & Node {
  id: ID!
  oid: GitObjectID!
  checkSuites(after: String, before: String, first: Int, last: Int): CheckSuiteConnection
  history(
    after: String
    before: String
    first: Int
    last: Int
    since: GitTimestamp
    until: GitTimestamp
  ): CommitHistoryConnection!
  message: String!
  authoredDate: DateTime!
  committedDate: DateTime!
  author: GitActor
  committer: GitActor
  url: URI!
}

type CommitHistoryConnection {
  nodes: [Commit]
  pageInfo: PageInfo!
  totalCount: Int!
}

enum DeploymentStatusState {
  ERROR
  FAILURE
  INACTIVE
  IN_PROGRESS
  PENDING
  QUEUED
  SUCCESS
  WAITING
}

type DeploymentStatus implements Node {
  id: ID!
  createdAt: DateTime!
  description: String
  environment: String
  environmentUrl: URI
  logUrl: URI
  state: DeploymentStatusState!
}

type DeploymentStatusConnection {
  nodes: [DeploymentStatus]
  pageInfo: PageInfo!
  totalCount: Int!
}

type Deployment implements Node {
  id: ID!
  databaseId: Int
  commitOid: String!
  createdAt: DateTime!
  environment: String
  updatedAt: DateTime!
  statuses(after: String, before: String, first: Int, last: Int): DeploymentStatusConnection
}

type Release implements Node {
  id: ID!
  databaseId: Int
  tagName: String!
  tagCommit: Commit
  isDraft: Boolean!
  isPrerelease: Boolean!
  createdAt: DateTime!
  publishedAt: DateTime
}

type PullRequestCommit implements Node {
  id: ID!
  commit: Commit!
}

type PullRequestCommitConnection {
  nodes: [PullRequestCommit]
  pageInfo: PageInfo!
  totalCount: Int!
}

type PullRequestReview implements Node {
  id: ID!
  fullDatabaseId: BigInt
  author: Actor
  state: PullRequestReviewState!
  submittedAt: DateTime
}

type PullRequestReviewConnection {
  nodes: [PullRequestReview]
  pageInfo: PageInfo!
  totalCount: Int!
}

type IssueComment implements Node {
  id: ID!
  fullDatabaseId: BigInt
  author: Actor
  createdAt: DateTime!
}

type IssueCommentConnection {
  nodes: [IssueComment]
  pageInfo: PageInfo!
  totalCount: Int!
}
`;
