import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHubServer, startFakeGitHubServer } from './github-api-server.ts';
import { GRAPHQL_TIMEOUT_MESSAGE } from './github-graphql.ts';

let server: FakeGitHubServer;
beforeAll(async () => {
  server = await startFakeGitHubServer({
    fixturesDir: null,
    generated: { owner: 'gq', repositories: 1, pullsPerRepository: 30, seed: 5 },
    graphqlRateLimit: 40,
  });
});
afterAll(() => server.close());

async function post(query: string, variables: Record<string, unknown> = {}, path = '/graphql') {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL JSON answers
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const PULLS = `query ($after: String, $n: Int!) {
  repository(owner: "gq", name: "service-1") {
    pullRequests(first: $n, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        number updatedAt state additions
        author { __typename login }
        commits(first: 100) { totalCount nodes { commit { oid authoredDate message author { email user { login } } } } }
        reviews(first: 100) { nodes { fullDatabaseId state submittedAt author { login } } }
        comments(first: 100) { nodes { fullDatabaseId createdAt } }
        labels(first: 10) { nodes { name } }
      }
    }
  }
  rateLimit { cost remaining resetAt limit used nodeCount }
}`;

describe('the fake GitHub GraphQL API', () => {
  it('resolves deployments (with statuses) and releases by their REST node_id, and a commit history', async () => {
    const data = server.repos.get('gq/service-1')!;
    const deployment = data.deployments[0]!;
    const release = data.releases!.find((r) => !r.draft)!;
    const { body } = await post(
      `query ($d: ID!, $r: ID!, $missing: ID!) {
        d: node(id: $d) { __typename ... on Deployment { databaseId commitOid statuses(first: 10) { nodes { state createdAt } } } }
        r: node(id: $r) { ... on Release { databaseId tagName tagCommit { oid } } }
        m: node(id: $missing) { id }
      }`,
      { d: deployment.node_id, r: release.node_id, missing: 'DE_nope' },
    );
    expect(body.data.d).toEqual({
      __typename: 'Deployment',
      databaseId: deployment.id,
      commitOid: deployment.sha,
      statuses: {
        nodes: data.deploymentStatuses[String(deployment.id)]!.map((s) => ({
          state: String(s.state).toUpperCase(),
          createdAt: s.created_at,
        })),
      },
    });
    const tag = data.tags!.find((t) => t.name === release.tag_name)!;
    expect(body.data.r).toEqual({
      databaseId: release.id,
      tagName: release.tag_name,
      tagCommit: { oid: tag.commit.sha },
    });
    // GitHub's answer for an unknown id: null beside an error of type NOT_FOUND
    expect(body.data.m).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path: ['m'] })]);
    const merged = data.pulls.filter((p) => p.merged_at).at(-1)!;
    const history = await post(
      `query ($oid: GitObjectID!) { repository(owner: "gq", name: "service-1") {
        object(oid: $oid) { ... on Commit { oid history(first: 3) { nodes { oid committedDate } } } } } }`,
      { oid: merged.merge_commit_sha },
    );
    const nodes = history.body.data.repository.object.history.nodes as {
      oid: string;
      committedDate: string;
    }[];
    expect(nodes[0]!.oid).toBe(merged.merge_commit_sha);
    expect(nodes.length).toBe(3);
    // git log order: newest first
    expect([...nodes].sort((a, b) => b.committedDate.localeCompare(a.committedDate))).toEqual(nodes);
  });

  it('pages pull requests with cursors, newest update first, from the same data as REST', async () => {
    const data = server.repos.get('gq/service-1')!;
    const expected = [...data.pulls]
      .sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at) || b.number - a.number)
      .map((p) => p.number);
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await post(PULLS, { after, n: 12 });
      expect(body.errors).toBeUndefined();
      const page = body.data.repository.pullRequests;
      expect(page.totalCount).toBe(data.pulls.length);
      seen.push(...page.nodes.map((n: { number: number }) => n.number));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    const { body } = await post(PULLS, { after: null, n: 1 });
    const pr = body.data.repository.pullRequests.nodes[0];
    const rest = data.pulls.find((p) => p.number === pr.number)!;
    expect(pr.commits.nodes.map((c: { commit: { oid: string } }) => c.commit.oid)).toEqual(
      data.pullCommits[String(pr.number)]!.map((c) => c.sha),
    );
    expect(pr.state).toBe(rest.merged_at ? 'MERGED' : rest.state.toUpperCase());
  });

  it('costs queries with GitHub’s model and reports it in rateLimit and the headers', async () => {
    // 1 request for the PR page + 12 × 4 nested connections = 49 requests → 0.49 → 0 → at least 1
    const small = await post(PULLS, { after: null, n: 12 });
    expect(small.body.data.rateLimit).toMatchObject({ cost: 1, limit: 40, nodeCount: 12 + 12 * 310 });
    // 1 + 100 × 4 = 401 requests → 4 points
    const big = await post(PULLS, { after: null, n: 100 });
    expect(big.body.data.rateLimit.cost).toBe(4);
    expect(big.body.data.rateLimit.remaining).toBe(small.body.data.rateLimit.remaining - 4);
    expect(big.headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(Number(big.headers.get('x-ratelimit-remaining'))).toBe(big.body.data.rateLimit.remaining);
  });

  it('refuses a page over 100 and a connection without first/last, with GitHub’s messages', async () => {
    const over = await post(PULLS, { after: null, n: 101 });
    expect(over.body.errors[0].message).toBe(
      'Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records.',
    );
    const unbounded = await post(
      '{ repository(owner: "gq", name: "service-1") { pullRequests { totalCount } } }',
    );
    expect(unbounded.body.errors[0].message).toMatch(/must provide a `first` or `last` value/);
    const invalid = await post('{ repository(owner: "gq", name: "service-1") { nope } }');
    expect(invalid.body.errors[0].message).toMatch(/Cannot query field "nope"/);
  });

  it('answers at /api/graphql beside a GitHub Enterprise /api/v3, a Bot login without [bot]', async () => {
    const data = server.repos.get('gq/service-1')!;
    data.pulls[0]!.user = { login: 'renovate[bot]', id: 29139614, type: 'Bot' };
    const { status, body } = await post(
      '{ repository(owner: "gq", name: "service-1") { pullRequest(number: 1) { author { __typename login } } } }',
      {},
      '/api/graphql',
    );
    expect(status).toBe(200);
    expect(body.data.repository.pullRequest.author).toEqual({ __typename: 'Bot', login: 'renovate' });
  });

  it('fault modes: timeout, resource limits, partial errors, secondary limit, budget used up', async () => {
    const at = server.requests.length + 1;
    server.addFaults([
      { kind: 'graphql-timeout', atRequest: at },
      { kind: 'resource-limits', atRequest: at + 1 },
      { kind: 'partial-error', atRequest: at + 2 },
      { kind: 'secondary-rate-limit', atRequest: at + 3, pathIncludes: 'graphql', resetAfterSeconds: 7 },
    ]);
    const timeout = await post(PULLS, { after: null, n: 5 });
    expect(timeout.status).toBe(502);
    expect(timeout.body.errors[0].message).toBe(GRAPHQL_TIMEOUT_MESSAGE);
    const limits = await post(PULLS, { after: null, n: 5 });
    expect(limits.body.errors[0].type).toBe('RESOURCE_LIMITS_EXCEEDED');
    const partial = await post(PULLS, { after: null, n: 5 });
    expect(partial.body.data.repository.pullRequests.nodes[0]).toBeNull();
    expect(partial.body.data.repository.pullRequests.nodes[1]).not.toBeNull();
    expect(partial.body.errors[0].path).toEqual(['repository', 'pullRequests', 'nodes', 0]);
    const secondary = await post(PULLS, { after: null, n: 5 });
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get('retry-after')).toBe('7');
    // The 40-point budget: 100-PR queries (4 points each) until it is used up.
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 12; i += 1) last = await post(PULLS, { after: null, n: 100 });
    expect(last!.body.errors[0].type).toBe('RATE_LIMITED');
    expect(last!.headers.get('x-ratelimit-remaining')).toMatch(/^[0-3]$/);
  });
});
