import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createApiToken,
  type Db,
  setAppSetting,
  syncPlansFromConfig,
  syncTeamsFromConfig,
  upsertDeployments,
  upsertPullRequests,
  upsertRepositories,
} from '@stride/db';
import { deriveLinks } from '@stride/ingest';
import type { GoalStatusList, TeamsGoalStatus } from '@stride/shared';
import { parseStrideConfig, type TeamConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, downloadFrom, openDownloadPage, startDashboard } from '../support/browser.ts';
import { parseCsv } from '../support/parse-csv.ts';

// A team with a change-failure-rate goal, a reorg and a freeze, and agreements one open PR breaks:
// the goal's status, the target line, the event markers (filterable) and the stuck PR on screen.
const period = 'period=custom&from=2026-09-07&to=2026-10-05&granularity=week&benchmark=2023';
const at = (iso: string) => new Date(`${iso}Z`);
const team: TeamConfig = {
  slug: 'checkout',
  name: 'Checkout',
  timezone: 'Europe/London',
  members: [{ name: 'Ada', github: 'ada' }],
  repositories: ['acme/checkout'],
  jiraProjects: [],
  agreements: { maxPrOpenDays: 5, pickupBusinessHours: 8 },
};
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
// Beside Checkout: a team with a goal and no data yet, and one without goals.
const config = parseStrideConfig({
  teams: [
    {
      ...team,
      goals: [
        { metric: 'change_failure_rate', statistic: 'value', target: '10%', direction: '<=' },
        { metric: 'pr_size', statistic: 'p50', target: 300, direction: '<' },
        { metric: 'throughput', statistic: 'value', target: 2, direction: '>=' },
      ],
    },
    {
      slug: 'search',
      name: 'Search',
      timezone: 'UTC',
      members: [{ name: 'Bo', github: 'bo' }],
      repositories: [],
      jiraProjects: [],
      goals: [{ metric: 'pickup_time', statistic: 'p50', target: '4h', direction: '<' }],
    },
    { slug: 'platform', name: 'Platform', timezone: 'UTC', members: [], repositories: [], jiraProjects: [] },
  ],
  goals: [{ metric: 'deployment_frequency', statistic: 'value', target: 1, direction: '>=' }],
  annotations: [
    { date: '2026-09-16', kind: 'reorg', title: 'Checkout takes over payments', team: 'checkout' },
    { date: '2026-09-21', endDate: '2026-10-02', kind: 'freeze', title: 'Quarter-end freeze' },
  ],
});

async function seed(db: Db): Promise<void> {
  await syncTeamsFromConfig(db, config.teams);
  await syncPlansFromConfig(db, config);
  const repoIds = await upsertRepositories(db, [
    {
      external_id: 'gh-acme/checkout',
      full_name: 'acme/checkout',
      html_url: 'https://github.com/acme/checkout',
      default_branch: 'main',
    },
  ]);
  const repositoryId = repoIds.get('acme/checkout')!;
  await upsertDeployments(
    db,
    ['2026-09-08T10:00:00', '2026-09-15T10:00:00', '2026-09-22T10:00:00', '2026-09-29T10:00:00'].map(
      (time, i) => ({
        repository_id: repositoryId,
        source: 'github_deployments' as const,
        external_id: `checkout-deploy-${i + 1}`,
        environment: 'production',
        is_production: true,
        sha: `abc${i}`,
        ref: 'main',
        status: 'success',
        created_at: at(time),
        deployed_at: at(time),
      }),
    ),
  );
  await upsertPullRequests(db, [
    {
      repository_id: repositoryId,
      external_id: 'checkout-pr-7',
      number: 7,
      title: 'Rework the basket',
      author_login: 'ada',
      state: 'open' as const,
      base_branch: 'main',
      head_branch: 'basket',
      created_at: at('2026-09-21T09:00:00'),
      source_updated_at: at('2026-09-21T09:00:00'),
      additions: 120,
      deletions: 4,
      labels: [],
      is_unplanned: false,
      html_url: 'https://github.com/acme/checkout/pull/7',
    },
    {
      repository_id: repositoryId,
      external_id: 'checkout-pr-5',
      number: 5,
      title: 'Split the payment step',
      author_login: 'ada',
      state: 'merged' as const,
      base_branch: 'main',
      head_branch: 'payment-step',
      created_at: at('2026-09-14T09:00:00'),
      first_commit_at: at('2026-09-14T08:00:00'),
      first_review_at: at('2026-09-14T11:00:00'),
      merged_at: at('2026-09-15T09:00:00'),
      source_updated_at: at('2026-09-15T09:00:00'),
      additions: 250,
      deletions: 30,
      labels: [],
      is_unplanned: false,
      html_url: 'https://github.com/acme/checkout/pull/5',
    },
  ]);
  await deriveLinks(db, { repositoryIds: 'all', attributionWindowDays: 7 });
  await setAppSetting(db, 'demo', true);
}

