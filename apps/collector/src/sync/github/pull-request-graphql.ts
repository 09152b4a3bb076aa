/**
 * GitHub GraphQL pull request queries and the mapping of their nodes to the REST payload shapes
 * `@stride/ingest`'s transforms read (`GET /pulls/{n}`, `/pulls/{n}/commits`, `/pulls/{n}/reviews`,
 * `/issues/{n}/comments`), so both paths run the same transforms and upserts and store the same
 * rows. Field names: https://docs.github.com/en/graphql/reference/objects#pullrequest
 */

/** Items per nested connection (commits, reviews, comments, labels): GitHub's maximum. */
export const PART_PAGE = 100;

const ACTOR = '__typename login';
const GIT_ACTOR = 'name email date user { login }';
const PART_FIELDS = {
  commits: `totalCount pageInfo { hasNextPage endCursor } nodes { commit { oid message author { ${GIT_ACTOR} } committer { ${GIT_ACTOR} } } }`,
  reviews: `pageInfo { hasNextPage endCursor } nodes { fullDatabaseId state submittedAt author { ${ACTOR} } }`,
  comments: `pageInfo { hasNextPage endCursor } nodes { fullDatabaseId createdAt author { ${ACTOR} } }`,
  labels: 'pageInfo { hasNextPage endCursor } nodes { name }',
} as const;
export type PartName = keyof typeof PART_FIELDS;
export const PART_NAMES = Object.keys(PART_FIELDS) as PartName[];

const PULL_FIELDS = `fullDatabaseId number title state isDraft createdAt updatedAt closedAt mergedAt
  author { ${ACTOR} } baseRefName headRefName url body additions deletions changedFiles
  mergeCommit { oid } potentialMergeCommit { oid }
  ${PART_NAMES.map((p) => `${p}(first: ${PART_PAGE}) { ${PART_FIELDS[p]} }`).join('\n  ')}`;

/**
 * A page of a repository's PRs, most recently updated first, each with the first 100 of its
 * commits, reviews, conversation comments and labels. Cost (GitHub's model): 1 + 4 × `first`
 * requests / 100, i.e. 4 points for 100 PRs; at most 100 + 40,000 nodes.
 */
export const PULL_REQUESTS_QUERY = `query StridePullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${PULL_FIELDS} }
    }
  }
}`;

/** The next page of one part of one PR (a PR with more than 100 commits, reviews, comments or labels). */
export function partQuery(part: PartName): string {
  return `query StridePullRequestPart($owner: String!, $name: String!, $number: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) { ${part}(first: ${PART_PAGE}, after: $after) { ${PART_FIELDS[part]} } }
  }
}`;
}

/** Possible nodes of a PR page of `first` PRs (GitHub's node limit is 500,000). */
export const nodesOfPage = (first: number) => first + first * PART_NAMES.length * PART_PAGE;

interface Actor {
  __typename?: string;
  login: string;
}
interface GitActor {
  name: string | null;
  email: string | null;
  date: string | null;
  user: { login: string } | null;
}
export interface Connection<T> {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (T | null)[];
}
export interface PullRequestNode {
  fullDatabaseId: string | null;
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  author: Actor | null;
  baseRefName: string;
  headRefName: string;
  url: string;
  body: string;
  additions: number;
  deletions: number;
  changedFiles: number;
  mergeCommit: { oid: string } | null;
  potentialMergeCommit: { oid: string } | null;
  commits: Connection<{
    commit: {
      oid: string;
      message: string;
      author: GitActor | null;
      committer: GitActor | null;
    };
  }>;
  reviews: Connection<{
    fullDatabaseId: string | null;
    state: string;
    submittedAt: string | null;
    author: Actor | null;
  }> | null;
  comments: Connection<{ fullDatabaseId: string | null; createdAt: string; author: Actor | null }>;
  labels: Connection<{ name: string }> | null;
}

