import {
  type Db,
  syncPlansFromConfig,
  syncTeamsFromConfig,
  upsertDeployments,
  upsertPullRequests,
  upsertRepositories,
} from '@stride/db';
import { deriveLinks } from '@stride/ingest';
import { parseStrideConfig, type TeamConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, downloadFrom, openDownloadPage, startDashboard } from '../support/browser.ts';

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
const config = parseStrideConfig({
  teams: [
    {
      ...team,
      goals: [{ metric: 'change_failure_rate', statistic: 'value', target: '10%', direction: '<=' }],
    },
  ],
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
  ]);
  await deriveLinks(db, { repositoryIds: 'all', attributionWindowDays: 7 });
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
});
