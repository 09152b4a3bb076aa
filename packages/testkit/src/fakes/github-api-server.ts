import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  type CopilotMetricsData,
  copilotMetricsOfModel,
  copilotUsageReportsOfModel,
} from '../adapters/github-copilot-metrics.ts';
import { type FakeRepoData, githubPayloads } from '../adapters/github-rest.ts';
import type { OrgModel } from '../model/org-model-types.ts';
import { type GeneratedVolumeOptions, generateGitHubData } from '../presets/size-presets.ts';
import { createFakeAuth, type FakeGitHubAuthOptions } from './github-auth.ts';
import { createGraphqlHandler, type GitHistory, GRAPHQL_TIMEOUT_MESSAGE } from './github-graphql.ts';

export type { FakePayload, FakeRepoData } from '../adapters/github-rest.ts';
export type { GeneratedVolumeOptions } from '../presets/size-presets.ts';
export type { FakeGitHubAuthOptions } from './github-auth.ts';

/** tests/fixtures/recorded of this repository, resolved from this file (not the cwd). */
export const RECORDED_FIXTURES_DIR = fileURLToPath(
  new URL('../../../../tests/fixtures/recorded/', import.meta.url),
);

/**
 * A fault injected at the HTTP level. `atRequest` counts every request the server received
 * (1-based); the fault answers that request and the next `times - 1` matching ones.
 * - `rate-limit`: 403, `x-ratelimit-remaining: 0`, reset `resetAfterSeconds` (default 1) ahead;
 * - `secondary-rate-limit`: 403 "secondary rate limit" with `retry-after` (default 1 s);
 * - `server-error`: 502 Bad Gateway;
 * - `malformed-body`: 200 with a JSON object where the endpoint documents something else;
 * - GraphQL only (`POST /graphql`): `graphql-timeout` (502, GitHub's "couldn't respond in time"),
 *   `resource-limits` (200, `errors[].type` RESOURCE_LIMITS_EXCEEDED, no data), `partial-error`
 *   (200, the query's data with the first PR of a page null and an error naming its path).
 */
export interface FakeFault {
  kind:
    | 'rate-limit'
    | 'secondary-rate-limit'
    | 'server-error'
    | 'malformed-body'
    | 'graphql-timeout'
    | 'resource-limits'
    | 'partial-error';
  atRequest: number;
  times?: number;
  /** Only requests whose path contains this string trigger (and count toward `times`). */
  pathIncludes?: string;
  resetAfterSeconds?: number;
}

export interface FakeRequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  /** GraphQL points the request cost (GraphQL requests only). */
  graphqlCost?: number;
  /** The GraphQL operation's name (`query Name(...)`), when it has one. */
  operation?: string;
  /**
   * The budget the request was counted against: `token:<n>` (the n-th of `auth.tokens`),
   * `installation:<id>`, `app:<id>` (a JWT), or `anonymous` without `auth`; absent when refused (401).
   */
  credential?: string;
}

export interface FakeGitHubServerOptions {
  /** Directory of recorded payloads (tests/fixtures/recorded shape). Default: the repo's copy; `null` = none. */
  fixturesDir?: string | null;
  /** Seeded generated volume served beside the recorded repositories. */
  generated?: GeneratedVolumeOptions;
  /** An organisation model whose repositories are served (its REST adapter) beside the recorded ones. */
  model?: OrgModel;
  faults?: FakeFault[];
  /**
   * Credentials checked as GitHub does (tokens, a GitHub App's JWT and installation tokens); each
   * credential has its own rate-limit budgets. Without it any request is accepted, one budget for all.
   */
  auth?: FakeGitHubAuthOptions;
  /** Primary rate limit budget per window and credential (default 5000); an exhausted budget answers 403 until the reset. */
  rateLimit?: number;
  /** Length of the rate-limit window in seconds (default 3600). */
  rateLimitWindowSeconds?: number;
  /** GraphQL points per window (default 5000, GitHub's for a user token). */
  graphqlRateLimit?: number;
  /** A GraphQL query asking for more possible nodes than this times out (502), as a too-large one does at GitHub. */
  graphqlTimeoutAboveNodes?: number;
  /** Called for every request after it is answered (e.g. to abort a sync mid-way in a test). */
  onRequest?: (record: FakeRequestRecord, count: number) => void;
  /**
   * Copilot metrics API (`/orgs/{org}/copilot/metrics`, `/orgs/{org}/team/{slug}/copilot/metrics`):
   * served from `model` (copilotMetricsOfModel) unless refused. `refuse` answers every such request
   * with GitHub's documented 403 (token not allowed), 404 (not visible / no plan) or 422 (API
   * policy disabled); `refuseTeams` only those GitHub teams'. `now` is the server's clock
   * (default the real one): days up to yesterday, at most 28 days back, are served.
   */
  copilot?: {
    refuse?: 403 | 404 | 422;
    refuseTeams?: Record<string, 403 | 404 | 422>;
    now?: Date;
    /**
     * The Copilot usage metrics reports (`/orgs/{org}/copilot/metrics/reports/{organization,users,
     * user-teams}-1-day?day=`), served from `model` (copilotUsageReportsOfModel) for days from
     * 2025-10-10 up to yesterday, at most a year back: signed, expiring download links on a second
     * host (`downloadUrl`) that answers the NDJSON only for a valid signature and no Authorization
     * header. `reportsRefuse` answers every report request with that refusal; `false` turns the
     * reports off (404), as for an organisation without them.
     */
    reportsRefuse?: 403 | 404 | 422 | false;
    /** The report-file host answers every download with this status (e.g. 403, an expired link). */
    reportFilesStatus?: number;
  };
}

