import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  type Db,
  syncTeamsFromConfig,
  upsertDeployments,
  upsertIncidents,
  upsertPullRequestReviews,
  upsertPullRequests,
  upsertRepositories,
} from '@stride/db';
import { deriveLinks } from '@stride/ingest';
import type { TeamConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, startDashboard } from '../support/browser.ts';

// What a board must not be misled by, checked on screen: changes of rates in percentage points,
// a rise from zero with its direction, n beside every figure, "too few" instead of a level on a
// small sample, lines broken (never interpolated) at empty buckets, the previous period named.
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(`${iso}Z`);

// Four whole ISO weeks (Mondays) and the four before them.
const period = 'period=custom&from=2026-09-07&to=2026-10-05&granularity=week&benchmark=2023';
const team: TeamConfig = {
  slug: 'checkout',
  name: 'Checkout',
  timezone: 'UTC',
  members: [
    { name: 'Ada', github: 'ada' },
    { name: 'Bo', github: 'bo' },
  ],
  repositories: ['acme/checkout'],
  jiraProjects: ['CHK'],
};

/**
 * Previous period (10 Aug – 6 Sep): 5 deployments, none failed (change failure rate 0 %).
 * This period (7 Sep – 4 Oct): 3 deployments, in weeks 1, 2 and 4 (week 3 has none), the first
 * caused one incident that took 26 days to resolve (failure rate 33 %, recovery 26d on n = 1).
 * Since the retro (21 Sep): one PR merged without review; before it, one reviewed PR.
 */
async function seedSmallTeam(db: Db): Promise<void> {
  const teamIds = await syncTeamsFromConfig(db, [team]);
  const repoIds = await upsertRepositories(db, [
    {
      external_id: 'gh-acme/checkout',
      full_name: 'acme/checkout',
      html_url: 'https://github.com/acme/checkout',
      default_branch: 'main',
    },
  ]);
  const repositoryId = repoIds.get('acme/checkout')!;
  const times = [
    '2026-08-11T10:00:00',
    '2026-08-17T10:00:00',
    '2026-08-24T10:00:00',
    '2026-08-31T10:00:00',
    '2026-09-03T10:00:00',
    '2026-09-08T10:00:00',
    '2026-09-15T10:00:00',
    '2026-09-29T10:00:00',
  ];
  await upsertDeployments(
    db,
    times.map((time, i) => ({
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
      url: `https://github.com/acme/checkout/deployments/${i + 1}`,
    })),
  );
  const pr = (number: number, opened: string, merged: string) => ({
    repository_id: repositoryId,
    external_id: `checkout-pr-${number}`,
    number,
    title: `Change ${number}`,
    author_login: 'ada',
    state: 'merged' as const,
    base_branch: 'main',
    head_branch: `change-${number}`,
    created_at: at(opened),
    first_commit_at: at(opened),
    merged_at: at(merged),
    closed_at: at(merged),
    source_updated_at: at(merged),
    additions: 20,
    deletions: 5,
    changed_files: 2,
    labels: [],
    is_unplanned: false,
    html_url: `https://github.com/acme/checkout/pull/${number}`,
  });
  const prIds = await upsertPullRequests(db, [
    pr(1, '2026-09-14T09:00:00', '2026-09-14T15:00:00'),
    pr(2, '2026-09-28T09:00:00', '2026-09-28T15:00:00'),
  ]);
  // PR 1 (before the retro) was reviewed by Bo; PR 2 (since) was merged without review.
  await upsertPullRequestReviews(db, [
    {
      pull_request_id: prIds.get('checkout-pr-1')!,
      external_id: 'checkout-pr-1-r1',
      reviewer_login: 'bo',
      state: 'APPROVED',
      submitted_at: at('2026-09-14T12:00:00'),
    },
  ]);
  await upsertIncidents(db, [
    {
      source: 'jira' as const,
      external_id: 'jira-CHK-1',
      key: 'CHK-1',
      title: 'Checkout down',
      repository_id: repositoryId,
      team_id: teamIds.get('checkout')!,
      jira_project_key: 'CHK',
      severity: 'high',
      started_at: at('2026-09-08T12:00:00'),
      resolved_at: new Date(at('2026-09-08T12:00:00').getTime() + 26 * DAY),
      url: 'https://acme.atlassian.net/browse/CHK-1',
      source_updated_at: at('2026-10-04T12:00:00'),
    },
  ]);
  await deriveLinks(db, { repositoryIds: 'all', attributionWindowDays: 7 });
}