/**
 * A GraphQL Actor as a REST user. A Bot's GraphQL login lacks the `[bot]` suffix its REST login
 * has (`dependabot` vs `dependabot[bot]`); the REST form is what we store.
 */
export function restUserOf(actor: Actor | null | undefined): { login: string; type: string } | null {
  if (!actor) return null;
  if (actor.__typename === 'Bot')
    return { login: actor.login.endsWith('[bot]') ? actor.login : `${actor.login}[bot]`, type: 'Bot' };
  return { login: actor.login, type: actor.__typename ?? 'User' };
}

/** GitHub's no-reply address of a bot (`49699333+dependabot[bot]@users.noreply.github.com`). */
const BOT_NOREPLY = /^(?:\d+\+)?([^@]+\[bot\])@users\.noreply\.github\.com$/i;

/**
 * The GitHub account of a commit's author as REST gives it. GraphQL's `GitActor.user` is a User
 * only, so a bot's commit has none there; REST names the bot, which its no-reply address does too.
 */
function commitAccountOf(actor: GitActor | null): { login: string; type: string } | null {
  if (actor?.user) return { login: actor.user.login, type: 'User' };
  const bot = actor?.email ? BOT_NOREPLY.exec(actor.email) : null;
  return bot ? { login: bot[1]!, type: 'Bot' } : null;
}

const gitActor = (a: GitActor | null) => (a ? { name: a.name, email: a.email, date: a.date } : null);

/** A PR commit node as `GET /pulls/{n}/commits` gives it. */
export function restCommitOf(node: PullRequestNode['commits']['nodes'][number]): unknown {
  if (!node) return null;
  const c = node.commit;
  return {
    sha: c.oid,
    commit: { author: gitActor(c.author), committer: gitActor(c.committer), message: c.message },
    author: commitAccountOf(c.author),
    committer: commitAccountOf(c.committer),
  };
}

type ReviewNode = NonNullable<PullRequestNode['reviews']>['nodes'][number];
/** A review node as `GET /pulls/{n}/reviews` gives it. */
export function restReviewOf(node: ReviewNode): unknown {
  if (!node) return null;
  return {
    id: node.fullDatabaseId === null ? null : Number(node.fullDatabaseId),
    user: restUserOf(node.author),
    state: node.state,
    submitted_at: node.submittedAt,
  };
}

/** A conversation comment node as `GET /issues/{n}/comments` gives it. */
export function restCommentOf(node: PullRequestNode['comments']['nodes'][number]): unknown {
  if (!node) return null;
  return {
    id: node.fullDatabaseId === null ? null : Number(node.fullDatabaseId),
    user: restUserOf(node.author),
    created_at: node.createdAt,
  };
}

/**
 * A PR node as REST gives it: the detail shape (`GET /pulls/{n}`, with size) for a merged PR,
 * the list shape (no size) otherwise, as the REST path stores them. An empty GraphQL `body` is
 * REST's null. `merge_commit_sha` is the merge commit, or the test merge commit of an unmerged PR.
 */
export function restPullRequestOf(
  node: PullRequestNode,
  labels: { name: string }[],
): Record<string, unknown> {
  const merged = node.mergedAt !== null;
  return {
    id: node.fullDatabaseId === null ? null : Number(node.fullDatabaseId),
    number: node.number,
    title: node.title,
    user: restUserOf(node.author),
    state: node.state === 'OPEN' ? 'open' : 'closed',
    draft: node.isDraft,
    created_at: node.createdAt,
    updated_at: node.updatedAt,
    closed_at: node.closedAt,
    merged_at: node.mergedAt,
    merge_commit_sha: node.mergeCommit?.oid ?? node.potentialMergeCommit?.oid ?? null,
    base: { ref: node.baseRefName },
    head: { ref: node.headRefName },
    labels,
    html_url: node.url,
    body: node.body === '' ? null : node.body,
    ...(merged
      ? {
          additions: node.additions,
          deletions: node.deletions,
          changed_files: node.changedFiles,
          commits: node.commits.totalCount,
        }
      : {}),
  };
}
