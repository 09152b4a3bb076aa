/**
 * Batched GraphQL look-ups that replace one REST request per item on the GraphQL path
 * (`github.history: graphql`): a deployment's statuses, a release's tagged commit, a tag's commit
 * and the commits a deployment shipped. Many items per query, one alias each, sized to GitHub's
 * cost model (https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api):
 * a query whose aliases hold no connection costs 1 point; one connection per alias costs
 * aliases / 100 points. Answers are mapped to the REST shapes the transforms read.
 */
import type { GraphqlRateLimit } from '../../sources/github-client.ts';
import { chunk, type RepoSync } from './repo-sync.ts';

/** Whether the repository's history comes through GraphQL (config `github.history`). */
export const usesGraphql = (r: RepoSync) => r.ctx.config.github.history === 'graphql';

/** Aliases per look-up query: 100 connections = 1 point; GitHub's node limit allows far more. */
export const LOOKUP_BATCH = 100;
/** Statuses per deployment asked at once (GitHub's page maximum); more are paged alone. */
const STATUS_PAGE = 100;

type Answer<T> = { rateLimit?: GraphqlRateLimit | null } & T;

/** One query of aliases `a0..an` over `items`, each `field(i)`; returns the answers by index. */
async function aliased<T>(
  r: RepoSync,
  name: string,
  vars: { type: string; values: readonly unknown[] },
  field: (variable: string) => string,
  withRepository: boolean,
): Promise<(T | null)[]> {
  const decl = vars.values.map((_, i) => `$a${i}: ${vars.type}`).join(', ');
  const fields = vars.values.map((_, i) => `a${i}: ${field(`$a${i}`)}`).join('\n    ');
  const query = withRepository
    ? `query ${name}($owner: String!, $name: String!, ${decl}) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    ${fields}
  }
}`
    : `query ${name}(${decl}) {
  rateLimit { cost remaining resetAt }
  ${fields}
}`;
  const variables: Record<string, unknown> = Object.fromEntries(vars.values.map((v, i) => [`a${i}`, v]));
  if (withRepository) Object.assign(variables, { owner: r.owner, name: r.repo });
  let answer: Answer<Record<string, unknown>>;
  try {
    answer = await r.client.graphql<Answer<Record<string, unknown>>>(query, variables, { retries: 2 });
  } catch (error) {
    // An alias GitHub cannot resolve (a node deleted meanwhile) is an error beside the others'
    // data: keep what resolved, the rest is null (the caller falls back or skips).
    const partial = (error as { data?: Answer<Record<string, unknown>> }).data;
    const errors = (error as { errors?: { type?: string }[] }).errors;
    if (!partial || !errors?.every((e) => e.type === 'NOT_FOUND')) throw error;
    r.client.readRateLimit(partial.rateLimit);
    answer = partial;
  }
  const scope = withRepository ? (answer.repository as Record<string, unknown> | null) : answer;
  return vars.values.map((_, i) => (scope?.[`a${i}`] as T | undefined) ?? null);
}

interface StatusNode {
  state: string;
  createdAt: string;
  description: string | null;
  environment: string | null;
  environmentUrl: string | null;
  logUrl: string | null;
}
interface StatusConnection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (StatusNode | null)[];
}
const STATUS_FIELDS = `pageInfo { hasNextPage endCursor } nodes { state createdAt description environment environmentUrl logUrl }`;

/**
 * Deployment statuses as `GET /deployments/{id}/statuses` gives them. GraphQL's
 * `DeploymentStatus` has no database id: each gets the REST order's id rank (newest first: the
 * highest), which is all the outcome rule reads of it (a tie-break between equal times).
 */
function restStatusesOf(nodes: readonly StatusNode[], deploymentId: number): unknown[] {
  return nodes.map((s, i) => ({
    id: deploymentId * 1000 + (nodes.length - i),
    state: s.state.toLowerCase(),
    created_at: s.createdAt,
    description: s.description,
    environment: s.environment,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
  }));
}

/**
 * Every status of each deployment (REST ids and `node_id`s), 100 deployments per query
 * (`node(id:)` aliases: 1 point), a deployment with more than 100 statuses paged alone.
 * @returns statuses by deployment id in REST's shape; a deployment GitHub no longer knows is absent.
 */
export async function fetchDeploymentStatuses(
  r: RepoSync,
  deployments: readonly { id: number; nodeId: string }[],
): Promise<Map<number, unknown[]>> {
  const out = new Map<number, unknown[]>();
  for (const batch of chunk(deployments, LOOKUP_BATCH)) {
    const answers = await aliased<{ statuses: StatusConnection | null }>(
      r,
      'StrideDeploymentStatuses',
      { type: 'ID!', values: batch.map((d) => d.nodeId) },
      (v) => `node(id: ${v}) { ... on Deployment { statuses(first: ${STATUS_PAGE}) { ${STATUS_FIELDS} } } }`,
      false,
    );
    for (const [i, d] of batch.entries()) {
      let connection = answers[i]?.statuses ?? null;
      if (!answers[i]) continue;
      const nodes: StatusNode[] = [];
      while (connection) {
        nodes.push(...connection.nodes.filter((n) => n !== null));
        if (!connection.pageInfo.hasNextPage) break;
        const after: string = JSON.stringify(connection.pageInfo.endCursor);
        const [next] = await aliased<{ statuses: StatusConnection | null }>(
          r,
          'StrideDeploymentStatusesPage',
          { type: 'ID!', values: [d.nodeId] },
          (v: string): string =>
            `node(id: ${v}) { ... on Deployment { statuses(first: ${STATUS_PAGE}, after: ${after}) { ${STATUS_FIELDS} } } }`,
          false,
        );
        connection = next?.statuses ?? null;
      }
      out.set(d.id, restStatusesOf(nodes, d.id));
    }
  }
  return out;
}