export interface FakeGitHubServer {
  /** Base URL to use as GITHUB_API_URL. */
  url: string;
  /** Base URL of the second host serving the Copilot report files (signed links). */
  downloadUrl: string;
  /** The query strings (signatures) of every signed report link issued: secrets, never to be logged. */
  signedQueries: string[];
  /** Report-file downloads: path, whether an Authorization header came, status. */
  downloads: { path: string; authorization: boolean; status: number }[];
  /** Every request received, in order. */
  requests: FakeRequestRecord[];
  /** The served data by `owner/name`: tests may change it between syncs. */
  repos: Map<string, FakeRepoData>;
  /** Adds faults for the following requests (`atRequest` is absolute, see `requests.length`). */
  addFaults(faults: FakeFault[]): void;
  /** Installation access tokens created so far, by installation id (`auth.app`). */
  installationTokensCreated: ReadonlyMap<number, number>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function readJson(dir: string, name: string): Json {
  try {
    return JSON.parse(readFileSync(`${dir.replace(/\/$/, '')}/${name}`, 'utf8')) as Json;
  } catch {
    return {};
  }
}

/** Loads tests/fixtures/recorded into per-repository data. */
export function loadRecordedGitHubData(dir: string = RECORDED_FIXTURES_DIR): Map<string, FakeRepoData> {
  const repos = readJson(dir, 'github_repos.json') as Record<string, Json>;
  const pulls = readJson(dir, 'github_pulls.json') as Record<string, Json[]>;
  const pullCommits = readJson(dir, 'github_pull_commits.json') as Record<string, Record<string, Json[]>>;
  const pullReviews = readJson(dir, 'github_pull_reviews.json') as Record<string, Record<string, Json[]>>;
  const runs = readJson(dir, 'github_runs.json') as Record<string, Json[]>;
  const issues = readJson(dir, 'github_issues.json') as Record<string, Json[]>;
  const deployments = readJson(dir, 'github_deployments.json') as Record<string, Json[]>;
  const statuses = readJson(dir, 'github_deployment_statuses.json') as Record<string, Record<string, Json[]>>;
  const out = new Map<string, FakeRepoData>();
  for (const [fullName, repo] of Object.entries(repos)) {
    out.set(fullName, {
      repo,
      pulls: pulls[fullName] ?? [],
      pullCommits: pullCommits[fullName] ?? {},
      pullReviews: pullReviews[fullName] ?? {},
      runs: runs[fullName] ?? [],
      issues: issues[fullName] ?? [],
      deployments: deployments[fullName] ?? [],
      deploymentStatuses: statuses[fullName] ?? {},
    });
  }
  return out;
}

const GRAPHQL_FAULTS = new Set<FakeFault['kind']>(['graphql-timeout', 'resource-limits', 'partial-error']);
const isGraphqlPath = (path: string) => path === '/graphql' || path === '/api/graphql';

const time = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : Number.NaN);

function sortBy<T extends Json>(items: T[], field: string, direction: string): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...items].sort(
    (a, b) => sign * (time(a[field]) - time(b[field])) || sign * (Number(a.id) - Number(b.id)),
  );
}

/**
 * Size of a PR for `GET /pulls/{n}`. The recorded payloads are list-shaped (no additions,
 * deletions, changed_files, commits), so the fake synthesizes them deterministically from the
 * PR's recorded commit SHAs (or its number when none are recorded).
 */
function synthesizePullDetail(pull: Json, commits: Json[]): Json {
  if (typeof pull.additions === 'number') return pull;
  const seeds = commits.length ? commits.map((c) => String(c.sha)) : [String(pull.number).padStart(8, '0')];
  let additions = 0;
  let deletions = 0;
  for (const s of seeds) {
    const h = createHash('sha1').update(s).digest();
    additions += 1 + (h.readUInt16BE(0) % 240);
    deletions += h.readUInt16BE(2) % 90;
  }
  return {
    ...pull,
    additions,
    deletions,
    changed_files: Math.max(1, Math.min(40, Math.round((additions + deletions) / 35))),
    commits: commits.length || 1,
    mergeable: null,
    merged: Boolean(pull.merged_at),
  };
}

/** `GET /pulls/{n}`'s payload of a PR of `data` (also the GraphQL size fields). */
function pullDetailOf(data: FakeRepoData, pull: Json): Json {
  // A generated PR knows its size; a recorded one gets a synthesized size.
  const commits = data.pullCommits[String(pull.number)] ?? [];
  const detail = data.pullDetails?.[String(pull.number)];
  // The commit count follows the served commits (tests add some), as GitHub's does.
  if (detail)
    return {
      ...pull,
      ...detail,
      commits: commits.length || 1,
      mergeable: null,
      merged: Boolean(pull.merged_at),
    };
  return synthesizePullDetail(pull, commits);
}

