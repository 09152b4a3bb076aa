import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { syncTeamsFromConfig, upsertDeployments } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeJiraServer, readJqlDate, startFakeJiraServer } from '@stride/testkit/fakes';
import { parseISO } from 'date-fns';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../config.ts';
import { formatJqlDate } from '../sources/jql-date.ts';
import { runAllSyncs } from './run-all-syncs.ts';
import type { SyncContext } from './sync-context.ts';
import { syncJira } from './sync-jira.ts';

// Figures below are counted from the recorded fixtures here, never copied from a run.
const fixtures = fileURLToPath(new URL('../../../../tests/fixtures/recorded/', import.meta.url));
type FixtureIssue = {
  id: string;
  key: string;
  fields: {
    created: string;
    updated: string;
    resolutiondate: string | null;
    labels: string[];
    issuetype: { id: string };
    project: { key: string };
    summary: string;
  };
  changelog: { histories: { id: string; items: { field: string; fieldId?: string }[] }[] };
};
const issues: FixtureIssue[] = JSON.parse(readFileSync(`${fixtures}jira_issues.json`, 'utf8'));
const issueTypes: { id: string; untranslatedName?: string }[] = JSON.parse(
  readFileSync(`${fixtures}jira_issue_types.json`, 'utf8'),
);
const BUG_TYPE_IDS = new Set(issueTypes.filter((t) => t.untranslatedName === 'Bug').map((t) => t.id));
const INCIDENT_LABEL = 'saas';
const MALFORMED = 'EE-5';
const TIME_ZONE = 'Asia/Shanghai';
const PAGE_SIZE = 7;
const EMBEDDED_CHANGELOG = 20;

const good = issues.filter((i) => i.key !== MALFORMED);
const isIncident = (i: FixtureIssue) => i.fields.labels.some((l) => l.toLowerCase() === INCIDENT_LABEL);
const statusTransitions = (i: FixtureIssue) =>
  i.changelog.histories.flatMap((h) => h.items).filter((item) => (item.fieldId ?? item.field) === 'status')
    .length;