/**
 * The commit each release's tag names (`Release.tagCommit`, through annotated tags), 100
 * releases per query (no connection: 1 point). A release GitHub no longer knows, or whose tag is
 * gone, maps to null.
 */
export async function fetchReleaseCommits(
  r: RepoSync,
  releases: readonly { id: number; nodeId: string }[],
): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  for (const batch of chunk(releases, LOOKUP_BATCH)) {
    const answers = await aliased<{ tagCommit: { oid: string } | null }>(
      r,
      'StrideReleaseCommits',
      { type: 'ID!', values: batch.map((x) => x.nodeId) },
      (v) => `node(id: ${v}) { ... on Release { tagCommit { oid } } }`,
      false,
    );
    batch.forEach((x, i) => {
      out.set(x.id, answers[i]?.tagCommit?.oid ?? null);
    });
  }
  return out;
}

/**
 * Commits as `GET /commits/{sha}` gives the fields a tag deployment reads (`sha`,
 * `commit.committer.date`, `html_url`), 100 per query (no connection: 1 point). A SHA GitHub does
 * not know is absent.
 */
export async function fetchCommits(
  r: RepoSync,
  shas: readonly string[],
): Promise<Map<string, { payload: unknown; url: string }>> {
  const out = new Map<string, { payload: unknown; url: string }>();
  for (const batch of chunk([...new Set(shas)], LOOKUP_BATCH)) {
    const answers = await aliased<{ oid: string; committedDate: string; url: string }>(
      r,
      'StrideCommits',
      { type: 'GitObjectID!', values: batch },
      (v) => `object(oid: ${v}) { ... on Commit { oid committedDate url } }`,
      true,
    );
    batch.forEach((sha, i) => {
      const c = answers[i];
      if (!c?.oid) return;
      out.set(sha, {
        payload: { sha: c.oid, commit: { committer: { date: c.committedDate } }, html_url: c.url },
        url: r.client.graphqlUrl,
      });
    });
  }
  return out;
}

/** Pairs of deployed SHAs compared per query, and commits asked per pair and page. */
export const COMPARE_BATCH = 50;
export const COMPARE_PAGE = 50;

interface HistoryConnection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ({ oid: string; committedDate: string } | null)[];
}

/**
 * What `GET /compare/{base}...{head}` lists, for many pairs at once: the head's history
 * (`Commit.history`, `git log` order, newest first) down to the base commit, or to the first
 * commit older than the base's committer date. `COMPARE_BATCH` pairs per query (1 point), a pair
 * whose walk needs more than `COMPARE_PAGE` commits paged alone. For a linear branch (each
 * deployment after the previous one) it is the compare's list; across branches it leaves out
 * commits reachable from the head that are older than the base (compare lists them; they are
 * rarely merge commits of PRs merged after the base was deployed).
 * @returns per pair the SHAs, or null when GitHub knows neither commit (REST's 404).
 */
export async function compareByHistory(
  r: RepoSync,
  pairs: readonly { base: string; head: string }[],
): Promise<(string[] | null)[]> {
  const out: (string[] | null)[] = [];
  for (const batch of chunk(pairs, COMPARE_BATCH)) {
    const values: string[] = [];
    for (const p of batch) values.push(p.head, p.base);
    const answers = await aliased<{
      oid: string;
      committedDate: string;
      history?: HistoryConnection;
    }>(
      r,
      'StrideCompare',
      { type: 'GitObjectID!', values },
      // Even aliases are heads (with their history), odd ones bases (their date only).
      (v) =>
        Number(v.slice(2)) % 2 === 0
          ? `object(oid: ${v}) { ... on Commit { oid committedDate history(first: ${COMPARE_PAGE}) { pageInfo { hasNextPage endCursor } nodes { oid committedDate } } } }`
          : `object(oid: ${v}) { ... on Commit { oid committedDate } }`,
      true,
    );
    for (const [i, pair] of batch.entries()) {
      const head = answers[2 * i];
      const base = answers[2 * i + 1];
      if (!head?.oid || !base?.oid || !head.history) {
        out.push(null);
        continue;
      }
      const baseAt = Date.parse(base.committedDate);
      const shas: string[] = [];
      let connection: HistoryConnection | null = head.history;
      let done = false;
      while (connection && !done) {
        for (const c of connection.nodes) {
          if (!c) continue;
          if (c.oid === pair.base || Date.parse(c.committedDate) < baseAt) {
            done = true;
            break;
          }
          shas.push(c.oid);
        }
        if (done || !connection.pageInfo.hasNextPage) break;
        const after: string = JSON.stringify(connection.pageInfo.endCursor);
        const [next]: ({ history?: HistoryConnection } | null)[] = await aliased<{
          history?: HistoryConnection;
        }>(
          r,
          'StrideComparePage',
          { type: 'GitObjectID!', values: [pair.head] },
          (v: string): string =>
            `object(oid: ${v}) { ... on Commit { history(first: ${COMPARE_PAGE}, after: ${after}) { pageInfo { hasNextPage endCursor } nodes { oid committedDate } } } }`,
          true,
        );
        connection = next?.history ?? null;
      }
      // The compare lists oldest first.
      out.push(shas.reverse());
    }
  }
  return out;
}