/** Workflows of a repository, derived from its runs (`GET /actions/workflows`). */
function workflowsOf(data: FakeRepoData): Json[] {
  const byId = new Map<number, Json>();
  for (const run of data.runs) {
    const id = Number(run.workflow_id);
    if (!byId.has(id)) {
      byId.set(id, {
        id,
        node_id: `W_${id}`,
        name: run.name,
        path: run.path,
        state: 'active',
        created_at: run.created_at,
        updated_at: run.updated_at,
        url: run.workflow_url,
      });
    }
  }
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Commits on the default branch in time order, for the compare API. The recordings have no
 * git history, so it is synthesized from what they do know: PR merge commits at `merged_at`,
 * deployment SHAs at `created_at`, workflow run head commits at their timestamp.
 */
function branchHistory(data: FakeRepoData): { sha: string; at: number }[] {
  const seen = new Map<string, number>();
  const add = (sha: unknown, at: number) => {
    if (typeof sha === 'string' && Number.isFinite(at) && !seen.has(sha)) seen.set(sha, at);
  };
  for (const p of data.pulls) if (p.merged_at) add(p.merge_commit_sha, time(p.merged_at));
  for (const d of data.deployments) add(d.sha, time(d.created_at));
  for (const c of Object.values(data.commits ?? {})) add(c.sha, time(c.commit?.committer?.date));
  for (const r of data.runs) {
    const head = r.head_commit as Json | undefined;
    add(r.head_sha, time(head?.timestamp ?? r.created_at));
  }
  return [...seen.entries()].map(([sha, at]) => ({ sha, at })).sort((a, b) => a.at - b.at);
}

/**
 * Compare over a commit graph: where the served `commits` carry `parents` (as GitHub's commit
 * payloads do) for both ends, the commits reachable from `head` and not from `base`, oldest first
 * (GitHub's `base...head`); with a release branch, a tag on it does not contain what `main`
 * merged after the branch was cut. Undefined when the data has no graph for them; `unrelated`
 * when the two share no ancestor (GitHub answers 404 "No common ancestor").
 */
function graphCompare(
  data: FakeRepoData,
  base: string,
  head: string,
): { sha: string; at: number }[] | 'unrelated' | undefined {
  const commits = data.commits ?? {};
  // A graph needs parents somewhere: payloads that list none (`parents: []` everywhere) are
  // placeholders, served as one linear history instead.
  const linked = Object.values(commits).some((c) => Array.isArray(c.parents) && c.parents.length > 0);
  const hasGraph = (sha: string) => Array.isArray(commits[sha]?.parents);
  if (!linked || !hasGraph(base) || !hasGraph(head)) return undefined;
  const reachable = (from: string) => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (seen.has(sha)) continue;
      seen.add(sha);
      for (const parent of (commits[sha]?.parents ?? []) as { sha: string }[]) stack.push(parent.sha);
    }
    return seen;
  };
  const fromBase = reachable(base);
  const fromHead = reachable(head);
  if (![...fromHead].some((sha) => fromBase.has(sha))) return 'unrelated';
  return [...fromHead]
    .filter((sha) => !fromBase.has(sha))
    .map((sha) => ({ sha, at: time(commits[sha]?.commit?.committer?.date) }))
    .sort((a, b) => a.at - b.at);
}

/**
 * The git history of a repository for the GraphQL `Commit.history`, from the same history the
 * compare serves: with a commit graph (`parents`), every commit reachable from `oid` by committer
 * date, newest first; else the synthesized linear history up to `oid`, newest first (`git log`).
 * `atOf` is a commit's time on that history (epoch ms); both are undefined for a commit not on it.
 * Built once per repository and query (the data may change between queries).
 */
export function gitHistoryOf(data: FakeRepoData): GitHistory {
  const commits = data.commits ?? {};
  const linked = Object.values(commits).some((c) => Array.isArray(c.parents) && c.parents.length > 0);
  let linear: { sha: string; at: number }[] | undefined;
  let index: Map<string, number> | undefined;
  const line = () => {
    linear ??= branchHistory(data);
    index ??= new Map(linear.map((c, i) => [c.sha, i]));
    return { linear, index };
  };
  return {
    atOf(oid) {
      if (linked && Array.isArray(commits[oid]?.parents)) return time(commits[oid]?.commit?.committer?.date);
      const { linear, index } = line();
      const i = index.get(oid);
      return i === undefined ? undefined : linear[i]!.at;
    },
    historyOf(oid) {
      if (linked && Array.isArray(commits[oid]?.parents)) {
        const seen = new Set<string>();
        const stack = [oid];
        while (stack.length > 0) {
          const sha = stack.pop()!;
          if (seen.has(sha)) continue;
          seen.add(sha);
          for (const parent of (commits[sha]?.parents ?? []) as { sha: string }[]) stack.push(parent.sha);
        }
        return [...seen]
          .map((sha) => ({ sha, at: time(commits[sha]?.commit?.committer?.date) }))
          .sort((a, b) => b.at - a.at);
      }
      const { linear, index } = line();
      const i = index.get(oid);
      return i === undefined ? undefined : linear.slice(0, i + 1).reverse();
    },
  };
}

