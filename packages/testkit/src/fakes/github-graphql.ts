import { createHash } from 'node:crypto';
import {
  buildSchema,
  type DocumentNode,
  execute,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLNamedType,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
  valueFromASTUntyped,
} from 'graphql';
import type { FakePayload, FakeRepoData } from '../adapters/github-rest.ts';
import { GITHUB_GRAPHQL_SUBSET_SDL } from './github-graphql-schema.ts';

const schema = buildSchema(GITHUB_GRAPHQL_SUBSET_SDL);

/** GitHub's limits (https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api). */
export const GRAPHQL_MAX_PAGE = 100;
export const GRAPHQL_MAX_NODES = 500_000;

/** GitHub's answer to a query that took too long (HTTP 502). */
export const GRAPHQL_TIMEOUT_MESSAGE =
  "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.";

/** A repository's git history as the fake serves it (see `gitHistoryOf` in the server). */
export interface GitHistory {
  /** A commit's committer time (epoch ms) on the history, or undefined. */
  atOf(oid: string): number | undefined;
  /** Commits reachable from `oid`, newest first, or undefined when `oid` is not on the history. */
  historyOf(oid: string): { sha: string; at: number }[] | undefined;
}

export interface GraphqlAnswer {
  status: number;
  body: unknown;
  /** Points the query cost (0 when it was refused before running). */
  cost: number;
}

export interface GraphqlBudget {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  resetAt: number;
}

export interface FakeGraphqlOptions {
  /** A query asking for more possible nodes than this times out (502), as a too-large query does at GitHub. */
  timeoutAboveNodes?: number;
}

/** What a query asks for before it runs: GitHub's cost model. */
export interface QueryCost {
  /** Sum over connections of the requests needed to fill them (each assumed full). */
  requests: number;
  /** Possible nodes: sum over connections of their `first`/`last` times their parents'. */
  nodes: number;
  /** Points: `requests / 100` rounded, at least 1. */
  cost: number;
}

type Json = FakePayload;
const encode = (text: string) => Buffer.from(text).toString('base64');
const cursorOf = (offset: number) => encode(`cursor:v2:${offset}`);
function offsetAfter(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(m[1]) + 1;
}

/** A connection over `items` with `first`/`after` (or `last`), GitHub's `pageInfo` and `totalCount`. */
function connection<T>(
  items: readonly (T | (() => T))[],
  args: { first?: number; last?: number; after?: string },
) {
  const from = offsetAfter(args.after);
  const rest = items.slice(from);
  const page =
    typeof args.first === 'number'
      ? rest.slice(0, args.first)
      : rest.slice(Math.max(0, rest.length - (args.last ?? 0)));
  const start = typeof args.first === 'number' ? from : from + rest.length - page.length;
  return {
    nodes: page.map((x) => (typeof x === 'function' ? (x as () => T)() : x)),
    totalCount: items.length,
    pageInfo: {
      startCursor: page.length ? cursorOf(start) : null,
      endCursor: page.length ? cursorOf(start + page.length - 1) : null,
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
    },
  };
}

/** A REST user as a GraphQL Actor: a Bot's GraphQL login has no `[bot]` suffix, as at GitHub. */
function actorOf(user: Json | null | undefined) {
  if (!user || typeof user.login !== 'string') return null;
  const bot = user.type === 'Bot' || user.login.endsWith('[bot]');
  return {
    __typename: bot ? 'Bot' : 'User',
    id: encode(`${bot ? 'Bot' : 'User'}:${user.id}`),
    databaseId: typeof user.id === 'number' ? user.id : null,
    login: bot ? user.login.replace(/\[bot\]$/, '') : user.login,
  };
}

/** A git author/committer: `user` is the GitHub User, null for a bot (a Bot is not a User). */
function gitActorOf(actor: Json | null | undefined, user: Json | null | undefined) {
  if (!actor) return null;
  const u = actorOf(user);
  return {
    name: actor.name ?? null,
    email: actor.email ?? null,
    date: actor.date ?? null,
    user: u && u.__typename === 'User' ? u : null,
  };
}