describe('syncJira against a Jira Cloud REST v3 server of recorded issues', () => {
  let t: TestDatabase;
  let jira: FakeJiraServer;
  let ctx: SyncContext;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    jira = await startFakeJiraServer({
      pageSize: PAGE_SIZE,
      embeddedChangelogSize: EMBEDDED_CHANGELOG,
      timeZone: TIME_ZONE,
      faults: { rateLimitSearchRequests: [2], retryAfterSeconds: 1, malformedIssueKeys: [MALFORMED] },
    });
    const config = parseStrideConfig({
      // Bugs by their localised name (缺陷 = Bug), incidents by label.
      jira: {
        projects: ['EE', 'K5', 'NOPE'],
        bugTypes: ['缺陷'],
        incidentTypes: [],
        incidentLabels: ['Saas'],
      },
      teams: [{ slug: 'ee', name: 'EE', jiraProjects: ['EE'], repositories: ['acme/web'] }],
    });
    await syncTeamsFromConfig(t.db, config.teams);
    ctx = {
      db: t.db,
      config,
      env: loadCollectorConfig({
        JIRA_HOST: jira.url,
        JIRA_EMAIL: 'me@example.com',
        JIRA_API_TOKEN: 'secret',
      }),
      logger: pino({ level: 'info' }, { write: (line: string) => logLines.push(line) }),
      since: new Date('2019-01-01T00:00:00Z'),
    };
  });
  afterAll(async () => {
    await jira?.close();
    await t?.destroy();
  });

  it('stores every well-formed issue, classified, with its full status history', async () => {
    // A production deployment of the team's repository 2 hours before the first incident.
    const firstIncident = good
      .filter(isIncident)
      .sort((a, b) => a.fields.created.localeCompare(b.fields.created))[0]!;
    const deployedAt = new Date(parseISO(firstIncident.fields.created).getTime() - 2 * 3600_000);
    const repo = await t.db
      .selectFrom('repositories')
      .select('id')
      .where('full_name', '=', 'acme/web')
      .executeTakeFirstOrThrow();
    const deployments = await upsertDeployments(t.db, [
      {
        repository_id: repo.id,
        source: 'webhook',
        external_id: 'deploy-1',
        environment: 'production',
        is_production: true,
        status: 'success',
        created_at: deployedAt,
        deployed_at: deployedAt,
      },
    ]);

    const reports = await syncJira(ctx);
    const byScope = Object.fromEntries(reports.map((r) => [r.scope, r]));
    expect(byScope.NOPE?.error).toMatch(/404/);
    for (const key of ['EE', 'K5']) {
      const expected = good.filter((i) => i.fields.project.key === key).length;
      expect(byScope[key]).toMatchObject({ itemsUpserted: expected, itemsSkipped: key === 'EE' ? 1 : 0 });
      expect(byScope[key]?.error).toBeUndefined();
    }

    const rows = await t.db.selectFrom('jira_issues').selectAll().execute();
    expect(rows).toHaveLength(good.length);
    const expectClass = (i: FixtureIssue) =>
      isIncident(i) ? 'incident' : BUG_TYPE_IDS.has(i.fields.issuetype.id) ? 'bug' : 'planned';
    for (const issue of good) {
      const row = rows.find((r) => r.external_id === issue.id)!;
      expect(row.key).toBe(issue.key);
      expect(row.classification).toBe(expectClass(issue));
      expect(row.created_at.getTime()).toBe(parseISO(issue.fields.created).getTime());
      expect(row.resolved_at?.getTime() ?? null).toBe(
        issue.fields.resolutiondate ? parseISO(issue.fields.resolutiondate).getTime() : null,
      );
    }
    expect(rows.filter((r) => r.classification === 'bug').length).toBeGreaterThan(0);

    // Issues with more history than the search embeds were completed from /issue/{id}/changelog.
    const long = good.filter((i) => i.changelog.histories.length > EMBEDDED_CHANGELOG);
    expect(long.length).toBeGreaterThan(0);
    const changelogCalls = jira.requests.filter((r) => r.path.endsWith('/changelog')).map((r) => r.path);
    expect(new Set(changelogCalls)).toEqual(new Set(long.map((i) => `/rest/api/3/issue/${i.id}/changelog`)));
    const transitions = await t.db
      .selectFrom('jira_issue_transitions')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(transitions.n)).toBe(good.reduce((sum, i) => sum + statusTransitions(i), 0));

    // Incidents: one row per incident issue, started at created, resolved at the resolution date.
    const incidents = await t.db.selectFrom('incidents').selectAll().where('source', '=', 'jira').execute();
    expect(incidents).toHaveLength(good.filter(isIncident).length);
    const first = incidents.find((i) => i.external_id === firstIncident.id)!;
    expect(first.started_at.getTime()).toBe(parseISO(firstIncident.fields.created).getTime());
    expect(first.jira_project_key).toBe('EE');
    // Attributed (metrics.md) to the last production deployment of the owning team within 7 days.
    const withinWindow = good.filter(isIncident).filter((i) => {
      const started = parseISO(i.fields.created).getTime();
      return started > deployedAt.getTime() && started - deployedAt.getTime() <= 7 * 86400_000;
    });
    const attributed = incidents.filter((i) => i.caused_by_deployment_id === deployments.get('deploy-1'));
    expect(attributed.map((i) => i.external_id).sort()).toEqual(withinWindow.map((i) => i.id).sort());

    // Raw payloads kept; the malformed issue logged with the page URL and skipped.
    const raw = await t.db
      .selectFrom('raw_payloads')
      .select('external_id')
      .where('source', '=', 'jira')
      .execute();
    expect(raw).toHaveLength(good.length);
    const skipLog = logLines.map((l) => JSON.parse(l)).find((l) => l.issue === MALFORMED);
    expect(skipLog.url).toContain('/rest/api/3/search/jql?');
    expect(skipLog.reason).toMatch(/created/);
    expect(logLines.join('\n')).not.toContain('secret');
  });

  it('paginates with nextPageToken, waits out a 429 and never calls the removed /search', async () => {
    const searches = jira.requests.filter((r) => r.path === '/rest/api/3/search/jql');
    const limited = searches.filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    const served = searches.filter((r) => r.status === 200);
    const expectedPages = ['EE', 'K5'].reduce(
      (sum, key) => sum + Math.ceil(issues.filter((i) => i.fields.project.key === key).length / PAGE_SIZE),
      0,
    );
    expect(served).toHaveLength(expectedPages);
    expect(served.filter((r) => r.query.nextPageToken).length).toBe(expectedPages - 2);
    // The retried request is the same request again.
    const retried = searches[searches.indexOf(limited[0]!) + 1]!;
    expect(retried.query).toEqual(limited[0]!.query);
    expect(jira.requests.some((r) => r.path === '/rest/api/3/search')).toBe(false);
  });

  it('saves the newest updated time as cursor and reads it back in the user timezone', async () => {
    const cursors = await t.db.selectFrom('sync_cursors').selectAll().where('source', '=', 'jira').execute();
    for (const key of ['EE', 'K5']) {
      const newest = Math.max(
        ...good.filter((i) => i.fields.project.key === key).map((i) => parseISO(i.fields.updated).getTime()),
      );
      expect(cursors.find((c) => c.scope === key)?.cursor).toBe(new Date(newest).toISOString());
    }

    const before = jira.requests.length;
    const reports = await syncJira(ctx);
    const second = jira.requests.slice(before).filter((r) => r.path === '/rest/api/3/search/jql');
    for (const key of ['EE', 'K5']) {
      const cursor = new Date(cursors.find((c) => c.scope === key)!.cursor!);
      // JQL dates are wall-clock in the user's timezone, minute precision (read back by the
      // fake's own parser, not the collector's).
      const bound = readJqlDate(formatJqlDate(cursor, TIME_ZONE), TIME_ZONE)!;
      const expected = good.filter(
        (i) => i.fields.project.key === key && parseISO(i.fields.updated).getTime() >= bound.getTime(),
      ).length;
      // The inclusive cursor fetches these again, but they are unchanged: nothing is written.
      expect(expected).toBeGreaterThan(0);
      expect(reports.find((r) => r.scope === key)?.itemsUpserted).toBe(0);
      const jql = second.find((r) => r.query.jql?.includes(`"${key}"`))?.query.jql;
      expect(jql).toContain(`updated >= "${formatJqlDate(cursor, TIME_ZONE)}"`);
    }
  });

  it('re-syncing everything changes no counts (idempotent upserts)', async () => {
    const count = async (table: 'jira_issues' | 'jira_issue_transitions' | 'incidents' | 'raw_payloads') =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select(({ fn }) => fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await Promise.all([
      count('jira_issues'),
      count('jira_issue_transitions'),
      count('incidents'),
      count('raw_payloads'),
    ]);
    await t.db.deleteFrom('sync_cursors').execute();
    await syncJira(ctx);
    const after = await Promise.all([
      count('jira_issues'),
      count('jira_issue_transitions'),
      count('incidents'),
      count('raw_payloads'),
    ]);
    expect(after).toEqual(before);
    const runs = await t.db
      .selectFrom('sync_runs')
      .select(['scope', 'status'])
      .where('source', '=', 'jira')
      .execute();
    expect(runs.filter((r) => r.status === 'failed').every((r) => r.scope === 'NOPE')).toBe(true);
  });
});

