import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setAppSetting } from '@stride/db';
import { type GeneratedOrg, generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, openDownloadPage, startDashboard } from '../support/browser.ts';

// The board pack of an organisation with more teams than a printed page holds: every metric's
// table continues on further pages, each with the table's header, and no row is cut off by a
// page's fixed height. The organisation's dates are fixed, so the test holds on any date.
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const TEAMS = 61;
const metrics = [
  'Deployment frequency',
  'Change lead time',
  'Change failure rate',
  'Failed deployment recovery time',
  'Rework rate',
];

let database: TestDatabase;
let org: GeneratedOrg;
let server: DashboardServer;
let page: Page;

beforeAll(async () => {
  database = await createTestDatabase();
  org = generateOrg({
    teams: TEAMS,
    membersPerTeam: 3,
    reposPerTeam: 1,
    days: 100,
    end: new Date(Date.UTC(2026, 10, 2)),
    seed: 61,
  });
  await seedOrg(database.db, org);
  await setAppSetting(database.db, 'demo', true);
  server = await startDashboard(database.db, org.teams);
  page = await openDownloadPage(server, { width: 1440, height: 900 });
  await mkdir(artifacts, { recursive: true });
}, 300_000);

afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

describe('board pack of many teams', () => {
  it('pages each metric’s table: every team once, each page’s table with its header, nothing cut when printed', async () => {
    await page.goto(`${server.url}/board-pack?period=custom&from=2026-08-03&to=2026-11-02&granularity=week`);
    await page.locator('main.board-pack[data-ready="true"]').waitFor({ timeout: 180_000 });
    const sections = page.getByTestId('board-section');
    const pages = await sections.evaluateAll((nodes) =>
      nodes.map((n) => ({
        heading: n.querySelector('h2')?.textContent ?? '',
        tables: Array.from(n.querySelectorAll('table.board-table')).map((t) => ({
          header: Array.from(t.querySelectorAll('thead th')).map((th) => th.textContent ?? ''),
          rows: Array.from(t.querySelectorAll('tbody th')).map((th) => th.textContent ?? ''),
        })),
      })),
    );
    const number = (name: string) => Number(/(\d+)$/.exec(name)![1]);
    const naturalOrder = org.teams.map((t) => t.name).sort((a, b) => number(a) - number(b));
    expect(naturalOrder.slice(0, 2)).toEqual(['Team 1', 'Team 2']);
    expect(pages.length, JSON.stringify(pages.map((p) => p.heading))).toBeGreaterThan(5);
    for (const [m, metric] of metrics.entries()) {
      const own = pages.filter((p) => p.heading.startsWith(`${m + 1}. ${metric}`));
      const tables = own.flatMap((p) => p.tables);
      // 62 rows: 10 on the first page (beside the charts), then pages of at most 20.
      expect(tables.map((t) => t.rows.length)).toEqual([10, 20, 20, 12]);
      for (const t of tables) {
        expect(t.header).toHaveLength(5);
        expect(t.header[0]).toBe('Scope');
        expect(t.header[3]).toMatch(/^vs /);
      }
      const names = tables.flatMap((t) => t.rows);
      expect(names[0]).toBe('Organisation');
      // Every team once, in natural order: Team 2 before Team 10 (not "Team 1, Team 10, Team 11…").
      expect(names.slice(1)).toEqual(naturalOrder);
      // The continuation pages say so, and the table pages come before the team charts.
      expect(own.slice(1, 4).map((p) => p.heading)).toEqual([
        `${m + 1}. ${metric}, table (continued, 2 of 4)`,
        `${m + 1}. ${metric}, table (continued, 3 of 4)`,
        `${m + 1}. ${metric}, table (continued, 4 of 4)`,
      ]);
    }
    await sections.nth(1).screenshot({ path: `${artifacts}board-pack-61-teams-table-page.png` });

    // Printed: every section is one page and nothing in it lies past its bottom edge.
    await page.emulateMedia({ media: 'print' });
    const cut = await sections.evaluateAll((nodes) =>
      nodes.flatMap((n, i) => {
        const bottom = n.getBoundingClientRect().bottom;
        const rows = Array.from(n.querySelectorAll('tr, .board-chart')).filter(
          (r) => r.getBoundingClientRect().bottom > bottom + 1,
        );
        return n.scrollHeight > n.clientHeight + 1 || rows.length > 0 ? [i] : [];
      }),
    );
    expect(cut).toEqual([]);
    const count = await sections.count();
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length).toBe(count);
  }, 300_000);
});