function commitOf(c: Json) {
  return {
    id: encode(`Commit:${c.sha}`),
    oid: c.sha,
    message: c.commit?.message ?? '',
    authoredDate: c.commit?.author?.date,
    committedDate: c.commit?.committer?.date ?? c.commit?.author?.date,
    author: gitActorOf(c.commit?.author, c.author),
    committer: gitActorOf(c.commit?.committer, c.committer),
    url: c.html_url,
  };
}

/** A PR's head commit: REST's `head.sha`, else its last commit (GitHub always has one). */
export function headShaOf(data: FakeRepoData, pull: Json): string {
  if (typeof pull.head?.sha === 'string') return pull.head.sha;
  const commits = data.pullCommits[String(pull.number)] ?? [];
  return commits.length
    ? String(commits[commits.length - 1]!.sha)
    : createHash('sha1').update(`head:${pull.number}`).digest('hex');
}

const TIMELINE_TYPES: Record<string, string> = {
  ready_for_review: 'ReadyForReviewEvent',
  convert_to_draft: 'ConvertToDraftEvent',
};
const TIMELINE_ITEM_TYPES: Record<string, string> = {
  ReadyForReviewEvent: 'READY_FOR_REVIEW_EVENT',
  ConvertToDraftEvent: 'CONVERT_TO_DRAFT_EVENT',
  PullRequestCommit: 'PULL_REQUEST_COMMIT',
  PullRequestReview: 'PULL_REQUEST_REVIEW',
  IssueComment: 'ISSUE_COMMENT',
};

const time = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : Number.NaN);

/**
 * The fake's GraphQL endpoint over the same per-repository REST data as its REST API, so both
 * serve one organisation. `detailOf` gives a PR's REST detail (size fields).
 */