/**
 * Starts a local HTTP server speaking the subset of the GitHub REST API the collector uses, with
 * real HTTP semantics: `page`/`per_page` pagination with Link headers, ETag / If-None-Match
 * (a 304 does not consume rate limit), `x-ratelimit-*` headers, and injectable faults (403
 * primary and secondary rate limits, 502). It serves tests/fixtures/recorded by default
 * (panjf2000/ants, facebook/OpenBIC) plus optional seeded generated volume or a whole organisation model.
 *
 * Endpoints: `GET /repos/{o}/{r}`, `/orgs/{org}/repos`, `/repos/{o}/{r}/pulls`, `/pulls/{n}`,
 * `/pulls/{n}/commits`, `/pulls/{n}/reviews`, `/issues/{n}/comments`, `/issues/{n}/timeline`,
 * `/commits/{ref}/check-runs`, `/deployments`, `/deployments/{id}/statuses`,
 * `/actions/workflows`, `/actions/workflows/{id|file}/runs`, `/actions/runs`, `/issues`,
 * `/compare/{base}...{head}`, `/releases`, `/tags`, `/git/ref/tags/{tag}`, `/git/tags/{sha}`,
 * `/commits/{sha}`, `/rate_limit`, and GitHub's Copilot metrics API of a model's organisation and
 * teams (`/orgs/{org}/copilot/metrics`, `/orgs/{org}/team/{slug}/copilot/metrics`; see `copilot`).
 */