describe('syncJira when a search page is broken', () => {
  let t: TestDatabase;
  let jira: FakeJiraServer;
  let ctx: SyncContext;

  beforeAll(async () => {
    t = await createTestDatabase();
    // EE's third page answers 200 with a body that is not a search result, on the first try and
    // on each of the client's 5 retries.
    jira = await startFakeJiraServer({
      pageSize: PAGE_SIZE,
      faults: { brokenSearchRequests: [3, 4, 5, 6, 7, 8] },
    });
    ctx = {
      db: t.db,
      config: parseStrideConfig({ jira: { projects: ['EE', 'K5'] } }),
      env: loadCollectorConfig({
        JIRA_HOST: jira.url,
        JIRA_EMAIL: 'me@example.com',
        JIRA_API_TOKEN: 'secret',
      }),
      logger: pino({ level: 'silent' }),
      since: new Date('2019-01-01T00:00:00Z'),
    };
  });
  afterAll(async () => {
    await jira?.close();
    await t?.destroy();
  });

  it('fails that project with the URL, keeps the pages before it, and resumes from their cursor', async () => {
    const ee = issues
      .filter((i) => i.fields.project.key === 'EE')
      .sort((a, b) => parseISO(a.fields.updated).getTime() - parseISO(b.fields.updated).getTime());
    const storedFirst = ee.slice(0, 2 * PAGE_SIZE);

    const first = await syncJira(ctx);
    expect(first.find((r) => r.scope === 'EE')?.error).toMatch(/\/rest\/api\/3\/search\/jql\?/);
    expect(first.find((r) => r.scope === 'K5')?.error).toBeUndefined();
    const eeRows = await t.db
      .selectFrom('jira_issues')
      .select('key')
      .where('project_key', '=', 'EE')
      .execute();
    expect(eeRows.map((r) => r.key).sort()).toEqual(storedFirst.map((i) => i.key).sort());
    const cursor = await t.db
      .selectFrom('sync_cursors')
      .select('cursor')
      .where('scope', '=', 'EE')
      .executeTakeFirstOrThrow();
    const newest = Math.max(...storedFirst.map((i) => parseISO(i.fields.updated).getTime()));
    expect(cursor.cursor).toBe(new Date(newest).toISOString());

    const second = await syncJira(ctx);
    expect(second.every((r) => r.error === undefined)).toBe(true);
    const all = await t.db.selectFrom('jira_issues').select('key').where('project_key', '=', 'EE').execute();
    expect(all).toHaveLength(ee.length);
  });
});

describe('runAllSyncs and Jira', () => {
  let t: TestDatabase;
  let jira: FakeJiraServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    jira = await startFakeJiraServer();
  });
  afterAll(async () => {
    await jira?.close();
    await t?.destroy();
  });

  it('runs syncJira only when the config has jira and JIRA_HOST is set', async () => {
    const config = parseStrideConfig({ jira: { projects: ['K5'] } });
    const base = {
      db: t.db,
      config,
      logger: pino({ level: 'silent' }),
      since: new Date('2019-01-01T00:00:00Z'),
    };
    const without = await runAllSyncs({ ...base, env: loadCollectorConfig({}) });
    expect(without.some((r) => r.source === 'jira')).toBe(false);
    const withJira = await runAllSyncs({
      ...base,
      env: loadCollectorConfig({ JIRA_HOST: jira.url, JIRA_EMAIL: 'me@example.com', JIRA_API_TOKEN: 'x' }),
    });
    expect(withJira.find((r) => r.source === 'jira' && r.scope === 'K5')?.itemsUpserted).toBe(
      issues.filter((i) => i.fields.project.key === 'K5').length,
    );
  });
});
