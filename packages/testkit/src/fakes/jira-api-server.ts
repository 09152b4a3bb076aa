// A local HTTP server speaking the part of Jira Cloud REST v3 that syncJira uses, over the recorded
// issues of tests/fixtures/recorded or a generated organisation model (adapters/jira-rest.ts).
// Used by tests, the e2e suite and the `npm start` demo: the real collector talks to it exactly as to https://<site>.atlassian.net.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseISO } from 'date-fns';
import { jiraPayloads } from '../adapters/jira-rest.ts';
import type { OrgModel } from '../model/org-model-types.ts';
import { readJqlDate } from './jql-date.ts';

const DEFAULT_FIXTURES_DIR = fileURLToPath(new URL('../../../../tests/fixtures/recorded', import.meta.url));

export interface FakeJiraFaults {
  /** 1-based numbers of the `search/jql` requests to answer 429 with Retry-After (e.g. [2]). */
  rateLimitSearchRequests?: number[];
  /** Retry-After of those 429s, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** 1-based numbers of the `search/jql` requests answered 200 with a body that is not a search result. */
  brokenSearchRequests?: number[];
  /** Keys of issues served malformed (`fields.created` removed). */
  malformedIssueKeys?: string[];
}

export interface FakeJiraRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeJiraServerOptions {
  fixturesDir?: string;
  /** Serve this organisation model's Jira site (its REST adapter) instead of the recorded fixtures. */
  model?: OrgModel;
  /** Most issues per search page, whatever maxResults asks (default 10, so fixtures span pages). */
  pageSize?: number;
  /** Most changelog entries embedded by search with expand=changelog (default 20, like Jira's cap). */
  embeddedChangelogSize?: number;
  /** The API user's timezone, answered by /myself; JQL dates are read in it (default Asia/Shanghai). */
  timeZone?: string;
  faults?: FakeJiraFaults;
}

export interface FakeJiraServer {
  url: string;
  close(): Promise<void>;
  /** Every request served, in order, with its answer's status. */
  requests: FakeJiraRequest[];
}

type JsonObject = Record<string, unknown>;
interface Issue {
  id: string;
  key: string;
  fields: JsonObject & { project: { key: string }; updated: string };
  changelog?: { histories?: JsonObject[] };
  [k: string]: unknown;
}

/**
 * Starts the fake Jira Cloud on 127.0.0.1 (random port). Endpoints: GET /rest/api/3/myself,
 * /issuetype, /status, /project/{key}, /search/jql (JQL: `project = X` or `project in (..)`,
 * `updated|created >=|>|<=|< "yyyy/MM/dd HH:mm"`, `ORDER BY updated|created|key ASC|DESC`;
 * `fields`, `expand=changelog`, `maxResults`, opaque `nextPageToken`), /issue/{idOrKey} and
 * /issue/{idOrKey}/changelog (startAt/maxResults). The removed GET /rest/api/3/search answers 410
 * as Jira Cloud does. Every request needs basic auth (any credentials), else 401.
 */
