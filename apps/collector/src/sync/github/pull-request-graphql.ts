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
/**
 * The timeline item types read: ready-for-review / convert-to-draft events and the PR's commits,
 * reviews and conversation comments, all in one connection (one request a PR in GitHub's cost
 * model instead of four).
 */
const TIMELINE_ITEM_TYPES =
  'itemTypes: [READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT, PULL_REQUEST_COMMIT, PULL_REQUEST_REVIEW, ISSUE_COMMENT]';
const PART_FIELDS = {
  reviewRequests: `pageInfo { hasNextPage endCursor } nodes { requestedReviewer { __typename ... on User { login } ... on Bot { login } ... on Mannequin { login } ... on Team { slug } } }`,
  timelineItems: `pageInfo { hasNextPage endCursor } nodes { __typename
      ... on ReadyForReviewEvent { createdAt } ... on ConvertToDraftEvent { createdAt }
      ... on PullRequestCommit { commit { oid message author { ${GIT_ACTOR} } committer { ${GIT_ACTOR} } } }
      ... on PullRequestReview { fullDatabaseId state submittedAt author { ${ACTOR} } }
      ... on IssueComment { fullDatabaseId createdAt author { ${ACTOR} } } }`,
  labels: 'pageInfo { hasNextPage endCursor } nodes { name }',
} as const;
export type PartName = keyof typeof PART_FIELDS;
export const PART_NAMES = Object.keys(PART_FIELDS) as PartName[];
/** Arguments besides `first`/`after`. */
const PART_ARGS: Partial<Record<PartName, string>> = { timelineItems: `, ${TIMELINE_ITEM_TYPES}` };
const partField = (part: PartName, after: string) =>
  `${part}(first: ${PART_PAGE}${after}${PART_ARGS[part] ?? ''}) { ${PART_FIELDS[part]} }`;

const PULL_FIELDS = `fullDatabaseId number title state isDraft createdAt updatedAt closedAt mergedAt
  author { ${ACTOR} } baseRefName headRefName headRefOid url body additions deletions changedFiles
  mergeCommit { oid } potentialMergeCommit { oid }
  ${PART_NAMES.map((p) => partField(p, '')).join('\n  ')}`;

/**
 * A page of a repository's PRs, most recently updated first, each with the first 100 of its
 * review requests, labels and timeline items (ready-for-review / convert-to-draft events,
 * commits, reviews, conversation comments). Cost (GitHub's model, `costOfPullPage`):
 * 1 + 3 × `first` requests / 100, 2 points for `PULL_PAGE` (82) PRs; at most 82 + 24,600 nodes.
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

/** The next page of one part of one PR (a PR with more than 100 timeline items, labels or review requests). */
export function partQuery(part: PartName): string {
  return `query StridePullRequestPart($owner: String!, $name: String!, $number: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) { ${partField(part, ', after: $after')} }
  }
}`;
}

/**
 * GitHub's cost of a page of `first` PRs with their parts: 1 + parts × `first` requests, / 100,
 * rounded, at least 1 (https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api).
 */
export const costOfPullPage = (first: number) =>
  Math.max(1, Math.round((1 + PART_NAMES.length * first) / 100));

/**
 * Points a backfill may spend per PR on its pages, leaving room under 0.05 (1,000,000 PRs in
 * under 10 hours of one token's 5,000 points an hour) for open PRs' check runs, deployments and
 * the compare walks.
 */
export const POINTS_PER_PULL = 0.025;

/**
 * PRs per page: the largest page whose cost per PR stays within `POINTS_PER_PULL`. GitHub rounds
 * the cost, so with 3 parts 82 PRs cost 2 points (0.024 a PR) while 100 cost 3.
 */
export const PULL_PAGE = Array.from({ length: PART_PAGE }, (_, i) => PART_PAGE - i).find(
  (first) => costOfPullPage(first) / first <= POINTS_PER_PULL,
)!;

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
  headRefOid: string;
  url: string;
  body: string;
  additions: number;
  deletions: number;
  changedFiles: number;
  mergeCommit: { oid: string } | null;
  potentialMergeCommit: { oid: string } | null;
  labels: Connection<{ name: string }> | null;
  reviewRequests: Connection<{
    requestedReviewer: { __typename: string; login?: string; slug?: string } | null;
  }> | null;
  timelineItems: Connection<TimelineItem>;
}

export interface CommitItem {
  __typename: 'PullRequestCommit';
  commit: { oid: string; message: string; author: GitActor | null; committer: GitActor | null };
}
export interface ReviewItem {
  __typename: 'PullRequestReview';
  fullDatabaseId: string | null;
  state: string;
  submittedAt: string | null;
  author: Actor | null;
}
export interface CommentItem {
  __typename: 'IssueComment';
  fullDatabaseId: string | null;
  createdAt: string;
  author: Actor | null;
}
export interface EventItem {
  __typename: 'ReadyForReviewEvent' | 'ConvertToDraftEvent';
  createdAt: string;
}
/** One item of a PR's timeline as the query asks for it. */
export type TimelineItem = CommitItem | ReviewItem | CommentItem | EventItem;