let database: TestDatabase;
let server: DashboardServer;
let page: Page;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedSmallTeam(database.db);
  server = await startDashboard(database.db, [team]);
  page = await server.browser.newPage({ viewport: { width: 1440, height: 900 } });
  await mkdir(artifacts, { recursive: true });
});

afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

const cell = (scope: string, metric: string) =>
  page.locator(`tr[data-team="${scope}"] [data-metric="${metric}"]`);

describe('honest figures in Chromium', () => {
  it('overview: a rate rising from 0 % reads +33 pp, worse, with its n and "too few" instead of a level', async () => {
    await page.goto(`${server.url}/?${period}`);
    const cfr = cell('checkout', 'changeFailureRate');
    await cfr.waitFor({ timeout: 90_000 });
    expect(await cfr.locator('a.metric-value').innerText()).toBe('33 %');
    const trend = cfr.locator('.trend');
    // From 0 % the change has a size and a direction: +33 pp, not "—" nor +∞ %.
    expect(await trend.innerText()).toContain('+33 pp');
    expect(await trend.getAttribute('data-direction')).toBe('up');
    expect(await trend.getAttribute('data-tone')).toBe('worse');
    expect(await trend.getAttribute('title')).toBe('+33 pp, worse vs 10 Aug – 6 Sep 2026');
    // n is on screen, and 3 deployments are too few for a level ("Low" on 3 would mislead).
    expect(await cfr.getByTestId('sample-n').innerText()).toBe('n = 3 deployments');
    expect(await cfr.locator('.level-badge').innerText()).toBe('too few');
    const recovery = cell('checkout', 'failedDeploymentRecoveryTime');
    expect(await recovery.locator('a.metric-value').innerText()).toBe('26d');
    expect(await recovery.getByTestId('sample-n').innerText()).toBe('n = 1 incident');
    expect(await recovery.locator('.level-badge').innerText()).toBe('too few');
    // The previous period is named on the page.
    expect(await page.getByTestId('compared-with').innerText()).toContain(
      '7 Sep – 4 Oct 2026 vs 10 Aug – 6 Sep 2026 (the 28 days before)',
    );
    // ... and in each chart's subtitle, which the PNG export carries.
    const subtitle = page.locator(
      'section.chart-card[aria-label="Organisation change failure rate"] .subtitle',
    );
    expect(await subtitle.innerText()).toContain('33 %, +33 pp, worse vs 10 Aug – 6 Sep 2026 (was 0 %)');
    await page.screenshot({ path: `${artifacts}honest-overview.png`, fullPage: true });
  });

  it('team page: straight lines broken at the empty week, faint small-n points, n in the tooltip', async () => {
    await page.goto(`${server.url}/teams/checkout?${period}`);
    const card = page.locator('section.chart-card[aria-label="Change failure rate by week"]');
    const line = card.locator('path.recharts-line-curve').first();
    await line.waitFor();
    const d = (await line.getAttribute('d')) ?? '';
    // Weeks 1, 2 and 4 have deployments, week 3 none: two pieces (two moveto), no curve commands.
    expect(d.match(/M/g)?.length).toBe(2);
    expect(d).not.toMatch(/C/);
    expect(await card.getByTestId('chart-note').first().innerText()).toMatch(/no data in that week/);
    // Each week has one deployment: every point is drawn faint (n < 5).
    expect(await card.locator('circle.weak-point').count()).toBe(3);
    expect(await card.locator('circle.point').count()).toBe(0);
    // The tooltip of the 26-day recovery says it rests on one incident.
    const recovery = page.locator('section.chart-card[aria-label="Failed deployment recovery time by week"]');
    const point = recovery.locator('circle.weak-point').first();
    await point.hover({ force: true });
    await expect
      .poll(() => recovery.locator('.recharts-tooltip-wrapper').innerText(), { timeout: 5_000 })
      .toMatch(/26d \(1 incident, too few to judge\)/);
    await page.screenshot({ path: `${artifacts}honest-team.png`, fullPage: true });
  });

  it('retro: a rise from 0 to 1 merged without review reads 0 → 1, worse, with n on both sides', async () => {
    await page.goto(`${server.url}/teams/checkout?${period}&retro=2026-09-21`);
    const row = page.locator('[data-testid="retro-table"] tr[data-signal="Merged without review"]');
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toBe('0 n = 1 PR');
    expect(cells[1]).toBe('1 n = 1 PR');
    expect(cells[2]).toContain('0 → 1, worse');
    expect(await row.locator('.trend').getAttribute('data-tone')).toBe('worse');
    // Deployments: 2 before (8 and 15 Sep), 1 since (29 Sep), each side with its n.
    const deployments = page.locator('[data-testid="retro-table"] tr[data-signal="Deployments"]');
    expect(await deployments.locator('td').allInnerTexts()).toEqual([
      '2 n = 2 deployments',
      '1 n = 1 deployment',
      '↓ −50 %, worse',
    ]);
    expect(await page.getByTestId('retro-before').innerText()).toBe('7 Sep – 20 Sep 2026');
    await page.getByTestId('retro-table').screenshot({ path: `${artifacts}honest-retro.png` });
  });

  it('board pack: deployment frequency compares per week with per week, rates in pp, n on every row', async () => {
    await page.goto(`${server.url}/board-pack?${period}`);
    await page.locator('main.board-pack[data-ready="true"]').waitFor();
    const sections = page.getByTestId('board-section');
    const frequency = sections.nth(0);
    const org = frequency.locator('tr.org-row');
    // 3 deployments in 4 weeks now, 5 in the 4 weeks before: 0.8/week (was 1.3/week), −40 %.
    expect(await org.locator('.board-value').innerText()).toBe('0.8/week');
    expect(await org.getByTestId('board-change').innerText()).toBe('↓ −40 %, worse (was 1.3/week)');
    expect(await org.getByTestId('board-basis').innerText()).toMatch(/^n = 3 deployments/);
    expect(await frequency.locator('thead').innerText()).toContain('vs 10 Aug – 6 Sep 2026');
    const failure = sections.nth(2).locator('tr.org-row');
    expect(await failure.getByTestId('board-change').innerText()).toBe('↑ +33 pp, worse (was 0 %)');
    expect(await failure.locator('.level-badge').innerText()).toBe('too few');
    expect(await sections.nth(2).locator('.board-footnotes').innerText()).toContain(
      'the period of the same length just before it, 10 Aug – 6 Sep 2026',
    );
    await page.screenshot({ path: `${artifacts}honest-board-pack.png`, fullPage: true });
  });

  it('board meetings: "Last 4 quarters" shows quarter buckets; a year-long custom range goes by month', async () => {
    await page.goto(`${server.url}/?${period}`);
    await cell('checkout', 'changeFailureRate').waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Last 4 quarters' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('granularity')).toBe('quarter');
    expect(new URL(page.url()).searchParams.get('period')).toBe('last-4-quarters');
    // The four full quarters before the current one, each a tick named by quarter.
    const now = new Date();
    const quarter = Math.floor(now.getUTCMonth() / 3);
    const expected = [4, 3, 2, 1].map((back) => {
      const index = now.getUTCFullYear() * 4 + quarter - back;
      return `Q${(index % 4) + 1} ${Math.floor(index / 4)}`;
    });
    const chart = page.locator('section.chart-card[aria-label="Organisation deployment frequency"]');
    await expect
      .poll(() => chart.locator('.recharts-xAxis-tick-labels text').allTextContents(), {
        timeout: 30_000,
      })
      .toEqual(expected);
    expect(await page.getByLabel('Trend by').inputValue()).toBe('quarter');
    await page.screenshot({ path: `${artifacts}honest-quarters.png`, fullPage: true });

    // From weekly buckets, a custom range of a year comes back by month.
    await page.goto(`${server.url}/?${period}`);
    await cell('checkout', 'changeFailureRate').waitFor({ timeout: 90_000 });
    await page.getByLabel('From').fill('2025-10-01');
    await page.getByLabel('To (exclusive)').fill('2026-10-01');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('granularity')).toBe('month');
    expect(new URL(page.url()).searchParams.get('from')).toBe('2025-10-01');
  }, 240_000);
});
