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
) {
  const pullNode = (fullName: string, data: FakeRepoData, pull: Json) => {
    const n = String(pull.number);
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
      timelineItems: (args: Json) =>
        connection(
          (data.issueTimelines?.[n] ?? [])
            .filter((e) => TIMELINE_TYPES[String(e.event)])
            .map((e, i) => ({
              __typename: TIMELINE_TYPES[String(e.event)],
              id: encode(`${TIMELINE_TYPES[String(e.event)]}:${fullName}#${n}:${i}`),
              createdAt: e.created_at,
            }))
            .filter(
              (e) =>
                !args.itemTypes || (args.itemTypes as string[]).includes(TIMELINE_ITEM_TYPES[e.__typename!]!),
            ),
          args,
        ),
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
      commits: (args: Json) =>
        connection(
          (data.pullCommits[n] ?? []).map((c) => ({
            id: encode(`PullRequestCommit:${fullName}#${n}:${c.sha}`),
            commit: commitOf(c),
          })),
          args,
        ),
      reviews: (args: Json) =>
        connection(
          (data.pullReviews[n] ?? [])
            .filter((v) => !args.states || (args.states as string[]).includes(String(v.state)))
            .map((v) => ({
              id: encode(`PullRequestReview:${v.id}`),
              fullDatabaseId: String(v.id),
              author: actorOf(v.user),
              state: v.state,
              submittedAt: v.submitted_at ?? null,
            })),
          args,
        ),
      comments: (args: Json) =>
        connection(
          (data.issueComments?.[n] ?? []).map((c) => ({
            id: encode(`IssueComment:${c.id}`),
            fullDatabaseId: String(c.id),
            author: actorOf(c.user),
            createdAt: c.created_at,
          })),
          args,
        ),
    };
  };

  const repositoryNode = (fullName: string, data: FakeRepoData) => ({
    id: encode(`Repository:${data.repo.id}`),
    databaseId: data.repo.id,
    nameWithOwner: fullName,
    object: ({ oid }: { oid?: string }) => {
      if (!oid) return null;
      const known =
        data.checkRuns?.[oid] !== undefined ||
        data.commits?.[oid] !== undefined ||
        data.pulls.some((p) => headShaOf(data, p) === oid);
      if (!known) return null;
      const rest = data.commits?.[oid] ?? { sha: oid, commit: { message: '' } };
      return {
        __typename: 'Commit',
        ...commitOf(rest),
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
    },
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
      const rootValue = {
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
