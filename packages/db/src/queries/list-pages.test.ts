import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_SORT_KEYS, type ChangeFilter, listChanges } from './list-changes.ts';
import { DEPLOYMENT_SORT_KEYS, listDeployments } from './list-deployments.ts';
import { INCIDENT_SORT_KEYS, listIncidents } from './list-incidents.ts';
import type { ListResult, ListWindow } from './list-window.ts';
import type { MetricScope } from './metric-scope.ts';

// The drill-down lists run a page statement (order by … limit … offset) and a count statement over
// the same rows. Each page must be exactly that window of the whole ordered list, and the total its
// length, for every sort key, order, scope and filter; the totals also equal the plain definition
// counted in SQL here.

const DAY = 86_400_000;
const end = new Date(Date.UTC(2025, 5, 1));
const org = generateOrg({ teams: 3, membersPerTeam: 4, reposPerTeam: 2, days: 90, end, seed: 5 });
const from = new Date(end.getTime() - 60 * DAY);
const to = end;
const PAGE = 7;

/** Pages of a list (PAGE rows) against one window holding all its rows. */
async function expectPagesOfWhole<Row extends { id: string }>(
  list: (window: ListWindow) => Promise<ListResult<Row>>,
  sort: string,
  order: 'asc' | 'desc',
): Promise<number> {
  const whole = await list({ limit: 100_000, offset: 0, sort, order });
  expect(whole.total).toBe(whole.rows.length);
  const ids = whole.rows.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  // The first two pages, one in the middle and the last.
  const last = Math.max(0, Math.floor((ids.length - 1) / PAGE)) * PAGE;
  const middle = Math.floor(last / PAGE / 2) * PAGE;
  for (const offset of new Set([0, PAGE, middle, last])) {
    const page = await list({ limit: PAGE, offset, sort, order });
    expect(page.total).toBe(whole.total);
    expect(page.rows).toEqual(whole.rows.slice(offset, offset + PAGE));
  }
  // Past the end: no rows, the total kept.
  const beyond = await list({ limit: PAGE, offset: ids.length + 3 * PAGE, sort, order });
  expect(beyond).toEqual({ rows: [], total: whole.total });
  return whole.total;
}

describe('drill-down lists: pages and totals', () => {
  let t: TestDatabase;
  let scopes: MetricScope[];
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    const team = (await sql<{ id: string }>`select id::text from teams order by id limit 1`.execute(t.db))
      .rows[0]!;
    const repository = (
      await sql<{
        id: string;
      }>`select repository_id::text as id from team_repositories order by 1 limit 1`.execute(t.db)
    ).rows[0]!;
    scopes = [
      { type: 'org' },
      { type: 'team', teamId: team.id },
      { type: 'repository', repositoryId: repository.id },
    ];
  });
  afterAll(() => t?.destroy());

  it('pages deployments by every sort key and filter; totals are the plain count', async () => {
    let listed = 0;
    for (const scope of scopes) {
      for (const filter of [{}, { failed: true }, { failed: false }, { unplanned: true }]) {
        for (const sort of Object.keys(DEPLOYMENT_SORT_KEYS)) {
          for (const order of ['asc', 'desc'] as const) {
            listed += await expectPagesOfWhole(
              (w) => listDeployments(t.db, { scope, from, to, ...filter }, w),
              sort,
              order,
            );
          }
        }
      }
    }
    expect(listed).toBeGreaterThan(100);
    const plain = await sql<{ n: number }>`select count(*)::int as n from deployments
      where is_production and deployed_at >= ${from} and deployed_at < ${to}`.execute(t.db);
    const org = await listDeployments(
      t.db,
      { scope: { type: 'org' }, from, to },
      { limit: 1, offset: 0, sort: 'deployedAt', order: 'desc' },
    );
    expect(org.total).toBe(plain.rows[0]!.n);
  });

  it('pages changes and open PRs by every sort key and filter; totals are the plain count', {
    timeout: 120_000,
  }, async () => {
    const filters: Omit<ChangeFilter, 'scope' | 'from' | 'to'>[] = [
      {},
      { dateField: 'deployed', withLeadTime: true },
      { deployed: false },
      { reviewed: false },
      { unplanned: true },
      { includeBots: true },
      { state: 'open' },
      { state: 'open', stale: true },
    ];
    let listed = 0;
    // Every sort key both ways on the org's changes and open PRs; every filter and scope by one key.
    for (const filter of [{}, { state: 'open' as const }]) {
      for (const sort of Object.keys(CHANGE_SORT_KEYS)) {
        for (const order of ['asc', 'desc'] as const) {
          listed += await expectPagesOfWhole(
            (w) => listChanges(t.db, { scope: { type: 'org' }, from, to, ...filter }, w),
            sort,
            order,
          );
        }
      }
    }
    for (const scope of scopes) {
      for (const filter of filters) {
        listed += await expectPagesOfWhole(
          (w) => listChanges(t.db, { scope, from, to, ...filter }, w),
          filter.state === 'open' ? 'openedAt' : 'leadTime',
          'asc',
        );
      }
    }
    expect(listed).toBeGreaterThan(1000);
    const plain = await sql<{ n: number }>`select count(*)::int as n from pull_requests pr
      join repositories r on r.id = pr.repository_id
      where pr.merged_at >= ${from} and pr.merged_at < ${to} and not pr.author_is_bot
        and (pr.base_branch is null or pr.base_branch = r.default_branch)`.execute(t.db);
    const org = await listChanges(
      t.db,
      { scope: { type: 'org' }, from, to },
      { limit: 1, offset: 0, sort: 'mergedAt', order: 'desc' },
    );
    expect(org.total).toBe(plain.rows[0]!.n);
  });

  it('pages incidents by every sort key and filter; totals are the plain count', async () => {
    let listed = 0;
    for (const scope of scopes) {
      for (const filter of [{}, { dateField: 'resolved' as const }, { caused: true }, { resolved: false }]) {
        for (const sort of Object.keys(INCIDENT_SORT_KEYS)) {
          for (const order of ['asc', 'desc'] as const) {
            listed += await expectPagesOfWhole(
              (w) => listIncidents(t.db, { scope, from, to, ...filter }, w),
              sort,
              order,
            );
          }
        }
      }
    }
    expect(listed).toBeGreaterThan(10);
    const plain = await sql<{ n: number }>`select count(*)::int as n from incidents
      where started_at >= ${from} and started_at < ${to}`.execute(t.db);
    const org = await listIncidents(
      t.db,
      { scope: { type: 'org' }, from, to },
      { limit: 1, offset: 0, sort: 'startedAt', order: 'desc' },
    );
    expect(org.total).toBe(plain.rows[0]!.n);
  });
});
