import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JiraIssueTypeInfo } from '@stride/ingest';
import type { HttpException, Version3Client } from 'jira.js';
import type { Logger } from '../logger.ts';

/**
 * jira.js, loaded by the first Jira source that sends a request: its modules take ~35 MB of a
 * process's memory (RSS), which a collector syncing GitHub alone does not need to carry.
 */
let jira: typeof import('jira.js') | undefined;
async function loadJira(): Promise<typeof import('jira.js')> {
  jira ??= await import('jira.js');
  return jira;
}

/** A jira.js HTTP error (none can exist before jira.js is loaded). */
function isHttpException(error: unknown): error is HttpException {
  return jira !== undefined && error instanceof jira.HttpException;
}

/** A page of the enhanced JQL search, with the URL it came from (for logs). */
export interface JiraSearchPage {
  issues: unknown[];
  nextPageToken: string | undefined;
  url: string;
}

export interface JiraChangelogPage {
  values: unknown[];
  total: number;
  isLast: boolean;
  url: string;
}

/** The thin Jira Cloud REST v3 client the Jira sync uses (jira.js underneath). */
export interface JiraSource {
  readonly siteUrl: string;
  /** HTTP requests made so far, retries included. */
  readonly requests: number;
  /** `GET /rest/api/3/myself`: the API user's timezone decides how JQL dates are read. */
  getMyself(): Promise<{ accountId?: string; timeZone?: string }>;
  /** `GET /rest/api/3/issuetype`. */
  getIssueTypes(): Promise<JiraIssueTypeInfo[]>;
  /** `GET /rest/api/3/project/{key}`; throws HttpException 404 for an unknown project. */
  getProject(key: string): Promise<{ id: string; key: string; name?: string }>;
  /** `GET /rest/api/3/search/jql` (enhanced search, token pagination). */
  searchIssues(params: { jql: string; nextPageToken?: string; maxResults: number }): Promise<JiraSearchPage>;
  /** `GET /rest/api/3/issue/{id}/changelog` (offset pagination). */
  getChangelog(issueId: string, startAt: number): Promise<JiraChangelogPage>;
}

/** Fields Stride reads from an issue (see packages/ingest transform/jira/map-jira-issue.ts). */
export const JIRA_ISSUE_FIELDS = [
  'summary',
  'issuetype',
  'status',
  'labels',
  'assignee',
  'priority',
  'project',
  'created',
  'updated',
  'resolutiondate',
  'description',
];

const MAX_RETRIES = 5;
const MAX_WAIT_SECONDS = 300;

/** Seconds to wait from a Retry-After header (delta seconds or an HTTP date); undefined when absent. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

function retryAfterOf(error: unknown): number | undefined {
  if (!isHttpException(error)) return undefined;
  if (error.status !== 429 && error.status !== 503) return undefined;
  const headers = (error.cause as { response?: { headers?: Record<string, unknown> } } | undefined)?.response
    ?.headers;
  // Jira Cloud sends Retry-After on 429 (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/);
  // without it, back off a little and retry anyway.
  return parseRetryAfter(headers?.['retry-after']) ?? (error.status === 429 ? 5 : undefined);
}

/** A 200 whose body is not what the endpoint returns (e.g. truncated JSON): retried like a 5xx. */
export class JiraMalformedResponseError extends Error {
  constructor(url: string, what: string) {
    super(`malformed response from ${url}: ${what}`);
    this.name = 'JiraMalformedResponseError';
  }
}

/**
 * Whether a failed request is worth repeating: a 5xx (server or proxy trouble), a dropped or
 * refused connection (no HTTP answer at all), or a malformed 200 body. 4xx answers are final.
 */
export function isTransientJiraError(error: unknown): boolean {
  if (error instanceof JiraMalformedResponseError) return true;
  if (isHttpException(error)) return error.status >= 500;
  const { name, code, response, isAxiosError } = (error ?? {}) as {
    name?: string;
    code?: string;
    response?: unknown;
    isAxiosError?: boolean;
  };
  if (name === 'AbortError' || code === 'ERR_CANCELED') return false;
  // axios errors without a response: ECONNRESET, ECONNREFUSED, ETIMEDOUT, socket hang up...
  return isAxiosError === true && response === undefined;
}

/**
 * One gate per Jira credential (site + user): a rate-limit answer to any request holds every
 * request with that credential, from every source object, until its Retry-After has passed.
 */
const gates = new Map<string, { until: number }>();

function gateFor(host: string, email: string, apiToken: string): { until: number } {
  const key = createHash('sha256').update(`${host}\n${email}\n${apiToken}`).digest('hex');
  let gate = gates.get(key);
  if (!gate) {
    gate = { until: 0 };
    gates.set(key, gate);
  }
  return gate;
}

