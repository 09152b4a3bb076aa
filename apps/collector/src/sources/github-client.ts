import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { Logger } from '../logger.ts';
import { type GitHubCredential, tokenCredential } from './github-credentials.ts';

const StrideOctokit = Octokit.plugin(throttling, retry);

/**
 * Octokit's throttling spaces writes and GraphQL queries of a process one second apart
 * (GitHub's advice against secondary limits); the spacing is one wait unit, so tests and benches
 * against the local fake, which shrink the unit, are not bound by it. One group per unit, shared
 * by every client of the process as Octokit's own is.
 */
const writeGroups = new Map<number, Bottleneck.Group>();
function writeGroupFor(unit: number): Bottleneck.Group {
  let group = writeGroups.get(unit);
  if (!group) {
    group = new Bottleneck.Group({
      id: `stride-write-${unit}`,
      maxConcurrent: 1,
      minTime: unit,
      timeout: 120_000,
    });
    writeGroups.set(unit, group);
  }
  return group;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rate-limit gates by credential (its budget name, never the secret); see countingFetch. */
const gates = new Map<string, { until: number }>();

function gateFor(key: string): { until: number } {
  let gate = gates.get(key);
  if (!gate) {
    gate = { until: 0 };
    gates.set(key, gate);
  }
  return gate;
}

/**
 * A rate-limit budget shared by every collector process (PostgreSQL): a request takes one unit of
 * its credential's `core` (REST) or `graphql` budget before it is sent (waiting for the reset
 * when nothing is left), and each answer's `x-ratelimit-*` headers record what GitHub says is left.
 */
export interface SharedRateBudget {
  take(credential: string, resource: 'core' | 'graphql', signal?: AbortSignal): Promise<void>;
  record(credential: string, resource: 'core' | 'graphql', remaining: number, resetAt: Date): Promise<void>;
}

export interface GitHubClientOptions {
  /** GITHUB_API_URL: api.github.com, GitHub Enterprise (`https://host/api/v3`) or a local server. */
  baseUrl: string;
  /** A personal access token (or use `credential`). */
  token?: string | undefined;
  /** A token or GitHub App installation credential (its token asked for each request). */
  credential?: GitHubCredential | undefined;
  /** Shared per-credential budgets (GITHUB_SHARED_RATE_BUDGET=on); absent: this process counts alone. */
  budget?: SharedRateBudget | undefined;
  /** Request counts of the clients this one is a scope of (see `forScope`): they add up there too. */
  parentStats?: readonly GitHubRequestStats[];
  logger: Logger;
  signal?: AbortSignal | undefined;
  /** Unit of the retry/throttle waits in ms (default 1000: waits are in seconds). Tests shrink it. */
  waitUnitMs?: number;
  /** Retries of a 5xx / network failure (default 4, with quadratic backoff). */
  retries?: number;
  /** Retries after a primary or secondary rate limit (default 5). */
  rateLimitRetries?: number;
}

/** Request accounting of one client, printed by the run log and stored in sync_runs. */
export interface GitHubRequestStats {
  /** Every HTTP request (REST and GraphQL, retries included). */
  requests: number;
  notModified: number;
  /** REST (`core`) budget left and its reset. */
  rateLimitRemaining: number | null;
  rateLimitResetAt: Date | null;
  /** GraphQL queries sent (retries included) and the points they cost (`rateLimit.cost`). */
  graphqlQueries: number;
  graphqlPoints: number;
  /** GraphQL points left (its own budget at GitHub). */
  graphqlRemaining: number | null;
}

/** `rateLimit { cost remaining resetAt }` of a GraphQL answer. */
export interface GraphqlRateLimit {
  cost: number;
  remaining: number;
  resetAt: string;
}

/** The GraphQL API's URL beside a REST base URL: `/graphql`, or `/api/graphql` beside GitHub Enterprise's `/api/v3`. */
export function graphqlUrlOf(baseUrl: string): string {
  const base = baseUrl.replace(/\/$/, '');
  return /\/api\/v3$/.test(base) ? base.replace(/\/api\/v3$/, '/api/graphql') : `${base}/graphql`;
}

export type GitHubPage<T> =
  | { notModified: true; url: string }
  | {
      notModified: false;
      url: string;
      data: T;
      etag: string | null;
      /** Whether the Link header names a next page. */
      hasNext: boolean;
      /** The last page number from the Link header, when given. */
      lastPage: number | null;
    };

function parseLink(link: string | undefined): { hasNext: boolean; lastPage: number | null } {
  if (!link) return { hasNext: false, lastPage: null };
  const hasNext = /rel="next"/.test(link);
  const last = /<([^>]+)>;\s*rel="last"/.exec(link)?.[1];
  const page = last ? Number(new URL(last).searchParams.get('page')) : Number.NaN;
  return { hasNext, lastPage: Number.isFinite(page) && page > 0 ? page : null };
}

/**
 * Thin GitHub REST client: @octokit/rest with the throttling plugin (waits for the primary rate
 * limit reset and a secondary limit's `retry-after`, never hammers; and once an answer says the
 * budget is used up or a limit was hit, every request with the same token waits for the reset
 * or retry-after: one gate per credential) and the retry plugin (5xx
 * and network errors, quadratic backoff). Adds conditional requests (`If-None-Match` with a
 * stored ETag; a 304 costs no rate limit) and counts every HTTP request, 304 and the rate limit
 * left, at the fetch level so retries are counted too. Never logs the token.
 */
/**
 * A 2xx JSON answer whose body does not parse (cut off by a dropped connection or a proxy) is
 * turned into a 502, so the retry plugin fetches it again like any 5xx; Octokit would otherwise
 * hand the broken text on as data and a page would read as empty. Other answers pass unchanged.
 */
async function checkedJsonBody(response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if (response.status < 200 || response.status >= 300 || !type.includes('json')) return response;
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  let checked: Response;
  try {
    JSON.parse(text);
    checked = new Response(text, { status: response.status, statusText: response.statusText, headers });
  } catch {
    checked = new Response(JSON.stringify({ message: 'malformed JSON body (truncated answer)' }), {
      status: 502,
      statusText: 'Bad Gateway',
      headers,
    });
  }
  Object.defineProperty(checked, 'url', { value: response.url });
  return checked;
}

export class GitHubClient {
  readonly stats: GitHubRequestStats = {
    requests: 0,
    notModified: 0,
    rateLimitRemaining: null,
    rateLimitResetAt: null,
    graphqlQueries: 0,
    graphqlPoints: 0,
    graphqlRemaining: null,
  };
  readonly octokit: InstanceType<typeof StrideOctokit>;
  /** The GraphQL endpoint (for raw payload URLs and logs). */
  readonly graphqlUrl: string;
  private readonly signal: AbortSignal | undefined;
  private readonly graphqlGate: { until: number };
  private readonly logger: Logger;

  /** The budget name of the client's credential (a digest or an installation id, never the secret). */
  readonly credentialId: string;
  private readonly options: GitHubClientOptions;
  /** This client's counts and its parents' (see `forScope`). */
  private readonly allStats: GitHubRequestStats[];

  constructor(options: GitHubClientOptions) {
    const { logger } = options;
    this.options = options;
    const unit = options.waitUnitMs ?? 1000;
    const rateLimitRetries = options.rateLimitRetries ?? 5;
    this.signal = options.signal;
    const all = [this.stats, ...(options.parentStats ?? [])];
    this.allStats = all;
    const credential = options.credential ?? tokenCredential(options.baseUrl, options.token ?? '');
    this.credentialId = credential.id;
    const credentialId = credential.id;
    const budget = options.budget;
    // One gate per credential: once an answer says the budget is used up (remaining 0) or a
    // rate limit hit (403/429 with retry-after), every request with this credential, from any
    // client and any concurrent task, waits until the reset / retry-after has passed.
    const restGate = gateFor(`${options.baseUrl.replace(/\/$/, '')}\n${credentialId}`);
    // GraphQL has its own budget (points) at GitHub: its answers hold only GraphQL requests.
    const graphqlGate = gateFor(`${options.baseUrl.replace(/\/$/, '')}\n${credentialId}#graphql`);
    this.graphqlGate = graphqlGate;
    this.graphqlUrl = graphqlUrlOf(options.baseUrl);
    this.logger = logger;
    const countingFetch: typeof fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const isGraphql = /\/graphql$/.test(new URL(url).pathname);
      const gate = isGraphql ? graphqlGate : restGate;
      if (gate.until > Date.now()) {
        logger.warn(
          { waitMs: gate.until - Date.now() },
          'GitHub rate limit used up or hit: holding the request until the reset / retry-after',
        );
        while (gate.until > Date.now()) await sleep(gate.until - Date.now());
      }
      const resource = isGraphql ? 'graphql' : 'core';
      if (budget) await budget.take(credentialId, resource, options.signal);
      let sent = init;
      if (options.credential) {
        // The credential's current token (an installation's is refreshed before it expires).
        const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
        headers.set('authorization', `token ${await options.credential.token()}`);
        sent = { ...init, headers };
      }
      for (const s of all) {
        s.requests += 1;
        if (isGraphql) s.graphqlQueries += 1;
      }
      const response = await fetch(input, sent);
      const now = Date.now();
      const remaining = response.headers.get('x-ratelimit-remaining');
      const reset = response.headers.get('x-ratelimit-reset');
      const retryAfter = response.headers.get('retry-after');
      for (const s of all) {
        if (response.status === 304) s.notModified += 1;
        if (isGraphql) {
          if (remaining !== null) s.graphqlRemaining = Number(remaining);
        } else {
          if (remaining !== null) s.rateLimitRemaining = Number(remaining);
          if (reset !== null) s.rateLimitResetAt = new Date(Number(reset) * 1000);
        }
      }
      if (budget && remaining !== null && reset !== null && Number.isFinite(Number(reset))) {
        await budget.record(credentialId, resource, Number(remaining), new Date(Number(reset) * 1000));
      }
      const limited = response.status === 403 || response.status === 429;
      let holdSeconds: number | undefined;
      if (limited && retryAfter !== null && Number.isFinite(Number(retryAfter))) {
        holdSeconds = Number(retryAfter);
      } else if (remaining === '0' && reset !== null && (limited || response.status < 400)) {
        holdSeconds = Math.max(0, Math.ceil((Number(reset) * 1000 - now) / 1000)) + 1;
      } else if (response.status === 429) {
        holdSeconds = 60;
      }
      if (holdSeconds !== undefined) gate.until = Math.max(gate.until, now + holdSeconds * unit);
      return checkedJsonBody(response);
    };
    this.octokit = new StrideOctokit({
      baseUrl: options.baseUrl.replace(/\/$/, ''),
      ...(options.token && !options.credential ? { auth: options.token } : {}),
      userAgent: 'stride-collector',
      request: { fetch: countingFetch, ...(options.signal ? { signal: options.signal } : {}) },
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => logger.warn({ octokit: true }, message),
        // Octokit's request log reports every non-2xx as an error; a 304 is our conditional
        // request working, and the sync logs real failures with their context.
        error: (message: string) => {
          if (!/ - 304 /.test(message)) logger.warn({ octokit: true }, message);
        },
      },
      retry: {
        retries: options.retries ?? 4,
        retryAfterBaseValue: unit,
        doNotRetry: [304, 400, 401, 403, 404, 410, 422, 451],
      },
      throttle: {
        retryAfterBaseValue: unit,
        write: writeGroupFor(unit),
        fallbackSecondaryRateRetryAfter: 60,
        onRateLimit: (retryAfter, request, _octokit, retryCount) => {
          logger.warn(
            { url: request.url, retryAfterSeconds: retryAfter, retryCount },
            'GitHub primary rate limit reached: waiting for the reset',
          );
          return retryCount < rateLimitRetries;
        },
        onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
          logger.warn(
            { url: request.url, retryAfterSeconds: retryAfter, retryCount },
            'GitHub secondary rate limit: waiting retry-after',
          );
          return retryCount < rateLimitRetries;
        },
      },
    });
  }

  /**
   * One GraphQL query (`POST /graphql`, or `/api/graphql` for GitHub Enterprise) through the same
   * Octokit, so throttling (primary and secondary limits), the per-credential gate and request
   * counting apply. `rateLimit { cost remaining resetAt }` in the answer is read and obeyed: when
   * fewer points are left than two queries like this one cost, every GraphQL query with this
   * credential waits for `resetAt`. `retries` (default 0): 5xx retries by the retry plugin; the
   * caller usually shrinks the query instead (a 502 there is mostly a timeout).
   * Source: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
   * @throws GraphqlResponseError (`errors[]`, partial `data`) or RequestError (HTTP status).
   */
  async graphql<T extends { rateLimit?: GraphqlRateLimit | null }>(
    query: string,
    variables: Record<string, unknown>,
    options: { retries?: number } = {},
  ): Promise<T> {
    const data = await this.octokit.graphql<T>(query, {
      ...variables,
      request: { retries: options.retries ?? 0, ...(this.signal ? { signal: this.signal } : {}) },
    });
    this.readRateLimit(data.rateLimit);
    return data;
  }

  /** Obeys a GraphQL answer's `rateLimit` (see `graphql`). */
  readRateLimit(rateLimit: GraphqlRateLimit | null | undefined): void {
    if (!rateLimit) return;
    for (const s of this.allStats) {
      s.graphqlPoints += rateLimit.cost;
      s.graphqlRemaining = rateLimit.remaining;
    }
    if (rateLimit.remaining < 2 * Math.max(1, rateLimit.cost)) {
      const resetAt = Date.parse(rateLimit.resetAt);
      if (Number.isFinite(resetAt) && resetAt > this.graphqlGate.until) {
        this.graphqlGate.until = resetAt + 1000;
        this.logger.warn(
          { remaining: rateLimit.remaining, resetAt: rateLimit.resetAt },
          'GitHub GraphQL points nearly used up: holding GraphQL queries until the reset',
        );
      }
    }
  }

  /**
   * A client for one scope (a repository synced beside others): same credential, gates and
   * shared budget, its own request counts, which add up in this client's counts too.
   */
  forScope(): GitHubClient {
    return new GitHubClient({ ...this.options, parentStats: this.allStats });
  }

  /**
   * GET one page. `etag` makes it conditional: an unchanged resource answers 304
   * (`notModified: true`). Non-2xx other than 304 throw the Octokit RequestError (after retries).
   * @param route e.g. `GET /repos/{owner}/{repo}/pulls`
   */
  async get<T = unknown>(
    route: string,
    params: Record<string, unknown>,
    etag?: string | null,
  ): Promise<GitHubPage<T>> {
    const url = this.octokit.request.endpoint(route, params).url;
    try {
      const response = await this.octokit.request(route, {
        ...params,
        headers: etag ? { 'if-none-match': etag } : {},
        ...(this.signal ? { request: { signal: this.signal } } : {}),
      });
      const headers = response.headers as Record<string, string | undefined>;
      return {
        notModified: false,
        url,
        data: response.data as T,
        etag: headers.etag ?? null,
        ...parseLink(headers.link),
      };
    } catch (error) {
      if ((error as { status?: number }).status === 304) return { notModified: true, url };
      throw error;
    }
  }
}