/** The parts of a PR once complete (every page of each connection), nulls left out. */
export interface PullRequestParts {
  reviewRequests: NonNullable<NonNullable<PullRequestNode['reviewRequests']>['nodes'][number]>[];
  /** Ready-for-review and convert-to-draft events, in timeline order. */
  timelineItems: EventItem[];
  commits: CommitItem[];
  reviews: ReviewItem[];
  comments: CommentItem[];
  labels: NonNullable<NonNullable<PullRequestNode['labels']>['nodes'][number]>[];
}

/** A complete timeline split into the parts the REST path fetches from separate endpoints. */
export function splitTimeline(
  items: readonly TimelineItem[],
): Pick<PullRequestParts, 'timelineItems' | 'commits' | 'reviews' | 'comments'> {
  const out: Pick<PullRequestParts, 'timelineItems' | 'commits' | 'reviews' | 'comments'> = {
    timelineItems: [],
    commits: [],
    reviews: [],
    comments: [],
  };
  for (const item of items) {
    if (item.__typename === 'PullRequestCommit') out.commits.push(item);
    else if (item.__typename === 'PullRequestReview') out.reviews.push(item);
    else if (item.__typename === 'IssueComment') out.comments.push(item);
    else out.timelineItems.push(item);
  }
  return out;
}

const TIMELINE_EVENTS: Record<string, string> = {
  ReadyForReviewEvent: 'ready_for_review',
  ConvertToDraftEvent: 'convert_to_draft',
};

/** Ready-for-review and convert-to-draft items as `GET /issues/{n}/timeline` events, in order. */
export function restTimelineOf(items: PullRequestParts['timelineItems']): unknown[] {
  return items.flatMap((i) =>
    TIMELINE_EVENTS[i.__typename] ? [{ event: TIMELINE_EVENTS[i.__typename], created_at: i.createdAt }] : [],
  );
}

/**
 * `GET /commits/{ref}/check-runs`'s answer from a commit's check suites (GraphQL enums are the
 * REST values in upper case).
 */
export function restCheckRunsOf(
  suites: {
    nodes: ({
      checkRuns: { nodes: ({ status: string; conclusion: string | null } | null)[] } | null;
    } | null)[];
  } | null,
): { total_count: number; check_runs: { status: string; conclusion: string | null }[] } {
  const runs = (suites?.nodes ?? []).flatMap((s) =>
    (s?.checkRuns?.nodes ?? []).flatMap((r) =>
      r
        ? [{ status: r.status.toLowerCase(), conclusion: r.conclusion ? r.conclusion.toLowerCase() : null }]
        : [],
    ),
  );
  return { total_count: runs.length, check_runs: runs };
}

/**
 * Check suites per commit asked in a check-runs query (one per app running checks: Actions and a
 * few others); a commit with more is asked again alone with `CHECK_SUITES_MAX`.
 */
export const CHECK_SUITES_PAGE = 5;
export const CHECK_SUITES_MAX = 100;

/**
 * Head commits per check-runs query: the most whose cost (`count` × (1 + suites) requests / 100,
 * rounded) stays at 5 points.
 */
export const CHECK_BATCH = 83;

/**
 * Check suites and runs of several commits in one query, one alias per commit (`c0`, `c1`...).
 * Cost: `count` × (1 + `suites`) requests / 100: 5 points for 83 commits with 5 suites each.
 */