let database: TestDatabase;
let server: DashboardServer;
let page: Page;

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.db);
  server = await startDashboard(database.db, config.teams);
  page = await server.browser.newPage({ viewport: { width: 1440, height: 900 } });
});
afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

describe('goals, agreements and events in Chromium', () => {
  it('team page: goal status with n, target line, event markers listed under the chart and filterable', async () => {
    await page.goto(`${server.url}/teams/checkout?${period}`);
    const goal = page.getByTestId('goal-status').first().locator('tr[data-metric="change_failure_rate"]');
    await goal.waitFor({ timeout: 90_000 });
    expect(await goal.innerText()).toContain('Change failure rate <= 10 %');
    // 4 deployments, none failed: 0 % meets the goal.
    expect(await goal.locator('.goal-status').getAttribute('data-status')).toBe('met');
    expect(await goal.locator('td').last().innerText()).toBe('4');

    const card = page.locator('section.chart-card', { hasText: 'Change failure rate by week' });
    await card.locator('.target-line').first().waitFor({ timeout: 60_000, state: 'attached' });
    await card.getByTestId('annotation-list').waitFor({ timeout: 30_000 });
    // One marker line (the reorg) and one area over two weeks (the freeze).
    expect(await card.locator('.annotation-line').count()).toBeGreaterThan(0);
    // Each marker's number is drawn whole inside the chart (a line's was cut off above the plot).
    const numbers = await card
      .locator('svg.recharts-surface')
      .first()
      .evaluate((svg) => {
        const box = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll('text.annotation-number')).map((t) => {
          const r = t.getBoundingClientRect();
          return { number: t.textContent, inside: r.top >= box.top && r.bottom <= box.bottom };
        });
      });
    expect(numbers.length).toBeGreaterThan(1);
    for (const n of numbers) expect(n, JSON.stringify(numbers)).toMatchObject({ inside: true });
    const areas = await card.locator('.annotation-area').count();
    expect(areas).toBeGreaterThan(0);
    const list = card.getByTestId('annotation-list');
    expect(await list.innerText()).toContain('Reorg: Checkout takes over payments');
    expect(await list.innerText()).toContain(
      '2026-09-21 – 2026-10-02 · Freeze: Quarter-end freeze (org-wide)',
    );

    await page.getByRole('checkbox', { name: /Reorg/ }).click();
    await page.waitForURL(/events=freeze/);
    await card.locator('.annotation-line').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await list.innerText()).not.toContain('Reorg');
    expect(await card.locator('.annotation-area').count()).toBe(areas);
  }, 180_000);

  it('the SVG export of a chart carries its events', async () => {
    const exporter = await openDownloadPage(server, { width: 1440, height: 900 });
    await exporter.goto(`${server.url}/teams/checkout?${period}`);
    const card = exporter.locator('section.chart-card', { hasText: 'Change failure rate by week' });
    await card.getByTestId('annotation-list').waitFor({ timeout: 90_000 });
    const svg = await downloadFrom(exporter, () => card.getByRole('button', { name: /as SVG/ }).click());
    const text = svg.body.toString('utf8');
    expect(text).toContain('Reorg: Checkout takes over payments');
    expect(text).toContain('Freeze: Quarter-end freeze');
    expect(text).toContain('target-line');
    await exporter.context().close();
  }, 120_000);

  it('team-health charts draw the goals on their figures; chart CSVs end with the events column', async () => {
    const exporter = await openDownloadPage(server, { width: 1440, height: 900 });
    await exporter.goto(`${server.url}/teams/checkout?${period}`);
    const size = exporter.locator('section.chart-card[aria-label="PR size"]');
    await size.locator('.target-line').first().waitFor({ timeout: 90_000, state: 'attached' });
    expect(await size.locator('.target-line').count()).toBe(1);
    expect(await size.textContent()).toContain('Goal: PR size p50 < 300 lines');
    const merged = exporter.locator('section.chart-card[aria-label="Merged PRs over time"]');
    await merged.locator('.target-line').first().waitFor({ timeout: 30_000, state: 'attached' });
    expect(await merged.textContent()).toContain('Goal: Merged PRs per week >= 2/week');

    const card = exporter.locator('section.chart-card', { hasText: 'Change failure rate by week' });
    await card.getByTestId('annotation-list').waitFor({ timeout: 30_000 });
    const file = await downloadFrom(exporter, () => card.getByRole('button', { name: /as CSV/ }).click());
    const [header, ...rows] = parseCsv(file.body.toString('utf8'));
    expect(header).toEqual([
      'week starting (UTC, YYYY-MM-DD)',
      'Checkout change failure rate (%)',
      'Checkout n (deployments)',
      'events (numbered as on the chart)',
    ]);
    expect(rows.map((r) => [r[0], r[3]])).toEqual([
      ['2026-09-07', ''],
      ['2026-09-14', '1. Reorg: Checkout takes over payments'],
      ['2026-09-21', '2. Freeze: Quarter-end freeze (2026-09-21 to 2026-10-02) (org-wide)'],
      ['2026-09-28', ''],
    ]);
    await exporter.context().close();
  }, 150_000);

  it('team page: the PR that broke an agreement, with its age and what it waits on', async () => {
    await page.goto(`${server.url}/teams/checkout?${period}`);
    const stuck = page.getByTestId('agreements').locator('tr[data-rule="open_days"]');
    await stuck.waitFor({ timeout: 90_000 });
    expect(await stuck.innerText()).toContain('acme/checkout#7');
    expect(await stuck.innerText()).toContain('13.6 days');
    expect(await stuck.innerText()).toContain('a first review');
  }, 120_000);

  it('team page: previews the pre-retro digest as it would be sent', async () => {
    await page.goto(`${server.url}/teams/checkout?${period}`);
    await page.getByText('Preview of the pre-retro digest').click();
    const preview = page.getByTestId('digest-preview');
    await preview.waitFor({ timeout: 90_000 });
    const text = await preview.innerText();
    expect(text).toContain('Stride digest: Checkout');
    expect(text).toContain('Goals');
    expect(text).toMatch(
      /Open in Stride: http:\/\/127\.0\.0\.1:3000\/teams\/checkout\?period=custom&from=\d{4}-\d{2}-\d{2}&to=/,
    );
  }, 120_000);

  it("overview: every team's goal status with n in one table, linking to the team page", async () => {
    await mkdir(artifacts, { recursive: true });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}/?${period}`);
    const table = page.getByTestId('team-goals');
    const checkout = table.locator('tr[data-team="checkout"]');
    await checkout.waitFor({ timeout: 90_000 });
    // Checkout: 4 deployments, none failed (<= 10 %: met); one merged PR of 280 lines (< 300:
    // met); 1 merged PR in 4 weeks is 0.25/week (>= 2/week: missed).
    expect(await checkout.locator('td[data-count="met"]').innerText()).toBe('2');
    expect(await checkout.locator('td[data-count="at_risk"]').innerText()).toBe('0');
    expect(await checkout.locator('td[data-count="missed"]').innerText()).toBe('1');
    const item = (row: typeof checkout, metric: string) => row.locator(`li[data-metric="${metric}"]`);
    expect(await item(checkout, 'change_failure_rate').getAttribute('data-status')).toBe('met');
    expect(await item(checkout, 'change_failure_rate').innerText()).toMatch(
      /^Met Change failure rate <= 10 %: 0 %\s+n = 4$/,
    );
    expect(await item(checkout, 'throughput').getAttribute('data-status')).toBe('missed');
    expect(await item(checkout, 'throughput').getByTestId('goal-n').innerText()).toBe('n = 1');
    const search = table.locator('tr[data-team="search"]');
    expect(await item(search, 'pickup_time').getAttribute('data-status')).toBe('no_data');
    expect(await item(search, 'pickup_time').getByTestId('goal-n').innerText()).toBe('n = 0');
    expect(await page.getByTestId('teams-without-goals').innerText()).toBe('No goals: Platform');
    // One request gave every team's goals; the table says what each team's own route says.
    expect(requests.filter((p) => p === '/api/teams/goals')).toHaveLength(1);
    expect(requests.filter((p) => /^\/api\/teams\/[^/]+\/goals$/.test(p))).toHaveLength(0);
    page.removeAllListeners('request');
    const answers = await page.evaluate(async (q) => {
      const get = async (path: string) => (await fetch(`${path}?${q}`)).json();
      return Promise.all(['checkout', 'search'].map((t) => get(`/api/teams/${t}/goals`)));
    }, 'from=2026-09-07&to=2026-10-05');
    for (const [slug, answer] of [
      ['checkout', answers[0]],
      ['search', answers[1]],
    ] as [string, GoalStatusList][]) {
      const shown = await table
        .locator(`tr[data-team="${slug}"] li`)
        .evaluateAll((items) =>
          items.map((li) => [li.getAttribute('data-metric'), li.getAttribute('data-status')]),
        );
      expect(shown).toEqual(answer.goals.map((g) => [g.goal.metric, g.status]));
    }
    await page
      .getByRole('region', { name: 'Team goals' })
      .screenshot({ path: `${artifacts}goals-overview-table.png` });

    await checkout.getByRole('link', { name: 'Checkout' }).click();
    await page.waitForURL(/\/teams\/checkout\?.*from=2026-09-07.*to=2026-10-05/);
  }, 180_000);

  it('overview at 390 px: the goals column stays readable and the goals table scrolls in its card', async () => {
    const context = await server.browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const phone = await context.newPage();
      await phone.goto(`${server.url}/?${period}`);
      const checkout = phone.getByTestId('team-goals').locator('tr[data-team="checkout"]');
      await checkout.waitFor({ timeout: 90_000 });
      const sizes = await phone.evaluate(() => {
        const cell = document.querySelector(
          '[data-testid=team-goals] tr[data-team="checkout"] td:last-child',
        );
        const item = cell?.querySelector('li');
        const lineHeight = item ? Number.parseFloat(getComputedStyle(item).lineHeight) || 20 : 20;
        return {
          page: document.documentElement.scrollWidth,
          view: window.innerWidth,
          cell: cell?.getBoundingClientRect().width ?? 0,
          // Lines one goal wraps to: squeezed between the count columns it read a word a line.
          lines: item ? Math.round(item.getBoundingClientRect().height / lineHeight) : 0,
        };
      });
      expect(sizes.page, 'the page scrolls sideways').toBeLessThanOrEqual(sizes.view);
      expect(sizes.cell).toBeGreaterThanOrEqual(224);
      expect(sizes.lines).toBeGreaterThan(0);
      expect(sizes.lines).toBeLessThanOrEqual(3);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('board pack: a goals page with the org and every team, status and n, demo data marked', async () => {
    await page.goto(`${server.url}/board-pack?${period}`);
    await page.locator('main.board-pack[data-ready="true"]').waitFor({ timeout: 120_000 });
    const goals = page.getByTestId('board-goals');
    expect(await goals.count()).toBe(1);
    expect(await goals.locator('h2').innerText()).toBe('6. Goals');
    expect(await goals.getByTestId('board-demo').innerText()).toMatch(/demo data/i);
    const rows = await goals
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-scope'),
          tr.getAttribute('data-metric'),
          tr.querySelector('.goal-status')?.getAttribute('data-status'),
          tr.querySelector('[data-testid="board-goal-n"]')?.textContent,
        ]),
      );
    // Recomputed from the API's own answers: the org's goals first, then each team's in order.
    const answer = await page.evaluate(async () => {
      const q = 'from=2026-09-07&to=2026-10-05';
      const org = await (await fetch(`/api/org/goals?${q}`)).json();
      const teams = await (await fetch(`/api/teams/goals?${q}`)).json();
      return { org, teams };
    });
    const { org, teams } = answer as { org: GoalStatusList; teams: TeamsGoalStatus };
    expect(rows).toEqual([
      ...org.goals.map((g) => ['org', g.goal.metric, g.status, String(g.n)]),
      ...teams.teams.flatMap((t) => t.goals.map((g) => [t.team.slug, g.goal.metric, g.status, String(g.n)])),
    ]);
    // 4 deployments in 4 weeks: 1/week meets the org's >= 1/week.
    expect(rows[0]).toEqual(['org', 'deployment_frequency', 'met', '4']);
    expect(rows.map((r) => r[0])).toEqual(['org', 'checkout', 'checkout', 'checkout', 'search']);
    expect(await goals.getByTestId('board-goals-summary').innerText()).toBe(
      '5 goals (2 teams and the organisation): 3 met, 0 at risk, 1 missed, 1 not judged.',
    );
    expect(await goals.locator('.board-footnotes').innerText()).toContain(
      'Period 2026-09-07 – 2026-10-04 (UTC, end inclusive)',
    );
    await goals.screenshot({ path: `${artifacts}goals-board-pack.png` });
    // Printed, the goals are a page of their own after the five metric pages, nothing cut off.
    await page.emulateMedia({ media: 'print' });
    expect(
      await page
        .locator('.board-section')
        .evaluateAll((nodes) => nodes.filter((n) => n.scrollHeight > n.clientHeight + 1).length),
    ).toBe(0);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length).toBe(
      (await page.getByTestId('board-section').count()) + 1,
    );
  }, 180_000);

  it('overview: previews the weekly org digest as it would be sent', async () => {
    await page.goto(`${server.url}/?${period}`);
    await page.getByText('Preview of the weekly org digest').click();
    const preview = page.getByTestId('digest-preview');
    await preview.waitFor({ timeout: 90_000 });
    const text = await preview.innerText();
    const sent = (await page.evaluate(async () => (await fetch('/api/org/digest')).json())) as {
      text: string;
    };
    expect(text).toBe(sent.text.trim());
    expect(text).toContain('Goals');
    expect(text).toContain('Deployments per week >= 1/week');
    expect(text).toMatch(
      /Open in Stride: http:\/\/127\.0\.0\.1:3000\/\?period=custom&from=\d{4}-\d{2}-\d{2}&to=/,
    );
  }, 120_000);

  // Last: it creates tokens, which closes reads to anyone without one.
  it('goals and events admin: hidden and refused for a viewer; an admin adds, edits and deletes goals and events', async () => {
    const viewer = await createApiToken(database.db, { name: 'viewer', role: 'viewer' });
    const admin = await createApiToken(database.db, { name: 'admin', role: 'admin' });
    const context = await server.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const p = await context.newPage();
    await p.goto(`${server.url}/admin`);
    await p.getByTestId('token-input').fill(viewer.token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('admin-refused').waitFor({ timeout: 60_000 });
    expect(await p.getByTestId('admin-refused').innerText()).toContain('signed in with a viewer token');
    expect(await p.getByRole('link', { name: 'Goals and events' }).count()).toBe(0);
    // The API decides, whatever the page shows: a viewer's session cannot add a goal.
    const refused = await p.evaluate(async () => {
      const res = await fetch('/api/admin/goals', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metric: 'throughput', statistic: 'value', target: 1, direction: '>=' }),
      });
      return res.status;
    });
    expect(refused).toBe(403);

    await p.getByTestId('admin-token-input').fill(admin.token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    const goals = p.getByTestId('goal-admin');
    await goals.locator('tr[data-origin="config"]').first().waitFor({ timeout: 60_000 });
    expect(await p.getByRole('link', { name: 'Goals and events' }).count()).toBe(1);
    // Config goals are listed, not editable here.
    expect(await goals.locator('tr[data-origin="config"] button').count()).toBe(0);

    const form = p.getByRole('form', { name: 'New goal' });
    await form.getByLabel('Team').selectOption('checkout');
    await form.getByLabel('Figure').selectOption('deployment_frequency');
    await form.getByLabel('Direction').selectOption('>=');
    await form.getByLabel('Target').fill('fast');
    await form.getByRole('button', { name: 'Add goal' }).click();
    await form.getByTestId('admin-error').waitFor({ timeout: 30_000 });
    expect(await form.getByTestId('admin-error').innerText()).toMatch(/target: 'fast' is not a number/);
    await form.getByLabel('Target').fill('2');
    await form.getByRole('button', { name: 'Add goal' }).click();
    const added = goals.locator('tr[data-origin="api"]');
    await added.waitFor({ timeout: 30_000 });
    expect(await added.innerText()).toContain('Deployments per week >= 2/week');

    await added.getByRole('button', { name: 'Edit' }).click();
    const edit = p.getByRole('form', { name: 'Edit goal' });
    expect(await edit.getByLabel('Target').inputValue()).toBe('2');
    await edit.getByLabel('Target').fill('1');
    await edit.getByRole('button', { name: 'Save goal' }).click();
    await p.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="goal-admin"] tr[data-origin="api"]')
          ?.textContent?.includes('>= 1/week'),
      undefined,
      { timeout: 30_000 },
    );

    const events = p.getByTestId('event-admin');
    expect(await events.locator('tr[data-origin="config"]').count()).toBe(2);
    const eventForm = p.getByRole('form', { name: 'New event' });
    await eventForm.getByLabel('Team').selectOption('checkout');
    await eventForm.getByLabel('Kind').selectOption('tool_adoption');
    await eventForm.getByLabel('Title').fill('Merge queue on');
    await eventForm.getByLabel('Date', { exact: true }).fill('2026-09-24');
    await eventForm.getByRole('button', { name: 'Add event' }).click();
    await events.locator('tr[data-origin="api"]').waitFor({ timeout: 30_000 });
    expect(await events.locator('tr[data-origin="api"]').innerText()).toContain(
      'Tool adoption: Merge queue on',
    );
    // Config events are listed, not editable here; the admin's own event is, from a prefilled form.
    expect(await events.locator('tr[data-origin="config"] button').count()).toBe(0);
    await events.locator('tr[data-origin="api"]').getByRole('button', { name: 'Edit' }).click();
    const editEvent = p.getByRole('form', { name: 'Edit event' });
    expect(await editEvent.getByLabel('Team').inputValue()).toBe('checkout');
    expect(await editEvent.getByLabel('Kind').inputValue()).toBe('tool_adoption');
    expect(await editEvent.getByLabel('Title').inputValue()).toBe('Merge queue on');
    expect(await editEvent.getByLabel('Date', { exact: true }).inputValue()).toBe('2026-09-24');
    expect(await editEvent.getByLabel('Last day').inputValue()).toBe('');
    await editEvent.getByLabel('Title').fill('Merge queue for every repository');
    await editEvent.getByLabel('Last day').fill('2026-09-25');
    await editEvent.getByRole('button', { name: 'Save event' }).click();
    await p.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="event-admin"] tr[data-origin="api"]')
          ?.textContent?.includes('Merge queue for every repository'),
      undefined,
      { timeout: 30_000 },
    );
    // Replaced, not added: still one admin event, with the new last day, and the form is a new one.
    expect(await events.locator('tr[data-origin="api"]').count()).toBe(1);
    expect(await events.locator('tr[data-origin="api"]').innerText()).toContain('2026-09-24 – 2026-09-25');
    await p.getByRole('form', { name: 'New event' }).waitFor({ timeout: 30_000 });

    // The team page shows the admin's goal with its status, and the event on its charts.
    await p.goto(`${server.url}/teams/checkout?${period}`);
    const row = p.getByTestId('goal-status').first().locator('tr[data-metric="deployment_frequency"]');
    await row.waitFor({ timeout: 90_000 });
    expect(await row.innerText()).toContain('Deployments per week >= 1/week');
    expect(await row.locator('.goal-status').getAttribute('data-status')).toBe('met');
    const card = p.locator('section.chart-card', { hasText: 'Change failure rate by week' });
    await card.getByTestId('annotation-list').waitFor({ timeout: 60_000 });
    expect(await card.getByTestId('annotation-list').innerText()).toContain(
      'Tool adoption: Merge queue for every repository',
    );

    await p.goto(`${server.url}/admin`);
    const mine = p.getByTestId('event-admin').locator('tr[data-origin="api"]');
    await mine.waitFor({ timeout: 60_000 });
    await mine.getByRole('button', { name: 'Delete' }).click();
    await mine.waitFor({ state: 'detached', timeout: 30_000 });
    await p
      .getByTestId('goal-admin')
      .locator('tr[data-origin="api"]')
      .getByRole('button', { name: 'Delete' })
      .click();
    await p
      .getByTestId('goal-admin')
      .locator('tr[data-origin="api"]')
      .waitFor({ state: 'detached', timeout: 30_000 });
    await context.close();
  }, 240_000);
});