/**
 * Creates the Jira source for `host` (https://<site>.atlassian.net or a local server speaking REST v3)
 * with basic auth (email + API token). A 429 (and 503 with Retry-After) closes the credential's
 * gate for the Retry-After the server gave: every request waits, then it is retried. 5xx answers,
 * dropped connections and malformed bodies are retried with exponential backoff and jitter. Up to
 * 5 retries; then the jira.js HttpException (or network error) is thrown. Credentials never reach
 * the logger: only URLs are logged.
 * @param options.waitUnitMs unit of every wait in ms (default 1000: seconds); tests shrink it.
 */
export function createJiraSource(options: {
  host: string;
  email: string;
  apiToken: string;
  logger: Logger;
  signal?: AbortSignal | undefined;
  waitUnitMs?: number | undefined;
}): JiraSource {
  let made: Promise<Version3Client> | undefined;
  const jiraClient = () =>
    (made ??= loadJira().then(
      ({ Version3Client: Client }) =>
        new Client({
          host: options.host,
          authentication: { basic: { email: options.email, apiToken: options.apiToken } },
        }),
    ));
  const siteUrl = options.host.replace(/\/+$/, '');
  const unit = options.waitUnitMs ?? 1000;
  const gate = gateFor(siteUrl, options.email, options.apiToken);
  let requests = 0;

  const call = async <T>(url: string, run: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt += 1) {
      options.signal?.throwIfAborted();
      while (gate.until > Date.now()) {
        await sleep(gate.until - Date.now(), undefined, { signal: options.signal });
      }
      requests += 1;
      try {
        return await run();
      } catch (error) {
        if (attempt >= MAX_RETRIES) throw error;
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== undefined) {
          const seconds = Math.min(retryAfter, MAX_WAIT_SECONDS);
          gate.until = Math.max(gate.until, Date.now() + seconds * unit);
          options.logger.warn(
            { url, status: (error as HttpException).status, retryAfter: seconds },
            'jira rate limited: every request waits for its Retry-After',
          );
          continue;
        }
        if (!isTransientJiraError(error)) throw error;
        // 1, 2, 4, 8, 16 units, each between half and one and a half of it (jitter).
        const backoff = unit * 2 ** attempt * (0.5 + Math.random());
        options.logger.warn(
          {
            url,
            status: (error as { status?: number }).status,
            code: (error as { code?: string }).code,
            attempt: attempt + 1,
            waitMs: Math.round(backoff),
          },
          'jira request failed, retrying',
        );
        await sleep(backoff, undefined, { signal: options.signal });
      }
    }
  };
  const urlOf = (path: string, params: Record<string, string | number | undefined> = {}) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
    const text = query.toString();
    return `${siteUrl}${path}${text ? `?${text}` : ''}`;
  };

  return {
    siteUrl,
    get requests() {
      return requests;
    },
    getMyself: () =>
      call(urlOf('/rest/api/3/myself'), async () => (await jiraClient()).myself.getCurrentUser()).then(
        (user) => ({
          accountId: user.accountId,
          timeZone: user.timeZone,
        }),
      ),
    getIssueTypes: () =>
      call(urlOf('/rest/api/3/issuetype'), async () =>
        (await jiraClient()).issueTypes.getIssueAllTypes(),
      ).then((types) =>
        types
          .filter((t) => typeof t.id === 'string')
          .map((t) => ({
            id: t.id!,
            name: t.name,
            // Sent by Jira Cloud on localised sites, missing from jira.js's model.
            untranslatedName: (t as { untranslatedName?: string }).untranslatedName,
          })),
      ),
    getProject: (key) =>
      call(urlOf(`/rest/api/3/project/${encodeURIComponent(key)}`), async () =>
        (await jiraClient()).projects.getProject(key),
      ).then((p) => ({ id: String(p.id), key: p.key ?? key, name: p.name })),
    searchIssues: async ({ jql, nextPageToken, maxResults }) => {
      const url = urlOf('/rest/api/3/search/jql', { jql, nextPageToken, maxResults });
      const page = await call(url, async () => {
        const answer = await (await jiraClient()).issueSearch.searchForIssuesUsingJqlEnhancedSearch({
          jql,
          nextPageToken,
          maxResults,
          fields: JIRA_ISSUE_FIELDS,
          expand: 'changelog',
        });
        if (!answer || !Array.isArray(answer.issues)) {
          throw new JiraMalformedResponseError(url, 'no issues array in the search result');
        }
        return answer;
      });
      return { issues: page.issues as unknown[], nextPageToken: page.nextPageToken || undefined, url };
    },
    getChangelog: async (issueId, startAt) => {
      const url = urlOf(`/rest/api/3/issue/${encodeURIComponent(issueId)}/changelog`, { startAt });
      const page = await call(url, async () =>
        (await jiraClient()).issues.getChangeLogs({ issueIdOrKey: issueId, startAt, maxResults: 100 }),
      );
      const values = Array.isArray(page?.values) ? (page.values as unknown[]) : [];
      const total = typeof page?.total === 'number' ? page.total : startAt + values.length;
      return { values, total, isLast: page?.isLast ?? startAt + values.length >= total, url };
    },
  };
}