export async function startFakeJiraServer(options: FakeJiraServerOptions = {}): Promise<FakeJiraServer> {
  const dir = options.fixturesDir ?? DEFAULT_FIXTURES_DIR;
  const read = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
  const generated = options.model ? jiraPayloads(options.model) : undefined;
  const issues = (generated?.issues as Issue[] | undefined) ?? read<Issue[]>('jira_issues.json');
  const issueTypes = generated?.issueTypes ?? read<JsonObject[]>('jira_issue_types.json');
  const projects = generated?.projects ?? read<JsonObject[]>('jira_projects.json');
  const statuses = generated?.statuses ?? read<JsonObject[]>('jira_statuses.json');
  const extraChangelogs = generated?.changelogs ?? read<Record<string, JsonObject[]>>('jira_changelogs.json');
  const pageSize = options.pageSize ?? 10;
  const embeddedSize = options.embeddedChangelogSize ?? 20;
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const faults = options.faults ?? {};
  const malformed = new Set(faults.malformedIssueKeys ?? []);
  const requests: FakeJiraRequest[] = [];
  let searchCount = 0;

  const historiesOf = (issue: Issue): JsonObject[] => [
    ...(issue.changelog?.histories ?? []),
    ...(extraChangelogs[issue.id] ?? []),
  ];
  const findIssue = (idOrKey: string) => issues.find((i) => i.id === idOrKey || i.key === idOrKey);

  interface Reply {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  }
  const ok = (body: unknown): Reply => ({ status: 200, body });
  const jiraError = (status: number, message: string, headers?: Record<string, string>): Reply => ({
    status,
    body: { errorMessages: [message], errors: {} },
    headers,
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    let reply: Reply;
    try {
      reply = route(req, url);
    } catch (error) {
      reply = jiraError(500, (error as Error).message);
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, status: reply.status });
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', ...reply.headers });
    res.end(JSON.stringify(reply.body));
  });

  function route(req: IncomingMessage, url: URL): Reply {
    if (!/^Basic\s+\S+/i.test(req.headers.authorization ?? '')) {
      return jiraError(401, 'Client must be authenticated to access this resource.');
    }
    if (req.method !== 'GET') return jiraError(405, `${req.method} is not supported by this fake`);
    const path = url.pathname.replace(/\/+$/, '');
    const base = `http://${req.headers.host}`;

    if (path === '/rest/api/3/myself') {
      return ok({
        self: `${base}/rest/api/3/user?accountId=fake-collector`,
        accountId: 'fake-collector',
        accountType: 'atlassian',
        emailAddress: 'collector@example.com',
        displayName: 'Stride collector',
        active: true,
        timeZone,
        locale: 'en_US',
      });
    }
    if (path === '/rest/api/3/issuetype') return ok(issueTypes);
    if (path === '/rest/api/3/status') return ok(statuses);
    const projectMatch = /^\/rest\/api\/3\/project\/([^/]+)$/.exec(path);
    if (projectMatch) {
      const key = decodeURIComponent(projectMatch[1]!);
      const project = projects.find((p) => p.key === key || p.id === key);
      return project ? ok(project) : jiraError(404, `No project could be found with key '${key}'.`);
    }
    if (path === '/rest/api/3/search' || path === '/rest/api/2/search') {
      return jiraError(
        410,
        'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.',
      );
    }
    if (path === '/rest/api/3/search/jql') return search(url);
    const changelogMatch = /^\/rest\/api\/3\/issue\/([^/]+)\/changelog$/.exec(path);
    if (changelogMatch) {
      const issue = findIssue(decodeURIComponent(changelogMatch[1]!));
      if (!issue) return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
      const all = historiesOf(issue);
      const startAt = Number(url.searchParams.get('startAt') ?? 0);
      const maxResults = Math.min(Number(url.searchParams.get('maxResults') ?? 100), 100);
      const values = all.slice(startAt, startAt + maxResults);
      return ok({
        self: `${base}${url.pathname}${url.search}`,
        maxResults,
        startAt,
        total: all.length,
        isLast: startAt + values.length >= all.length,
        values,
      });
    }
    const issueMatch = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(path);
    if (issueMatch) {
      const issue = findIssue(decodeURIComponent(issueMatch[1]!));
      if (!issue) return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
      return ok(shapeIssue(issue, undefined, url.searchParams.get('expand') ?? ''));
    }
    return jiraError(404, `no fake for ${path}`);
  }

  function search(url: URL): Reply {
    searchCount += 1;
    if (faults.rateLimitSearchRequests?.includes(searchCount)) {
      return jiraError(429, 'Rate limit exceeded.', { 'retry-after': String(faults.retryAfterSeconds ?? 1) });
    }
    if (faults.brokenSearchRequests?.includes(searchCount)) {
      return ok({ issues: 'temporarily unavailable', isLast: false });
    }
    const jql = url.searchParams.get('jql') ?? '';
    let filter: ReturnType<typeof compileJql>;
    try {
      filter = compileJql(jql, timeZone);
    } catch (error) {
      return jiraError(400, (error as Error).message);
    }
    const matching = issues.filter(filter.test).sort(filter.compare);
    let offset = 0;
    const token = url.searchParams.get('nextPageToken');
    if (token) {
      try {
        const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
          jql: string;
          offset: number;
        };
        if (decoded.jql !== jql) throw new Error('token of another query');
        offset = decoded.offset;
      } catch {
        return jiraError(400, 'The provided next page token is invalid or expired.');
      }
    }
    const maxResults = Math.min(Number(url.searchParams.get('maxResults') ?? 50) || 50, pageSize);
    const page = matching.slice(offset, offset + maxResults);
    const next = offset + page.length;
    const fields = url.searchParams.get('fields') ?? 'id';
    const expand = url.searchParams.get('expand') ?? '';
    return ok({
      issues: page.map((issue) => shapeIssue(issue, fields, expand)),
      ...(next < matching.length
        ? { nextPageToken: Buffer.from(JSON.stringify({ jql, offset: next })).toString('base64url') }
        : {}),
      isLast: next >= matching.length,
    });
  }

  function shapeIssue(issue: Issue, fieldsParam: string | undefined, expand: string): JsonObject {
    const wanted = fieldsParam?.split(',').map((f) => f.trim()) ?? ['*all'];
    const all = wanted.includes('*all') || wanted.includes('*navigable');
    let fields: JsonObject = {};
    if (all) fields = { ...issue.fields };
    else for (const f of wanted) if (f in issue.fields) fields[f] = issue.fields[f];
    if (malformed.has(issue.key)) delete fields.created;
    const out: JsonObject = { id: issue.id };
    if (!(wanted.length === 1 && wanted[0] === 'id')) {
      Object.assign(out, { key: issue.key, self: issue.self, expand: issue.expand, fields });
    }
    if (expand.split(',').includes('changelog')) {
      const histories = historiesOf(issue);
      out.changelog = {
        startAt: 0,
        maxResults: Math.min(histories.length, embeddedSize),
        total: histories.length,
        histories: histories.slice(0, embeddedSize),
      };
    }
    return out;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Compiles the JQL subset the collector writes. @throws Error naming the clause it cannot read. */
function compileJql(
  jql: string,
  timeZone: string,
): { test: (issue: Issue) => boolean; compare: (a: Issue, b: Issue) => number } {
  const [where = '', order] = jql.split(/\s+ORDER\s+BY\s+/i);
  const tests: ((issue: Issue) => boolean)[] = [];
  const clauses = where.trim() === '' ? [] : where.split(/\s+AND\s+/i);
  for (const clause of clauses) {
    const text = clause.trim();
    const one = /^project\s*=\s*"?([^"\s]+)"?$/i.exec(text);
    const many = /^project\s+in\s*\(([^)]*)\)$/i.exec(text);
    const m = /^(updated|created)\s*(>=|<=|>|<)\s*"([^"]+)"$/i.exec(text);
    if (one) {
      const key = one[1]!;
      tests.push((i) => i.fields.project.key === key);
    } else if (many) {
      const keys = new Set(many[1]!.split(',').map((k) => k.trim().replace(/^"|"$/g, '')));
      tests.push((i) => keys.has(i.fields.project.key));
    } else if (m) {
      const field = m[1]!.toLowerCase() as 'updated' | 'created';
      const op = m[2]!;
      const bound = readJqlDate(m[3]!, timeZone);
      if (!bound) throw new Error(`Date value '${m[3]}' for field '${field}' is invalid.`);
      const at = bound.getTime();
      tests.push((i) => {
        const t = parseISO(String(i.fields[field])).getTime();
        return op === '>=' ? t >= at : op === '>' ? t > at : op === '<=' ? t <= at : t < at;
      });
    } else {
      throw new Error(`Error in the JQL Query: the fake cannot read '${text}'.`);
    }
  }
  const [orderField = 'key', direction = 'ASC'] = (order ?? 'key ASC').trim().split(/\s+/);
  const sign = direction.toUpperCase() === 'DESC' ? -1 : 1;
  const keyOf = (i: Issue): number | string => {
    const f = orderField.toLowerCase();
    if (f === 'updated' || f === 'created') return parseISO(String(i.fields[f])).getTime();
    return Number(i.id);
  };
  return {
    test: (issue) => tests.every((t) => t(issue)),
    compare: (a, b) => {
      const x = keyOf(a);
      const y = keyOf(b);
      return (x < y ? -1 : x > y ? 1 : Number(a.id) - Number(b.id)) * sign;
    },
  };
}