export function checkRunsQuery(count: number, suites = CHECK_SUITES_PAGE): string {
  const vars = Array.from({ length: count }, (_, i) => `$c${i}: GitObjectID!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) =>
      `c${i}: object(oid: $c${i}) { ... on Commit { checkSuites(first: ${suites}) { pageInfo { hasNextPage } nodes { checkRuns(first: ${PART_PAGE}) { nodes { status conclusion } } } } } }`,
  ).join('\n    ');
  return `query StrideCheckRuns($owner: String!, $name: String!, ${vars}) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    ${fields}
  }
}`;
}

/**
 * The check runs of head commits of several repositories in one query: `r<i>: repository(owner:
 * $o<i>, name: $n<i>)` with `c<j>: object(oid: $c<j>)` aliases numbered across the query, so a
 * re-sync asks once per `CHECK_BATCH` running-check commits of a credential, not once per
 * repository. Same cost as `checkRunsQuery` for the same commits.
 */
export function checkRunsAcrossQuery(commitsPerRepository: readonly number[]): string {
  const vars: string[] = [];
  const blocks: string[] = [];
  let j = 0;
  for (const [i, count] of commitsPerRepository.entries()) {
    vars.push(`$o${i}: String!`, `$n${i}: String!`);
    const fields: string[] = [];
    for (let k = 0; k < count; k += 1, j += 1) {
      vars.push(`$c${j}: GitObjectID!`);
      fields.push(
        `c${j}: object(oid: $c${j}) { ... on Commit { checkSuites(first: ${CHECK_SUITES_PAGE}) { pageInfo { hasNextPage } nodes { checkRuns(first: ${PART_PAGE}) { nodes { status conclusion } } } } } }`,
      );
    }
    blocks.push(`r${i}: repository(owner: $o${i}, name: $n${i}) {\n    ${fields.join('\n    ')}\n  }`);
  }
  return `query StrideCheckRuns(${vars.join(', ')}) {
  rateLimit { cost remaining resetAt }
  ${blocks.join('\n  ')}
}`;
}

/**
 * GitHub's own bot accounts whose REST login has no `[bot]` suffix either: the Copilot coding
 * agent opens PRs as REST `{ login: 'Copilot', type: 'Bot' }` (known-ai-markers.ts), and GraphQL
 * names it `Copilot` too. Lower case.
 */
const UNSUFFIXED_BOTS = new Set(['copilot']);

/**
 * A GraphQL Actor as a REST user. A GitHub App bot's GraphQL login lacks the `[bot]` suffix its
 * REST login has (`dependabot` vs `dependabot[bot]`); the REST form is what we store. GitHub's own
 * unsuffixed bots (`Copilot`) keep their login.
 */
export function restUserOf(actor: Actor | null | undefined): { login: string; type: string } | null {
  if (!actor) return null;
  if (actor.__typename === 'Bot')
    return {
      login:
        actor.login.endsWith('[bot]') || UNSUFFIXED_BOTS.has(actor.login.toLowerCase())
          ? actor.login
          : `${actor.login}[bot]`,
      type: 'Bot',
    };
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
export function restCommitOf(node: CommitItem | null): unknown {
  if (!node) return null;
  const c = node.commit;
  return {
    sha: c.oid,
    commit: { author: gitActor(c.author), committer: gitActor(c.committer), message: c.message },
    author: commitAccountOf(c.author),
    committer: commitAccountOf(c.committer),
  };
}

/** A review node as `GET /pulls/{n}/reviews` gives it. */
export function restReviewOf(node: ReviewItem | null): unknown {
  if (!node) return null;
  return {
    id: node.fullDatabaseId === null ? null : Number(node.fullDatabaseId),
    user: restUserOf(node.author),
    state: node.state,
    submitted_at: node.submittedAt,
  };
}

/** A conversation comment node as `GET /issues/{n}/comments` gives it. */
export function restCommentOf(node: CommentItem | null): unknown {
  if (!node) return null;
  return {
    id: node.fullDatabaseId === null ? null : Number(node.fullDatabaseId),
    user: restUserOf(node.author),
    created_at: node.createdAt,
  };
}

/**
 * A PR node as REST gives it (`parts.commits` complete gives the commit count): the detail shape (`GET /pulls/{n}`, with size) for a merged PR,
 * the list shape (no size) otherwise, as the REST path stores them. An empty GraphQL `body` is
 * REST's null. `merge_commit_sha` is the merge commit, or the test merge commit of an unmerged PR.
 */
export function restPullRequestOf(
  node: PullRequestNode,
  parts: Pick<PullRequestParts, 'labels' | 'reviewRequests'> & { commits?: readonly unknown[] },
): Record<string, unknown> {
  const merged = node.mergedAt !== null;
  const requested = parts.reviewRequests.map((r) => r.requestedReviewer).filter((r) => r !== null);
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
    head: { ref: node.headRefName, sha: node.headRefOid },
    requested_reviewers: requested.flatMap((r) =>
      r.__typename === 'Team' ? [] : [restUserOf({ __typename: r.__typename, login: r.login ?? '' })],
    ),
    requested_teams: requested.flatMap((r) => (r.__typename === 'Team' ? [{ slug: r.slug }] : [])),
    labels: parts.labels.map((l) => ({ name: l.name })),
    html_url: node.url,
    body: node.body === '' ? null : node.body,
    ...(merged
      ? {
          additions: node.additions,
          deletions: node.deletions,
          changed_files: node.changedFiles,
          // the PR's commits: those of its (complete) timeline
          commits: parts.commits?.length ?? 0,
        }
      : {}),
  };
}

/**
 * A stored GraphQL PR answer (`raw_payloads` kind `pull_request_graphql`: the PR node with its
 * parts, `{ ...node, ...parts }`) as the REST payloads the AI classifier reads: the PR and its
 * commits (null when the answer holds none, e.g. a PR stored before it merged). Null when the
 * payload is not such an answer. Pure; throws nothing.
 */
export function restPayloadsOfStoredGraphql(
  stored: unknown,
): { payload: unknown; commits: unknown[] | null } | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const s = stored as PullRequestNode & Partial<PullRequestParts>;
  if (typeof s.number !== 'number') return null;
  try {
    const commits = Array.isArray(s.commits) ? s.commits : null;
    const payload = restPullRequestOf(s, {
      labels: Array.isArray(s.labels) ? s.labels : [],
      reviewRequests: Array.isArray(s.reviewRequests) ? s.reviewRequests : [],
      ...(commits ? { commits } : {}),
    });
    return { payload, commits: commits && commits.length > 0 ? commits.map(restCommitOf) : null };
  } catch {
    return null;
  }
}