export function createGraphqlHandler(
  repos: Map<string, FakeRepoData>,
  detailOf: (data: FakeRepoData, pull: Json) => Json,
  options: FakeGraphqlOptions = {},
  gitHistoryOf: (data: FakeRepoData) => GitHistory = () => ({
    atOf: () => undefined,
    historyOf: () => undefined,
  }),
) {
  // One history per repository and query: the data may change between queries.
  let histories = new Map<FakeRepoData, GitHistory>();
  const gitOf = (data: FakeRepoData) => {
    let git = histories.get(data);
    if (!git) {
      git = gitHistoryOf(data);
      histories.set(data, git);
    }
    return git;
  };
  const pullNode = (fullName: string, data: FakeRepoData, pull: Json) => {
    const n = String(pull.number);
    const pullCommitOf = (c: Json) => ({
      id: encode(`PullRequestCommit:${fullName}#${n}:${c.sha}`),
      commit: commitOf(c),
    });
    const reviewOf = (v: Json) => ({
      id: encode(`PullRequestReview:${v.id}`),
      fullDatabaseId: String(v.id),
      author: actorOf(v.user),
      state: v.state,
      submittedAt: v.submitted_at ?? null,
    });
    const commentOf = (c: Json) => ({
      id: encode(`IssueComment:${c.id}`),
      fullDatabaseId: String(c.id),
      author: actorOf(c.user),
      createdAt: c.created_at,
    });
    const merged = Boolean(pull.merged_at);
    const mergeSha = typeof pull.merge_commit_sha === 'string' ? pull.merge_commit_sha : null;
    return {
      id: encode(`PullRequest:${fullName}#${n}`),
      fullDatabaseId: String(pull.id),
      number: pull.number,
      title: pull.title,
      author: actorOf(pull.user),
      state: merged ? 'MERGED' : String(pull.state).toUpperCase(),
      isDraft: pull.draft === true,
      createdAt: pull.created_at,
      updatedAt: pull.updated_at,
      closedAt: pull.closed_at ?? null,
      mergedAt: pull.merged_at ?? null,
      mergeCommit: merged && mergeSha ? { id: encode(`Commit:${mergeSha}`), oid: mergeSha } : null,
      potentialMergeCommit: !merged && mergeSha ? { id: encode(`Commit:${mergeSha}`), oid: mergeSha } : null,
      baseRefName: pull.base?.ref,
      headRefName: pull.head?.ref,
      headRefOid: headShaOf(data, pull),
      reviewRequests: (args: Json) =>
        connection(
          [
            ...((pull.requested_reviewers ?? []) as Json[]).map((u) => ({
              id: encode(`ReviewRequest:${fullName}#${n}:${u.login}`),
              requestedReviewer: actorOf(u),
            })),
            ...((pull.requested_teams ?? []) as Json[]).map((t) => ({
              id: encode(`ReviewRequest:${fullName}#${n}:@${t.slug}`),
              requestedReviewer: { __typename: 'Team', id: encode(`Team:${t.id}`), slug: t.slug },
            })),
          ],
          args,
        ),
      // The timeline as GitHub orders it (by time), of the item types asked for: ready-for-review
      // and convert-to-draft events, and the PR's commits, reviews and conversation comments.
      timelineItems: (args: Json) => {
        const wanted = args.itemTypes as string[] | undefined;
        const items: { at: number; type: string; make: () => Json }[] = [];
        (data.issueTimelines?.[n] ?? []).forEach((e, i) => {
          const type = TIMELINE_TYPES[String(e.event)];
          if (type)
            items.push({
              at: time(e.created_at),
              type,
              make: () => ({
                __typename: type,
                id: encode(`${type}:${fullName}#${n}:${i}`),
                createdAt: e.created_at,
              }),
            });
        });
        for (const c of data.pullCommits[n] ?? [])
          items.push({
            at: time(c.commit?.committer?.date ?? c.commit?.author?.date),
            type: 'PullRequestCommit',
            make: () => ({ __typename: 'PullRequestCommit', ...pullCommitOf(c) }),
          });
        for (const v of data.pullReviews[n] ?? [])
          items.push({
            at: v.submitted_at ? time(v.submitted_at) : Number.POSITIVE_INFINITY,
            type: 'PullRequestReview',
            make: () => ({ __typename: 'PullRequestReview', ...reviewOf(v) }),
          });
        for (const c of data.issueComments?.[n] ?? [])
          items.push({
            at: time(c.created_at),
            type: 'IssueComment',
            make: () => ({ __typename: 'IssueComment', ...commentOf(c) }),
          });
        const list = items
          .filter((i) => !wanted || wanted.includes(TIMELINE_ITEM_TYPES[i.type]!))
          .map((item, k) => ({ item, k }))
          .sort((a, b) => (a.item.at === b.item.at ? a.k - b.k : a.item.at < b.item.at ? -1 : 1))
          .map(({ item }) => item.make);
        return connection(list, args);
      },
      url: pull.html_url,
      body: pull.body ?? '',
      additions: () => detailOf(data, pull).additions,
      deletions: () => detailOf(data, pull).deletions,
      changedFiles: () => detailOf(data, pull).changed_files,
      labels: (args: Json) =>
        connection(
          ((pull.labels ?? []) as (Json | string)[]).map((l) => {
            const name = typeof l === 'string' ? l : String(l.name);
            return { id: encode(`Label:${fullName}:${name}`), name };
          }),
          args,
        ),
      commits: (args: Json) => connection((data.pullCommits[n] ?? []).map(pullCommitOf), args),
      reviews: (args: Json) =>
        connection(
          (data.pullReviews[n] ?? [])
            .filter((v) => !args.states || (args.states as string[]).includes(String(v.state)))
            .map(reviewOf),
          args,
        ),
      comments: (args: Json) => connection((data.issueComments?.[n] ?? []).map(commentOf), args),
    };
  };

  /**
   * A commit the repository knows (a served commit, a PR head, a commit with check runs, or one
   * on the branch history the REST compare serves), with its history (`git log` order: newest
   * first, from the same history as the REST compare) and its check suites; else null.
   */
  const commitNode = (fullName: string, data: FakeRepoData, oid: string): Json | null => {
    const git = gitOf(data);
    const at = git.atOf(oid);
    const known =
      at !== undefined ||
      data.checkRuns?.[oid] !== undefined ||
      data.commits?.[oid] !== undefined ||
      data.pulls.some((p) => headShaOf(data, p) === oid);
    if (!known) return null;
    const rest = data.commits?.[oid] ?? {
      sha: oid,
      html_url: `https://github.com/${fullName}/commit/${oid}`,
      commit: {
        message: '',
        ...(at !== undefined
          ? { committer: { date: new Date(at).toISOString().replace('.000Z', 'Z') } }
          : {}),
      },
    };
    const node = commitOf(rest);
    return {
      __typename: 'Commit',
      ...node,
      url: node.url ?? `https://github.com/${fullName}/commit/${oid}`,
      committedDate: node.committedDate ?? new Date(0).toISOString().replace('.000Z', 'Z'),
      authoredDate:
        node.authoredDate ?? node.committedDate ?? new Date(0).toISOString().replace('.000Z', 'Z'),
      history: (args: Json) => {
        const since = args.since ? Date.parse(String(args.since)) : Number.NEGATIVE_INFINITY;
        const until = args.until ? Date.parse(String(args.until)) : Number.POSITIVE_INFINITY;
        const list = (git.historyOf(oid) ?? [{ sha: oid, at: time(node.committedDate) }]).filter(
          (c) => !(c.at < since) && !(c.at > until),
        );
        return connection(
          list.map((c) => () => commitNode(fullName, data, c.sha)),
          args,
        );
      },
      // The fake keeps a commit's check runs in one suite.
      checkSuites: (args: Json) =>
        connection(
          data.checkRuns?.[oid]?.length
            ? [
                {
                  id: encode(`CheckSuite:${oid}`),
                  checkRuns: (runArgs: Json) =>
                    connection(
                      data.checkRuns![oid]!.map((run) => ({
                        id: encode(`CheckRun:${run.id}`),
                        name: run.name,
                        status: String(run.status).toUpperCase(),
                        conclusion: run.conclusion ? String(run.conclusion).toUpperCase() : null,
                      })),
                      runArgs,
                    ),
                },
              ]
            : [],
          args,
        ),
    };
  };

  /** A REST deployment (`node_id`, `id`) with its statuses as GitHub's GraphQL `Deployment`. */
  const deploymentNode = (data: FakeRepoData, d: Json) => ({
    __typename: 'Deployment',
    id: d.node_id,
    databaseId: d.id,
    commitOid: d.sha,
    createdAt: d.created_at,
    updatedAt: d.updated_at ?? d.created_at,
    environment: d.environment ?? null,
    // GraphQL states are the REST ones in upper case; the fake serves them in the REST order.
    statuses: (args: Json) =>
      connection(
        (data.deploymentStatuses[String(d.id)] ?? []).map((st) => ({
          id: encode(`DeploymentStatus:${st.id}`),
          state: String(st.state).toUpperCase(),
          createdAt: st.created_at,
          description: st.description ?? null,
          environment: st.environment ?? null,
          environmentUrl: st.environment_url || null,
          logUrl: st.log_url || st.target_url || null,
        })),
        args,
      ),
  });

  /** A REST release as GitHub's GraphQL `Release`: `tagCommit` is the commit its tag names (through an annotated tag). */
  const releaseNode = (fullName: string, data: FakeRepoData, r: Json) => ({
    __typename: 'Release',
    id: r.node_id,
    databaseId: r.id,
    tagName: r.tag_name,
    isDraft: r.draft === true,
    isPrerelease: r.prerelease === true,
    createdAt: r.created_at,
    publishedAt: r.published_at ?? null,
    tagCommit: () => {
      const tag = (data.tags ?? []).find((t) => t.name === r.tag_name);
      if (!tag) return null;
      const annotated = Object.values(data.gitTags ?? {}).find((g) => g.tag === r.tag_name);
      const sha = annotated ? String(annotated.object?.sha) : String(tag.commit?.sha);
      return commitNode(fullName, data, sha) ?? { __typename: 'Commit', ...commitOf({ sha }) };
    },
  });

  /** `node(id:)` over deployments and releases (by their REST `node_id`), indexed once per query. */
  const nodeIndex = () => {
    const index = new Map<string, () => Json>();
    for (const [fullName, data] of repos) {
      for (const d of data.deployments)
        if (typeof d.node_id === 'string') index.set(d.node_id, () => deploymentNode(data, d));
      for (const r of data.releases ?? [])
        if (typeof r.node_id === 'string') index.set(r.node_id, () => releaseNode(fullName, data, r));
    }
    return index;
  };

  const repositoryNode = (fullName: string, data: FakeRepoData) => ({
    id: encode(`Repository:${data.repo.id}`),
    databaseId: data.repo.id,
    nameWithOwner: fullName,
    object: ({ oid }: { oid?: string }) => (oid ? commitNode(fullName, data, oid) : null),
    pullRequest: ({ number }: { number: number }) => {
      const pull = data.pulls.find((p) => p.number === number);
      return pull ? pullNode(fullName, data, pull) : null;
    },
    pullRequests: (args: Json) => {
      const states = args.states as string[] | undefined;
      const field = args.orderBy?.field === 'UPDATED_AT' ? 'updated_at' : 'created_at';
      const sign = args.orderBy?.direction === 'DESC' ? -1 : 1;
      const list = data.pulls
        .filter((p) => {
          const state = p.merged_at ? 'MERGED' : String(p.state).toUpperCase();
          return (
            (!states || states.includes(state)) &&
            (!args.baseRefName || p.base?.ref === args.baseRefName) &&
            (!args.headRefName || p.head?.ref === args.headRefName)
          );
        })
        .sort((a, b) => sign * (time(a[field]) - time(b[field])) || sign * (a.number - b.number));
      return connection(
        list.map((p) => () => pullNode(fullName, data, p)),
        args,
      );
    },
  });

  return {
    /** Cost and node count of a parsed query (throws GitHub's pagination errors). */
    analyse: (document: DocumentNode, variables: Json) => analyseQuery(document, variables),
    /**
     * Answers one `POST /graphql` body against `budget` (spends the query's points from it).
     * Refusals have GitHub's shapes: HTTP 200 with `errors[]` (parse/validation, `first` over
     * 100, missing `first`/`last`, `MAX_NODE_LIMIT_EXCEEDED`, `RATE_LIMITED`), 502 for a timeout.
     */
    answer(body: unknown, budget: GraphqlBudget): GraphqlAnswer {
      const request = (body ?? {}) as { query?: unknown; variables?: unknown };
      if (typeof request.query !== 'string')
        return { status: 400, body: { message: 'Problems parsing JSON' }, cost: 0 };
      const variables = (request.variables ?? {}) as Json;
      let document: DocumentNode;
      try {
        document = parse(request.query);
      } catch (error) {
        return { status: 200, body: { errors: [{ message: (error as Error).message }] }, cost: 0 };
      }
      const invalid = validate(schema, document);
      if (invalid.length) return { status: 200, body: { errors: invalid.map((e) => e.toJSON()) }, cost: 0 };
      let cost: QueryCost;
      try {
        cost = analyseQuery(document, variables);
      } catch (error) {
        const e = error as GraphQLError & { type?: string };
        return {
          status: 200,
          body: { errors: [{ ...(e.type ? { type: e.type } : {}), message: e.message }] },
          cost: 0,
        };
      }
      if (budget.remaining < cost.cost)
        return {
          status: 200,
          body: {
            errors: [{ type: 'RATE_LIMITED', message: 'API rate limit already exceeded for user ID 1.' }],
          },
          cost: 0,
        };
      if (options.timeoutAboveNodes !== undefined && cost.nodes > options.timeoutAboveNodes)
        return { status: 502, body: { data: null, errors: [{ message: GRAPHQL_TIMEOUT_MESSAGE }] }, cost: 0 };
      budget.remaining -= cost.cost;
      histories = new Map();
      let nodes: Map<string, () => Json> | undefined;
      const rootValue = {
        node: ({ id }: { id: string }) => {
          nodes ??= nodeIndex();
          const make = nodes.get(id);
          if (!make)
            throw Object.assign(
              new GraphQLError(`Could not resolve to a node with the global id of '${id}'`),
              {
                type: 'NOT_FOUND',
              },
            );
          return make();
        },
        repository: ({ owner, name }: { owner: string; name: string }) => {
          const fullName = [...repos.keys()].find(
            (k) => k.toLowerCase() === `${owner}/${name}`.toLowerCase(),
          );
          if (!fullName)
            throw Object.assign(
              new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`),
              { type: 'NOT_FOUND' },
            );
          return repositoryNode(fullName, repos.get(fullName)!);
        },
        rateLimit: () => ({
          cost: cost.cost,
          limit: budget.limit,
          nodeCount: cost.nodes,
          remaining: budget.remaining,
          resetAt: new Date(budget.resetAt * 1000).toISOString().replace('.000Z', 'Z'),
          used: budget.limit - budget.remaining,
        }),
      };
      const result = execute({
        schema,
        document,
        rootValue,
        variableValues: variables,
        // Connection items are thunks so a page builds only the PRs it returns.
        fieldResolver: (source, args, _ctx, info) => {
          const value = (source as Json)[info.fieldName];
          if (typeof value === 'function') return value(args);
          return value;
        },
      }) as { data?: unknown; errors?: readonly GraphQLError[] };
      const errors = result.errors?.map((e) => ({
        ...((e.originalError as { type?: string } | undefined)?.type
          ? { type: (e.originalError as { type?: string }).type }
          : {}),
        ...e.toJSON(),
      }));
      return {
        status: 200,
        body: { data: result.data ?? null, ...(errors ? { errors } : {}) },
        cost: cost.cost,
      };
    },
  };
}

const CONNECTION = /Connection$/;

/**
 * GitHub's cost model: every connection needs `product of its parents' first/last` requests,
 * and may return that many times its own `first`/`last` nodes. Points = requests / 100, rounded,
 * at least 1. A connection without `first`/`last`, or with one above 100, and a query over
 * 500,000 nodes are refused with GitHub's messages.
 * Source: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 * @throws GraphQLError with `type` for a refused query.
 */
export function analyseQuery(document: DocumentNode, variables: Record<string, unknown>): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION) operation ??= d;
  }
  let requests = 0;
  let nodes = 0;
  const walk = (set: SelectionSetNode | undefined, type: GraphQLNamedType, multiplier: number) => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(selection.selectionSet, on ?? type, multiplier);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(selection.name.value);
        if (f) walk(f.selectionSet, schema.getType(f.typeCondition.name.value) ?? type, multiplier);
        continue;
      }
      const field = selection as FieldNode;
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      const definition = type.getFields()[field.name.value];
      if (!definition) continue;
      const child = getNamedType(definition.type);
      if (!CONNECTION.test(child.name)) {
        walk(field.selectionSet, child, multiplier);
        continue;
      }
      const arg = (name: string) => {
        const node = field.arguments?.find((a) => a.name.value === name);
        return node ? (valueFromASTUntyped(node.value, variables) as number | null | undefined) : undefined;
      };
      const size = arg('first') ?? arg('last');
      if (size === undefined || size === null)
        throw Object.assign(
          new GraphQLError(
            `You must provide a \`first\` or \`last\` value to properly paginate the \`${field.name.value}\` connection.`,
          ),
          { type: 'MISSING_PAGINATION_BOUNDARIES' },
        );
      if (size > GRAPHQL_MAX_PAGE || size < 0)
        throw Object.assign(
          new GraphQLError(
            `Requesting ${size} records on the \`${field.name.value}\` connection exceeds the \`${arg('first') !== undefined ? 'first' : 'last'}\` limit of ${GRAPHQL_MAX_PAGE} records.`,
          ),
          { type: 'EXCESSIVE_PAGINATION' },
        );
      requests += multiplier;
      nodes += multiplier * size;
      if (nodes > GRAPHQL_MAX_NODES)
        throw Object.assign(
          new GraphQLError(
            `By the time this query traverses to the ${field.name.value} connection, it is requesting up to ${nodes.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${GRAPHQL_MAX_NODES.toLocaleString('en-US')}.`,
          ),
          { type: 'MAX_NODE_LIMIT_EXCEEDED' },
        );
      walk(field.selectionSet, child, multiplier * size);
    }
  };
  if (operation) walk(operation.selectionSet, schema.getQueryType()!, 1);
  return { requests, nodes, cost: Math.max(1, Math.round(requests / 100)) };
}
