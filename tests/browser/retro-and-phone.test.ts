import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { upsertPullRequestReviews, upsertPullRequests } from '@stride/db';
import { type SeededOrg, seedDashboardOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, startDashboard } from '../support/browser.ts';

// An engineering manager preparing a retro, and the dashboard on a phone and by keyboard, in
// real Chromium over the real API. Screenshots are kept in tests/artifacts (gitignored).
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DAY = 86_400_000;

let database: TestDatabase;
let org: SeededOrg;
let server: DashboardServer;
let page: Page;
const now = new Date();
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

/** Stuck PRs of the first team, one per thing an open PR can wait on. */
const stuck = [
  {
    number: 9001,
    days: 20,
    draft: false,
    requested: ['reviewer-x'],
    ci: 'success',
    review: null,
    waits: 'review',
  },
  { number: 9002, days: 16, draft: true, requested: [], ci: null, review: null, waits: 'author' },
  { number: 9003, days: 12, draft: false, requested: [], ci: 'pending', review: null, waits: 'ci' },
  {
    number: 9004,
    days: 9,
    draft: false,
    requested: [],
    ci: 'success',
    review: 'CHANGES_REQUESTED',
    waits: 'author',
  },
] as const;
/** Days added to every stuck PR's age so that they are the team's oldest open PRs. */
let ageOffset = 0;
const ageOf = (s: (typeof stuck)[number]) => s.days + ageOffset;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await seedDashboardOrg(database.db, { now, days: 120, seed: 5 });
  const team = org.teams[0]!;
  const author = team.members[0]!.github!;
  const reviewer = team.members[1]!.github!;
  const repo = await database.db
    .selectFrom('repositories')
    .select('id')
    .where('full_name', '=', team.repositories[0]!)
    .executeTakeFirstOrThrow();
  // The table shows the 10 oldest stale PRs; the generated history has stalled PRs of its own,
  // and how old they are depends on today's date. Make these the oldest, whatever the date.
  const oldest = await database.db
    .selectFrom('pull_requests')
    .select((eb) => eb.fn.min('created_at').as('created_at'))
    .where('state', '=', 'open')
    .executeTakeFirst();
  const oldestDays = oldest?.created_at ? (now.getTime() - new Date(oldest.created_at).getTime()) / DAY : 0;
  ageOffset = Math.max(0, Math.ceil(oldestDays) + 1 - Math.min(...stuck.map((s) => s.days)));
  const ids = await upsertPullRequests(
    database.db,
    stuck.map((s) => ({
      repository_id: repo.id,
      external_id: `stuck-${s.number}`,
      number: s.number,
      title: `Stuck change ${s.number}`,
      author_login: author,
      state: 'open' as const,
      draft: s.draft,
      base_branch: 'main',
      head_branch: `stuck-${s.number}`,
      created_at: daysAgo(ageOf(s)),
      source_updated_at: daysAgo(ageOf(s) - 1),
      html_url: `https://github.com/${team.repositories[0]}/pull/${s.number}`,
      requested_reviewers: s.requested.map((r) => (r === 'reviewer-x' ? reviewer : r)),
      head_sha: `${s.number}`.padStart(40, '0'),
      ci_state: s.ci,
      first_review_at: s.review ? daysAgo(ageOf(s) - 2) : null,
    })),
  );
  await upsertPullRequestReviews(
    database.db,
    stuck
      .filter((s) => s.review)
      .map((s) => ({
        pull_request_id: ids.get(`stuck-${s.number}`)!,
        external_id: `stuck-review-${s.number}`,
        kind: 'review' as const,
        reviewer_login: reviewer,
        state: s.review!,
        submitted_at: daysAgo(ageOf(s) - 2),
      })),
  );
  server = await startDashboard(database.db, org.teams);
  page = await (
    await server.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  ).newPage();
  await mkdir(artifacts, { recursive: true });
});
afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

/** A team page with its health figures drawn. */
async function openTeam(query: string): Promise<void> {
  await page.goto(`${server.url}/teams/${org.teams[0]!.slug}?${query}`);
  await page.getByTestId('team-size').waitFor({ timeout: 90_000 });
}