export async function startFakeGitHubServer(
  options: FakeGitHubServerOptions = {},
): Promise<FakeGitHubServer> {
  const repos =
    options.fixturesDir === null
      ? new Map<string, FakeRepoData>()
      : loadRecordedGitHubData(options.fixturesDir);
  if (options.generated)
    for (const [name, data] of generateGitHubData(options.generated)) repos.set(name, data);
  if (options.model) for (const [name, data] of githubPayloads(options.model)) repos.set(name, data);
  const copilotData: CopilotMetricsData | null = options.model ? copilotMetricsOfModel(options.model) : null;
  const signingKey = randomBytes(16).toString('hex');
  const signedQueries: string[] = [];
  const downloads: FakeGitHubServer['downloads'] = [];
  let downloadBase = '';
  const signatureOf = (path: string, expires: string) =>
    createHash('sha256').update(`${signingKey}:${path}:${expires}`).digest('hex');
  const faults = [...(options.faults ?? [])].map((f) => ({ ...f, left: f.times ?? 1 }));
  const requests: FakeRequestRecord[] = [];
  const limit = options.rateLimit ?? 5000;
  let remaining = limit;
  const window = options.rateLimitWindowSeconds ?? 3600;
  let resetAt = Math.floor(Date.now() / 1000) + window;
  let baseUrl = '';

  const rateHeaders = () => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(resetAt),
    'x-ratelimit-used': String(limit - remaining),
    'x-ratelimit-resource': 'core',
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...rateHeaders(),
      ...headers,
    });
    res.end(text);
  };

  /** A 200 JSON answer with ETag handling and rate-limit accounting. */
  const ok = (
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    extra: Record<string, string> = {},
  ) => {
    const etag = `"${createHash('sha1')
      .update(JSON.stringify(body))
      .update(extra.link ?? '')
      .digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      send(res, 304, undefined, { etag, ...extra });
      return 304;
    }
    remaining = Math.max(0, remaining - 1);
    send(res, 200, body, { etag, ...extra });
    return 200;
  };

  const paginate = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    items: unknown[],
    wrap?: (page: unknown[]) => unknown,
  ) => {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link = (n: number, rel: string) => {
      const u = new URL(url.pathname + url.search, baseUrl);
      u.searchParams.set('page', String(n));
      u.searchParams.set('per_page', String(perPage));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return ok(req, res, wrap ? wrap(slice) : slice, links.length ? { link: links.join(', ') } : {});
  };

  const notFound = (res: ServerResponse) => {
    send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    return 404;
  };

  /** `GET /orgs/{org}[/team/{team_slug}]/copilot/metrics` (since, until, page, per_page ≤ 28). */
  const answerCopilot = (req: IncomingMessage, res: ServerResponse, url: URL, org: string, team: string) => {
    const docs = 'https://docs.github.com/rest/copilot/copilot-metrics';
    const refusal = options.copilot?.refuseTeams?.[team] ?? options.copilot?.refuse;
    if (refusal === 403) {
      send(res, 403, {
        message: 'Resource not accessible by personal access token',
        documentation_url: docs,
        status: '403',
      });
      return 403;
    }
    if (refusal === 422) {
      send(res, 422, {
        message: 'Copilot Usage Metrics API setting is disabled at the organization or enterprise level.',
        documentation_url: docs,
        status: '422',
      });
      return 422;
    }
    const days =
      copilotData && copilotData.org.toLowerCase() === org.toLowerCase()
        ? copilotData.byTeam.get(team)
        : undefined;
    if (refusal === 404 || !days) return notFound(res);
    const q = url.searchParams;
    const dayOf = (name: string) => {
      const v = q.get(name);
      const t = v === null ? Number.NaN : Date.parse(v);
      return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : null;
    };
    const today = Date.parse((options.copilot?.now ?? new Date()).toISOString().slice(0, 10));
    const earliest = new Date(today - 28 * 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(today - 86_400_000).toISOString().slice(0, 10);
    const since = dayOf('since');
    const until = dayOf('until');
    const list = days.filter(
      (d) =>
        d.date >= earliest &&
        d.date <= yesterday &&
        (since === null || d.date >= since) &&
        (until === null || d.date <= until),
    );
    url.searchParams.set('per_page', String(Math.min(28, Math.max(1, Number(q.get('per_page') ?? 28)))));
    return paginate(req, res, url, list);
  };

  /** `GET /orgs/{org}/copilot/metrics/reports/{kind}-1-day?day=`: `{ download_links, report_day }`. */
  const answerCopilotReport = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    org: string,
    kind: string,
  ) => {
    const docs = 'https://docs.github.com/rest/copilot/copilot-usage-metrics';
    const refusal = options.copilot?.reportsRefuse;
    if (refusal === 403 || refusal === 422) {
      send(res, refusal, {
        message:
          refusal === 403
            ? 'Resource not accessible by personal access token'
            : 'Copilot Usage Metrics API setting is disabled at the organization or enterprise level.',
        documentation_url: docs,
        status: String(refusal),
      });
      return refusal;
    }
    const day = url.searchParams.get('day') ?? '';
    const today = Date.parse((options.copilot?.now ?? new Date()).toISOString().slice(0, 10));
    const yesterday = new Date(today - 86_400_000).toISOString().slice(0, 10);
    const earliest = new Date(today - 365 * 86_400_000).toISOString().slice(0, 10);
    const known = copilotData && copilotData.org.toLowerCase() === org.toLowerCase();
    if (refusal === false || refusal === 404 || !known || !/^\d{4}-\d{2}-\d{2}$/.test(day))
      return notFound(res);
    if (day > yesterday || day < earliest || day < '2025-10-10') return notFound(res);
    const path = `/copilot-reports/${encodeURIComponent(org)}/${kind}/${day}/part-1.ndjson`;
    const expires = String(Math.floor(Date.now() / 1000) + 600);
    const query = `se=${expires}&sp=r&sig=${signatureOf(path, expires)}`;
    signedQueries.push(query);
    return ok(req, res, { download_links: [`${downloadBase}${path}?${query}`], report_day: day });
  };

  const route = (req: IncomingMessage, res: ServerResponse, url: URL): number => {
    const path = url.pathname.replace(/^\/api\/v3/, '');
    const q = url.searchParams;
    if (path === '/rate_limit') {
      send(res, 200, { resources: { core: { limit, remaining, reset: resetAt, used: limit - remaining } } });
      return 200;
    }
    const report = /^\/orgs\/([^/]+)\/copilot\/metrics\/reports\/(organization|users|user-teams)-1-day$/.exec(
      path,
    );
    if (report) return answerCopilotReport(req, res, url, report[1]!, report[2]!);
    const copilot = /^\/orgs\/([^/]+)(?:\/team\/([^/]+))?\/copilot\/metrics$/.exec(path);
    if (copilot) return answerCopilot(req, res, url, copilot[1]!, copilot[2] ?? '');
    const org = /^\/orgs\/([^/]+)\/repos$/.exec(path);
    if (org) {
      const list = [...repos.values()]
        .map((d) => d.repo)
        .filter((r) => String(r.full_name).toLowerCase().startsWith(`${org[1]!.toLowerCase()}/`));
      return paginate(req, res, url, list);
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return notFound(res);
    const data = repos.get(`${m[1]}/${m[2]}`);
    if (!data) return notFound(res);
    const rest = m[3] ?? '';
    if (rest === '') return ok(req, res, data.repo);
    if (rest === '/pulls') {
      const state = q.get('state') ?? 'open';
      const sort = q.get('sort') === 'updated' ? 'updated_at' : 'created_at';
      const list = data.pulls.filter((p) => state === 'all' || p.state === state);
      return paginate(req, res, url, sortBy(list, sort, q.get('direction') ?? 'desc'));
    }
    const pull = /^\/pulls\/(\d+)(\/commits|\/reviews)?$/.exec(rest);
    if (pull) {
      const number = pull[1]!;
      const found = data.pulls.find((p) => String(p.number) === number);
      if (!found) return notFound(res);
      const commits = data.pullCommits[number] ?? [];
      if (pull[2] === '/commits') return paginate(req, res, url, commits);
      if (pull[2] === '/reviews') return paginate(req, res, url, data.pullReviews[number] ?? []);
      return ok(req, res, pullDetailOf(data, found));
    }
    if (rest === '/deployments') {
      const env = q.get('environment');
      const list = data.deployments.filter(
        (d) =>
          (env === null || d.environment === env) &&
          (q.get('sha') === null || d.sha === q.get('sha')) &&
          (q.get('ref') === null || d.ref === q.get('ref')),
      );
      return paginate(req, res, url, sortBy(list, 'created_at', 'desc'));
    }
    const statuses = /^\/deployments\/(\d+)\/statuses$/.exec(rest);
    if (statuses) {
      const list = data.deploymentStatuses[statuses[1]!];
      if (!list && !data.deployments.some((d) => String(d.id) === statuses[1])) return notFound(res);
      return paginate(req, res, url, sortBy(list ?? [], 'created_at', 'desc'));
    }
    if (rest === '/actions/workflows') {
      const workflows = workflowsOf(data);
      return paginate(req, res, url, workflows, (page) => ({
        total_count: workflows.length,
        workflows: page,
      }));
    }
    const runs = /^\/actions(?:\/workflows\/([^/]+))?\/runs$/.exec(rest);
    if (runs) {
      const wf = runs[1] ? decodeURIComponent(runs[1]) : null;
      const workflow =
        wf === null
          ? null
          : workflowsOf(data).find((w) => String(w.id) === wf || String(w.path).endsWith(`/${wf}`));
      if (wf !== null && !workflow) return notFound(res);
      const list = sortBy(
        data.runs.filter(
          (r) =>
            (workflow === null || workflow === undefined || Number(r.workflow_id) === Number(workflow.id)) &&
            (q.get('branch') === null || r.head_branch === q.get('branch')) &&
            (q.get('status') === null || r.status === q.get('status') || r.conclusion === q.get('status')),
        ),
        'created_at',
        'desc',
      );
      return paginate(req, res, url, list, (page) => ({ total_count: list.length, workflow_runs: page }));
    }
    const comments = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (comments) return paginate(req, res, url, data.issueComments?.[comments[1]!] ?? []);
    const timeline = /^\/issues\/(\d+)\/timeline$/.exec(rest);
    if (timeline) {
      const number = timeline[1]!;
      const known =
        data.pulls.some((p) => String(p.number) === number) ||
        data.issues.some((i) => String(i.number) === number);
      if (!known) return notFound(res);
      return paginate(req, res, url, data.issueTimelines?.[number] ?? []);
    }
    const checkRuns = /^\/commits\/([^/]+)\/check-runs$/.exec(rest);
    if (checkRuns) {
      const list = data.checkRuns?.[checkRuns[1]!] ?? [];
      return paginate(req, res, url, list, (page) => ({ total_count: list.length, check_runs: page }));
    }
    if (rest === '/issues') {
      const state = q.get('state') ?? 'open';
      const labels = (q.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean);
      const since = q.get('since') ? Date.parse(q.get('since')!) : null;
      const list = data.issues.filter((i) => {
        const names = ((i.labels as (Json | string)[]) ?? []).map((l) =>
          (typeof l === 'string' ? l : String(l.name)).toLowerCase(),
        );
        return (
          (state === 'all' || i.state === state) &&
          labels.every((l) => names.includes(l)) &&
          (since === null || time(i.updated_at) >= since)
        );
      });
      const sort = q.get('sort') === 'updated' ? 'updated_at' : 'created_at';
      return paginate(req, res, url, sortBy(list, sort, q.get('direction') ?? 'desc'));
    }
    if (rest === '/releases')
      return paginate(req, res, url, sortBy(data.releases ?? [], 'created_at', 'desc'));
    if (rest === '/tags') return paginate(req, res, url, data.tags ?? []);
    const gitRef = /^\/git\/ref\/tags\/(.+)$/.exec(rest);
    if (gitRef) {
      const name = decodeURIComponent(gitRef[1]!);
      const tag = (data.tags ?? []).find((t) => t.name === name);
      if (!tag) return notFound(res);
      const annotated = Object.values(data.gitTags ?? {}).find((g) => g.tag === name);
      const objectSha = annotated ? String(annotated.sha) : String(tag.commit.sha);
      const type = annotated ? 'tag' : 'commit';
      const [o, r] = [m[1], m[2]];
      return ok(req, res, {
        ref: `refs/tags/${name}`,
        node_id: `REF_${createHash('sha1').update(`${o}/${r}@${name}`).digest('hex').slice(0, 16)}`,
        url: `${baseUrl}/repos/${o}/${r}/git/refs/tags/${encodeURIComponent(name)}`,
        object: { type, sha: objectSha, url: `${baseUrl}/repos/${o}/${r}/git/${type}s/${objectSha}` },
      });
    }
    const gitTag = /^\/git\/tags\/([0-9a-f]+)$/.exec(rest);
    if (gitTag) {
      const object = data.gitTags?.[gitTag[1]!];
      return object ? ok(req, res, object) : notFound(res);
    }
    const commit = /^\/commits\/([0-9a-fA-F]{7,40})$/.exec(rest);
    if (commit) {
      const found = data.commits?.[commit[1]!];
      return found ? ok(req, res, found) : notFound(res);
    }
    const compare = /^\/compare\/([0-9a-fA-F]+)\.\.\.([0-9a-fA-F]+)$/.exec(rest);
    if (compare) {
      const graph = graphCompare(data, compare[1]!, compare[2]!);
      if (graph === 'unrelated') return notFound(res);
      const history = branchHistory(data);
      let base = history.findIndex((c) => c.sha === compare[1]);
      let head = history.findIndex((c) => c.sha === compare[2]);
      if (graph) [base, head] = [0, graph.length];
      if (base < 0 || head < 0) return notFound(res);
      const ahead = graph ?? (head > base ? history.slice(base + 1, head + 1) : []);
      const commits = ahead.map((c) => ({
        sha: c.sha,
        commit: { author: { name: 'git', email: null, date: new Date(c.at).toISOString() }, message: '' },
        author: null,
      }));
      const perPage = Math.min(100, Number(q.get('per_page') ?? 250));
      const page = Math.max(1, Number(q.get('page') ?? 1));
      const slice = commits.slice((page - 1) * perPage, page * perPage);
      const more = page * perPage < commits.length;
      const next = new URL(url.pathname + url.search, baseUrl);
      next.searchParams.set('page', String(page + 1));
      return ok(
        req,
        res,
        {
          status: head > base ? 'ahead' : head === base ? 'identical' : 'behind',
          ahead_by: ahead.length,
          behind_by: head < base ? base - head : 0,
          total_commits: ahead.length,
          commits: slice,
        },
        more ? { link: `<${next.toString()}>; rel="next"` } : {},
      );
    }
    return notFound(res);
  };

  const injectFault = (res: ServerResponse, path: string): number | null => {
    const count = requests.length + 1;
    const now = Date.now() / 1000;
    if (now >= resetAt) {
      remaining = limit;
      resetAt = Math.ceil(now) + window;
    }
    // GraphQL has its own budget (points), checked when the query is costed.
    if (remaining === 0 && !path.endsWith('/rate_limit') && !isGraphqlPath(path)) {
      send(res, 403, { message: 'API rate limit exceeded for user ID 1.' });
      return 403;
    }
    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        count >= f.atRequest &&
        (!f.pathIncludes || path.includes(f.pathIncludes)) &&
        (isGraphqlPath(path) || !GRAPHQL_FAULTS.has(f.kind)),
    );
    if (!fault) return null;
    if (fault.kind === 'graphql-timeout') {
      fault.left -= 1;
      send(res, 502, { data: null, errors: [{ message: GRAPHQL_TIMEOUT_MESSAGE }] });
      return 502;
    }
    if (fault.kind === 'resource-limits') {
      fault.left -= 1;
      send(res, 200, {
        data: null,
        errors: [{ type: 'RESOURCE_LIMITS_EXCEEDED', message: 'Resource limits for this query exceeded.' }],
      });
      return 200;
    }
    if (fault.kind === 'partial-error') return null; // applied to the answer (graphqlPartial)
    fault.left -= 1;
    if (fault.kind === 'malformed-body') {
      send(res, 200, { unexpected: 'shape' });
      return 200;
    }
    if (fault.kind === 'server-error') {
      send(res, 502, { message: 'Server Error' });
      return 502;
    }
    if (fault.kind === 'secondary-rate-limit') {
      send(
        res,
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
        { 'retry-after': String(fault.resetAfterSeconds ?? 1) },
      );
      return 403;
    }
    const saved = remaining;
    remaining = 0;
    resetAt = Math.floor(Date.now() / 1000) + (fault.resetAfterSeconds ?? 1);
    send(res, 403, { message: 'API rate limit exceeded for user ID 1.' });
    // The budget comes back at the reset (the client must wait for it).
    remaining = saved;
    return 403;
  };

  const graphql = createGraphqlHandler(
    repos,
    pullDetailOf,
    {
      ...(options.graphqlTimeoutAboveNodes !== undefined
        ? { timeoutAboveNodes: options.graphqlTimeoutAboveNodes }
        : {}),
    },
    gitHistoryOf,
  );
  const graphqlLimit = options.graphqlRateLimit ?? 5000;
  let graphqlBudget = { limit: graphqlLimit, remaining: graphqlLimit, resetAt };
  /** Budgets by credential: the one of the request in hand is loaded into `remaining`, `resetAt`, `graphqlBudget`. */
  const budgets = new Map<string, { remaining: number; resetAt: number; graphql: typeof graphqlBudget }>();
  const auth = createFakeAuth(options.auth);
  /** Authenticates a request and loads its credential's budgets; @returns a save function, or null after a 401. */
  const enter = (req: IncomingMessage, res: ServerResponse, path: string): (() => void) | null => {
    credential = undefined;
    const outcome = auth.authenticate(req, path.replace(/^\/api\/v3/, ''));
    if (!outcome.ok) {
      send(res, outcome.status, {
        message: outcome.message,
        documentation_url: 'https://docs.github.com/rest',
      });
      return null;
    }
    let budget = budgets.get(outcome.credential);
    if (!budget) {
      const reset = Math.floor(Date.now() / 1000) + window;
      budget = {
        remaining: limit,
        resetAt: reset,
        graphql: { limit: graphqlLimit, remaining: graphqlLimit, resetAt: reset },
      };
      budgets.set(outcome.credential, budget);
    }
    const current = budget;
    remaining = current.remaining;
    resetAt = current.resetAt;
    graphqlBudget = current.graphql;
    credential = outcome.credential;
    return () => {
      current.remaining = remaining;
      current.resetAt = resetAt;
    };
  };
  let credential: string | undefined;

  /** `GET /app/installations` and `POST /app/installations/{id}/access_tokens` (JWT only). */
  const answerApp = (req: IncomingMessage, res: ServerResponse, path: string): number | null => {
    const appPath = path.replace(/^\/api\/v3/, '');
    if (!appPath.startsWith('/app')) return null;
    if (!credential?.startsWith('app:')) {
      send(res, 401, {
        message: 'A JSON web token could not be decoded',
        documentation_url: 'https://docs.github.com/rest',
      });
      return 401;
    }
    if (req.method === 'GET' && appPath === '/app/installations') {
      remaining = Math.max(0, remaining - 1);
      send(res, 200, auth.listInstallations());
      return 200;
    }
    const create = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(appPath);
    if (req.method === 'POST' && create) {
      const token = auth.createInstallationToken(Number(create[1]));
      if (!token) return notFound(res);
      remaining = Math.max(0, remaining - 1);
      send(res, 201, token);
      return 201;
    }
    return notFound(res);
  };

  /** `POST /graphql` (and `/api/graphql` beside a GitHub Enterprise `/api/v3`). */
  const answerGraphql = (
    res: ServerResponse,
    text: string,
    path: string,
  ): { status: number; cost: number } => {
    const now = Date.now() / 1000;
    if (now >= graphqlBudget.resetAt) {
      graphqlBudget.remaining = graphqlBudget.limit;
      graphqlBudget.resetAt = Math.ceil(now) + window;
    }
    const partial = faults.find(
      (f) =>
        f.kind === 'partial-error' &&
        f.left > 0 &&
        requests.length + 1 >= f.atRequest &&
        (!f.pathIncludes || path.includes(f.pathIncludes)),
    );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      send(res, 400, { message: 'Problems parsing JSON' });
      return { status: 400, cost: 0 };
    }
    const answer = graphql.answer(body, graphqlBudget);
    if (partial && answer.status === 200) {
      const nodes = (answer.body as { data?: { repository?: { pullRequests?: { nodes?: unknown[] } } } }).data
        ?.repository?.pullRequests?.nodes;
      if (nodes?.length) {
        partial.left -= 1;
        nodes[0] = null;
        const out = answer.body as { errors?: unknown[] };
        out.errors = [
          ...(out.errors ?? []),
          {
            type: 'SERVICE_UNAVAILABLE',
            path: ['repository', 'pullRequests', 'nodes', 0],
            message: 'Something went wrong while executing your query. Please try again.',
          },
        ];
      }
    }
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': String(graphqlBudget.limit),
      'x-ratelimit-remaining': String(graphqlBudget.remaining),
      'x-ratelimit-reset': String(graphqlBudget.resetAt),
      'x-ratelimit-used': String(graphqlBudget.limit - graphqlBudget.remaining),
      'x-ratelimit-resource': 'graphql',
    });
    res.end(JSON.stringify(answer.body));
    return { status: answer.status, cost: answer.cost };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    let status: number;
    credential = undefined;
    const record = (status: number, extra: Partial<FakeRequestRecord> = {}) => {
      const entry: FakeRequestRecord = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search,
        status,
        ...extra,
        ...(credential ? { credential } : {}),
      };
      requests.push(entry);
      options.onRequest?.(entry, requests.length);
    };
    if (url.pathname.replace(/^\/api\/v3/, '').startsWith('/app')) {
      req.resume();
      req.on('end', () => {
        const save = enter(req, res, url.pathname);
        if (!save) return record(401);
        status = answerApp(req, res, url.pathname) ?? notFound(res);
        save();
        record(status);
      });
      return;
    }
    if (req.method === 'POST' && isGraphqlPath(url.pathname)) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let cost = 0;
        const save = enter(req, res, url.pathname);
        if (!save) return record(401);
        try {
          status = injectFault(res, url.pathname) ?? -1;
          if (status === -1)
            ({ status, cost } = answerGraphql(res, Buffer.concat(chunks).toString('utf8'), url.pathname));
        } catch (error) {
          send(res, 500, { message: (error as Error).message });
          status = 500;
        }
        const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(
          (() => {
            try {
              return String(
                (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: unknown }).query ?? '',
              );
            } catch {
              return '';
            }
          })(),
        )?.[1];
        save();
        record(status, { graphqlCost: cost, ...(operation ? { operation } : {}) });
      });
      return;
    }
    const save = enter(req, res, url.pathname);
    if (!save) return record(401);
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, { message: 'Method Not Allowed' });
        status = 405;
      } else status = injectFault(res, url.pathname) ?? route(req, res, url);
    } catch (error) {
      send(res, 500, { message: (error as Error).message });
      status = 500;
    }
    save();
    record(status);
  });
  // The second host: report files behind signed, expiring links (as GitHub's blob storage).
  const files = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authorization = req.headers.authorization !== undefined;
    const answer = (status: number, body: string, type = 'application/xml') => {
      downloads.push({ path: url.pathname, authorization, status });
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const m =
      /^\/copilot-reports\/([^/]+)\/(organization|users|user-teams)\/(\d{4}-\d{2}-\d{2})\/part-1\.ndjson$/.exec(
        url.pathname,
      );
    const expires = url.searchParams.get('se') ?? '';
    if (!m) return answer(404, '<Error><Code>BlobNotFound</Code></Error>');
    if (authorization) return answer(400, '<Error><Code>InvalidAuthenticationInfo</Code></Error>');
    const forced = options.copilot?.reportFilesStatus;
    if (forced !== undefined) return answer(forced, '<Error><Code>AuthenticationFailed</Code></Error>');
    if (
      url.searchParams.get('sig') !== signatureOf(url.pathname, expires) ||
      Number(expires) * 1000 < Date.now()
    )
      return answer(403, '<Error><Code>AuthenticationFailed</Code></Error>');
    const reports = options.model ? copilotUsageReportsOfModel(options.model, m[3]!) : null;
    const rows =
      m[2] === 'organization'
        ? reports?.organization
        : m[2] === 'users'
          ? reports?.users
          : reports?.userTeams;
    answer(200, (rows ?? []).map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson');
  });
  await new Promise<void>((resolve) => files.listen(0, 'localhost', resolve));
  downloadBase = `http://localhost:${(files.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    downloadUrl: downloadBase,
    signedQueries,
    downloads,
    requests,
    repos,
    addFaults: (more) => faults.push(...more.map((f) => ({ ...f, left: f.times ?? 1 }))),
    installationTokensCreated: auth.tokensCreated,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        files.closeAllConnections();
        files.close();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
