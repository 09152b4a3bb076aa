import { loadCollectorConfig, type SyncContext, syncJira } from '@stride/collector';
import { syncTeamsFromConfig } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeJiraServer, startFakeJiraServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fault, type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';

const config = parseStrideConfig({
  jira: { projects: ['EE', 'K5'], bugTypes: ['缺陷'], incidentTypes: [], incidentLabels: ['Saas'] },
  teams: [{ slug: 'ee', name: 'EE', jiraProjects: ['EE'] }],
});

function contextFor(t: TestDatabase, host: string, logs: string[] = []): SyncContext {
  return {
    db: t.db,
    config,
    env: loadCollectorConfig({
      JIRA_HOST: host,
      JIRA_EMAIL: `me-${host}@example.com`,
      JIRA_API_TOKEN: 'secret',
    }),
    logger: pino({ level: 'info' }, { write: (line: string) => logs.push(line) }),
    since: new Date('2019-01-01T00:00:00Z'),
    waitUnitMs: 20,
  };
}

/** The Jira rows by natural key (issue id, transition, incident), as one sorted list. */
async function checksum(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select 'issue ' || external_id || ' ' || key || ' ' || classification::text || ' ' || source_updated_at::text as line from jira_issues
    union all
    select 'transition ' || i.external_id || ' ' || coalesce(t.to_status, '-') || ' ' || t.transitioned_at::text
      from jira_issue_transitions t join jira_issues i on i.id = t.jira_issue_id
    union all
    select 'incident ' || external_id || ' ' || started_at::text || ' ' || coalesce(resolved_at::text, '-') from incidents
    order by 1`.execute(t.db);
  return rows.map((r) => r.line);
}

describe('Jira sync under 5xx, dropped connections, truncated bodies and rate limits', () => {
  let jira: FakeJiraServer;
  let proxy: FaultProxy;
  let clean: TestDatabase;
  let faulted: TestDatabase;
  beforeAll(async () => {
    jira = await startFakeJiraServer({ pageSize: 7, timeZone: 'Asia/Shanghai' });
    clean = await createTestDatabase();
    faulted = await createTestDatabase();
    for (const t of [clean, faulted]) await syncTeamsFromConfig(t.db, config.teams);
  });
  afterAll(async () => {
    await proxy?.close();
    await jira?.close();
    await clean?.destroy();
    await faulted?.destroy();
  });

  it('retries each failed request and stores exactly what a clean sync stores', async () => {
    const reference = await syncJira(contextFor(clean, jira.url));
    expect(reference.filter((r) => r.error)).toEqual([]);
    const expected = await checksum(clean);
    expect(expected.filter((l) => l.startsWith('issue ')).length).toBeGreaterThan(10);

    let searches = 0;
    proxy = await startFaultProxy(jira.url, ({ path, seen }): Fault => {
      if (path.startsWith('/rest/api/3/issuetype') && seen === 0) return { status: 502 };
      if (path.startsWith('/rest/api/3/project/K5') && seen < 2) return { status: 503 };
      if (path.startsWith('/rest/api/3/search/jql')) {
        searches += 1;
        if (searches === 2) return 'reset';
        if (searches === 3) return 'truncate';
        if (searches === 4) return { status: 500 };
        if (searches === 6) return { status: 429, headers: { 'retry-after': '2' } };
      }
      return 'pass';
    });
    const logs: string[] = [];
    const reports = await syncJira(contextFor(faulted, proxy.url, logs));
    expect(reports.map((r) => [r.scope, r.error])).toEqual([
      ['EE', undefined],
      ['K5', undefined],
    ]);
    expect(await checksum(faulted)).toEqual(expected);
    expect(proxy.requests.filter((r) => r.fault !== 'pass').length).toBe(7);
    expect(logs.join('\n')).not.toContain('secret');
  });

  it('holds every request while a rate limit lasts, not only the limited one', async () => {
    // A 429 with Retry-After 5 (x 20 ms units = 100 ms) on the first search: nothing else may
    // leave before it has passed.
    const t = await createTestDatabase();
    await syncTeamsFromConfig(t.db, config.teams);
    let limitedAt = 0;
    const gated = await startFaultProxy(jira.url, ({ path, seen }): Fault => {
      if (path.startsWith('/rest/api/3/search/jql') && seen === 0) {
        limitedAt = Date.now();
        return { status: 429, headers: { 'retry-after': '5' } };
      }
      return 'pass';
    });
    try {
      const reports = await syncJira(contextFor(t, gated.url));
      expect(reports.filter((r) => r.error)).toEqual([]);
      const early = gated.requests.filter((r) => r.at > limitedAt && r.at < limitedAt + 90);
      expect(early).toEqual([]);
    } finally {
      await gated.close();
      await t.destroy();
    }
  });

  it('writes nothing on a re-sync when nothing changed', async () => {
    const before = await sql<{ n: string }>`
      select (select max(xmin::text::bigint) from jira_issues)::text || '/' ||
             (select max(xmin::text::bigint) from raw_payloads)::text as n`.execute(clean.db);
    const again = await syncJira(contextFor(clean, jira.url));
    expect(again.filter((r) => r.error)).toEqual([]);
    expect(again.map((r) => r.itemsUpserted)).toEqual([0, 0]);
    const after = await sql<{ n: string }>`
      select (select max(xmin::text::bigint) from jira_issues)::text || '/' ||
             (select max(xmin::text::bigint) from raw_payloads)::text as n`.execute(clean.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