describe('engineering manager: prepare my retro', () => {
  it('puts the retro comparison first once a retro date is set, each side linking to its items with n', async () => {
    await openTeam('period=90d');
    const order = () =>
      page.evaluate(() => {
        const retro = document.getElementById('retro-heading')!;
        const dora = document.getElementById('dora-heading')!;
        return retro.compareDocumentPosition(dora) & Node.DOCUMENT_POSITION_FOLLOWING
          ? 'retro first'
          : 'dora first';
      });
    await page.getByTestId('retro-table').waitFor();
    expect(await order()).toBe('dora first');

    const retro = new Date(now.getTime() - 14 * DAY).toISOString().slice(0, 10);
    await openTeam(`period=90d&retro=${retro}`);
    await page.getByTestId('retro-table').waitFor();
    expect(await order()).toBe('retro first');
    await page.screenshot({ path: `${artifacts}retro.png`, fullPage: false });

    const row = page.locator('[data-testid="retro-table"] tr[data-signal="Deployments"]');
    const cells = row.locator('td');
    // n on both sides.
    expect(await cells.nth(0).innerText()).toMatch(/n = \d+ deployments?|n = no deployments/);
    expect(await cells.nth(1).innerText()).toMatch(/n = \d+ deployments?|n = no deployments/);
    // Each side opens the deployments of its own period.
    const since = await cells.nth(1).getByRole('link').getAttribute('href');
    const before = await cells.nth(0).getByRole('link').getAttribute('href');
    const params = (href: string | null) => new URL(href!, server.url).searchParams;
    expect(since).toMatch(/^\/drill\/deployments\?/);
    expect(params(since).get('team')).toBe(org.teams[0]!.slug);
    expect(params(since).get('from')).toBe(retro);
    expect(params(before).get('to')).toBe(retro);
    // Merged without review links to exactly those PRs.
    const unreviewed = page.locator('[data-testid="retro-table"] tr[data-signal="Merged without review"] td');
    expect(params(await unreviewed.nth(1).getByRole('link').getAttribute('href')).get('reviewed')).toBe(
      'false',
    );
    await cells.nth(1).getByRole('link').click();
    await page.getByTestId('drill-table').or(page.locator('.state-empty')).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/drill/deployments');
  }, 180_000);

  it('lists stuck PRs with age, author, requested reviewers and what each waits on', async () => {
    await openTeam('period=90d');
    const table = page.getByTestId('stuck-prs');
    await table.waitFor();
    const reviewer = org.teams[0]!.members[1]!.github!;
    for (const s of stuck) {
      const row = table.locator(`tr[data-pr="${s.number}"]`);
      const text = await row.innerText();
      expect(text).toContain(org.teams[0]!.members[0]!.github!);
      expect(text).toMatch(new RegExp(`${ageOf(s) - 1}d|${ageOf(s)}d`));
      expect(await row.locator('[data-waiting-on]').getAttribute('data-waiting-on'), `#${s.number}`).toBe(
        s.waits,
      );
      if (s.review) expect(text).toContain('changes requested');
      if (s.requested.length) expect(text).toContain(reviewer);
      else expect(text).toContain('none requested');
    }
    // Oldest first.
    const numbers = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pr')));
    expect(numbers.indexOf('9001')).toBeLessThan(numbers.indexOf('9004'));
    const card = page.locator('section.chart-card[aria-label="Stuck PRs"]');
    expect(await card.locator('.subtitle').innerText()).toMatch(/waiting on review \d+, author \d+, CI \d+/);
    await card.screenshot({ path: `${artifacts}stuck-prs.png` });
  }, 120_000);

  it('sorts the PR list by each cycle-time phase and by size of change', async () => {
    await openTeam('period=90d');
    await page.getByTestId('pr-phases-link').click();
    const table = page.getByTestId('drill-table');
    await table.waitFor();
    const columns = [
      ['Coding', 'codingTime'],
      ['Pickup', 'pickupTime'],
      ['Review', 'reviewTime'],
      ['Deploy', 'deployTime'],
      ['Size \\(lines\\)', 'size'],
    ] as const;
    for (const [label, sortKey] of columns) {
      const name = new RegExp(`^${label}( [▲▼])?$`);
      await table.getByRole('button', { name }).click();
      const header = table.locator('th').filter({ has: page.getByRole('button', { name }) });
      await expect.poll(() => header.getAttribute('aria-sort')).toMatch(/descending|ascending/);
      const url = new URL(page.url());
      expect(url.searchParams.get('sort')).toBe(sortKey);
      await expect.poll(() => page.locator('main').innerText()).not.toContain('updating');
      // The rows come in the API's order for that sort.
      const api = url.searchParams;
      const body = (await (
        await page.request.get(
          `${server.url}/api/changes?team=${api.get('team')}&from=${api.get('from')}&to=${api.get('to')}&sort=${sortKey}&order=${api.get('order')}&pageSize=50`,
        )
      ).json()) as { items: { number: number }[] };
      const shown = await table
        .locator('tbody tr td:first-child')
        .evaluateAll((tds) => tds.map((td) => Number(/#(\d+)/.exec(td.textContent ?? '')?.[1])));
      expect(shown).toEqual(body.items.map((i) => i.number));
    }
  }, 120_000);

  it('shows review load as a team-level distribution, naming nobody', async () => {
    await openTeam('period=90d');
    const card = page.locator('section.chart-card[aria-label="Review load spread"]');
    await card.locator('svg.recharts-surface').waitFor();
    const text = await card.innerText();
    expect(text).toMatch(/\d+ reviews by \d+ of \d+ people · median/);
    for (const member of org.teams[0]!.members) expect(text).not.toContain(member.github!);
    expect(text).not.toMatch(/top reviewer|leaderboard|rank/i);
    expect(await card.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${artifacts}team-page.png`, fullPage: true });
  }, 120_000);
});

describe('phone and keyboard', () => {
  it('fits 390 px: no horizontal page scroll, charts fit, tables scroll in their card, exports reachable', async () => {
    const phone = await (
      await server.browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true })
    ).newPage();
    const check = async (path: string, ready: string) => {
      await phone.goto(`${server.url}${path}`);
      await phone.locator(ready).first().waitFor({ timeout: 90_000 });
      await phone.locator('svg.recharts-surface').first().waitFor({ timeout: 30_000 });
      const widths = await phone.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        view: window.innerWidth,
        charts: Array.from(document.querySelectorAll('svg.recharts-surface')).map(
          (s) => s.getBoundingClientRect().right,
        ),
        buttons: Array.from(document.querySelectorAll('.export-buttons button, .export-buttons .button')).map(
          (b) => b.getBoundingClientRect().right,
        ),
      }));
      expect(widths.page, `${path} scrolls sideways`).toBeLessThanOrEqual(widths.view);
      for (const right of widths.charts) expect(right).toBeLessThanOrEqual(widths.view);
      expect(widths.buttons.length).toBeGreaterThan(0);
      for (const right of widths.buttons) expect(right).toBeLessThanOrEqual(widths.view);
    };
    await check('/?period=90d', '[data-testid=dora-table] .metric-cell');
    // The wide table scrolls inside its card, not the page.
    const scroll = await phone
      .locator('.table-scroll')
      .first()
      .evaluate((el) => ({
        inner: el.scrollWidth,
        outer: el.clientWidth,
      }));
    expect(scroll.inner).toBeGreaterThan(scroll.outer);
    await phone.screenshot({ path: `${artifacts}overview-390.png`, fullPage: true });
    // An export button works on the phone.
    const card = phone.locator('section.chart-card').first();
    const [download] = await Promise.all([
      phone.waitForEvent('download'),
      card.getByRole('button', { name: /as CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    await check(`/teams/${org.teams[0]!.slug}?period=90d`, '[data-testid=team-size]');
    await phone.screenshot({ path: `${artifacts}team-390.png`, fullPage: true });

    // Drill-down lists: the page never scrolls sideways, the list scrolls inside its card, the CSV
    // download is on screen and works.
    for (const kind of ['changes', 'deployments', 'incidents']) {
      await phone.goto(`${server.url}/drill/${kind}?team=${org.teams[0]!.slug}&period=90d`);
      await phone
        .getByTestId('drill-table')
        .or(phone.locator('.state-empty'))
        .first()
        .waitFor({ timeout: 90_000 });
      const drill = await phone.evaluate(() => {
        const scroller = document.querySelector('.table-scroll');
        return {
          page: document.documentElement.scrollWidth,
          view: window.innerWidth,
          csv: document.querySelector('[data-testid=drill-csv]')!.getBoundingClientRect().right,
          inner: scroller?.scrollWidth ?? 0,
          outer: scroller?.clientWidth ?? 0,
        };
      });
      expect(drill.page, `/drill/${kind} scrolls sideways`).toBeLessThanOrEqual(drill.view);
      expect(drill.csv).toBeLessThanOrEqual(drill.view);
      if (kind === 'changes') expect(drill.inner).toBeGreaterThan(drill.outer);
      await phone.screenshot({ path: `${artifacts}drill-${kind}-390.png`, fullPage: true });
    }
    const [csv] = await Promise.all([phone.waitForEvent('download'), phone.getByTestId('drill-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);

    // The board pack: pages as wide as the phone, charts scaled into them, tables scrolling in
    // their page, the print button on screen.
    await phone.goto(`${server.url}/board-pack?period=90d`);
    await phone.locator('main.board-pack[data-ready="true"]').waitFor({ timeout: 120_000 });
    await phone.locator('.board-chart svg.recharts-surface').first().waitFor();
    const pack = await phone.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      view: window.innerWidth,
      sections: Array.from(document.querySelectorAll('[data-testid=board-section]')).map(
        (s) => s.getBoundingClientRect().right,
      ),
      charts: Array.from(document.querySelectorAll('.board-chart svg.recharts-surface')).map(
        (s) => s.getBoundingClientRect().right,
      ),
      print: Array.from(document.querySelectorAll('.board-pack-toolbar button')).map(
        (b) => b.getBoundingClientRect().right,
      ),
      tables: Array.from(document.querySelectorAll('.board-section .table-scroll')).map((t) => ({
        inner: t.scrollWidth,
        outer: t.clientWidth,
      })),
    }));
    expect(pack.page, '/board-pack scrolls sideways').toBeLessThanOrEqual(pack.view);
    expect(pack.sections.length).toBeGreaterThan(0);
    for (const right of [...pack.sections, ...pack.charts, ...pack.print]) {
      expect(right).toBeLessThanOrEqual(pack.view);
    }
    expect(pack.print).toHaveLength(1);
    expect(pack.tables.some((t) => t.inner > t.outer)).toBe(true);
    await phone.screenshot({ path: `${artifacts}board-pack-390.png`, fullPage: true });
    await phone.context().close();
  }, 180_000);

  it('reaches chart points with Tab and opens a point’s items with Enter', async () => {
    await page.goto(`${server.url}/?period=90d`);
    const card = page.locator('section.chart-card').first();
    await card.locator('.chart-point').first().waitFor({ timeout: 90_000 });
    // Tab from the card's last export button lands on the chart's first point.
    await card.getByRole('button', { name: /as CSV/ }).focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      cls: document.activeElement?.getAttribute('class'),
      label: document.activeElement?.getAttribute('aria-label'),
      role: document.activeElement?.getAttribute('role'),
    }));
    expect(focused.cls).toBe('chart-point');
    expect(focused.role).toBe('button');
    expect(focused.label).toMatch(/Organisation, week starting .+: .+\(\d+ deployments?\)|no deployments/);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('class'))).toBe('chart-point');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/drill\/deployments\?/);
    const params = new URL(page.url()).searchParams;
    expect(params.get('from')).not.toBeNull();
    expect(params.get('to')).not.toBeNull();
  }, 120_000);

  it('reaches bar-chart bars with Tab and opens a bar’s PRs with Enter', async () => {
    await openTeam('period=90d');
    const card = page.locator('section.chart-card[aria-label="Cycle time phases"]');
    await card.locator('.chart-bar').first().waitFor({ timeout: 90_000 });
    // Tab from the card's last export button lands on the first bar, then the next.
    await card.getByRole('button', { name: /as CSV/ }).focus();
    await page.keyboard.press('Tab');
    const focused = () =>
      page.evaluate(() => ({
        cls: document.activeElement?.getAttribute('class'),
        role: document.activeElement?.getAttribute('role'),
        label: document.activeElement?.getAttribute('aria-label'),
      }));
    const first = await focused();
    expect(first.cls).toBe('chart-bar');
    expect(first.role).toBe('button');
    expect(first.label).toMatch(/^Coding, p50: .+\. Press Enter for its items\.$/);
    await page.keyboard.press('Tab');
    expect((await focused()).label).toMatch(/^Coding, p90: /);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/drill\/changes\?/);
    const params = new URL(page.url()).searchParams;
    expect(params.get('sort')).toBe('codingTime');
    expect(params.get('order')).toBe('desc');
    expect(params.get('team')).toBe(org.teams[0]!.slug);
    await page.getByTestId('drill-table').waitFor();

    // A chart without a drill-down still speaks each bar's value to a keyboard user.
    await openTeam('period=90d');
    const load = page.locator('section.chart-card[aria-label="Review load spread"] .chart-bar').first();
    await load.waitFor();
    expect(await load.getAttribute('tabindex')).toBe('0');
    expect(await load.getAttribute('aria-label')).toMatch(/: \d/);
  }, 120_000);
});
