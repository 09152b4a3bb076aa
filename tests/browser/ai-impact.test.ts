import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { upsertCopilotMetricsDays } from '@stride/db';
import type { AiImpact } from '@stride/shared';
import { type SeededOrg, seedDashboardOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, downloadFrom, openDownloadPage, startDashboard } from '../support/browser.ts';
import { parseCsv } from '../support/parse-csv.ts';

// The AI-impact page in Chromium over the dashboard org with the model's AI adoption.
let database: TestDatabase;
let org: SeededOrg;
let server: DashboardServer;
let page: Page;
let api: AiImpact;
const QUERY = 'period=90d&granularity=week';
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

beforeAll(async () => {
  database = await createTestDatabase();
  // AI adoption from the organisation model: the first team adopts early, the second half-way,
  // the third never; AI PRs carry their tools' trailers (classified as the collector does) and a
  // fifth of them are opened by the Copilot coding agent.
  org = await seedDashboardOrg(database.db, {
    now: new Date(),
    days: 120,
    seed: 11,
    teamCount: 3,
    aiAdoption: {
      teams: [{ at: 0.1, share: 0.6 }, { at: 0.5, share: 0.5 }, null],
      rampDays: 20,
      agentShare: 0.2,
    },
  });
  // Copilot metrics for the organisation and the first team only: the others are "not collected".
  const days = Array.from({ length: 100 }, (_, i) => new Date(Date.now() - (i + 1) * 86_400_000));
  await upsertCopilotMetricsDays(
    database.db,
    ['', org.teams[0]!.slug].flatMap((team, k) =>
      days.map((d, i) => ({
        org: 'acme',
        github_team: team,
        day: d.toISOString().slice(0, 10),
        total_active_users: (k === 0 ? 20 : 8) + (i % 5),
        total_engaged_users: (k === 0 ? 15 : 6) + (i % 3),
        code_suggestions: 400 + i,
        code_acceptances: 100 + (i % 7),
      })),
    ),
  );
  server = await startDashboard(database.db, org.teams);
  page = await openDownloadPage(server, { width: 1440, height: 900 });
  await page.goto(`${server.url}/ai-impact?${QUERY}`);
  await page.getByTestId('ai-comparison-table').first().waitFor({ timeout: 120_000 });
}, 300_000);

afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

/** The page's own API answer (same filters as the URL), fetched in the page. */
async function pageAnswer(): Promise<AiImpact> {
  const href = await page.getByRole('link', { name: 'CSV (every scope and band)' }).getAttribute('href');
  const jsonUrl = href!.replace('/api/ai-impact.csv', '/api/ai-impact');
  return page.evaluate(async (u) => (await fetch(u)).json(), jsonUrl);
}

/** Waits for `locator`; a time-out fails with what the page's `main` showed instead (CI output). */
async function waitShowing(p: Page, locator: Locator, timeout: number): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (error) {
    const main = await p
      .locator('main')
      .first()
      .innerText({ timeout: 5_000 })
      .catch((e: unknown) => `(no main: ${String(e)})`);
    throw new Error(`${(error as Error).message}\n--- ${p.url()} showed in <main> ---\n${main}`);
  }
}

describe('AI impact page in Chromium', () => {
  it('shows the adoption headline, the caveats, and the comparison table with n and intervals from the API', async () => {
    api = await pageAnswer();
    expect(await page.getByTestId('ai-caveats').innerText()).toMatch(/Observational data/);
    expect(await page.getByTestId('ai-headline').innerText()).toContain(`${api.adoption.n} classified PRs`);
    const rows = page.getByTestId('ai-comparison-table').first().locator('tbody tr');
    expect(await rows.count()).toBe(8);
    const coding = api.comparison.metrics.find((m) => m.metric === 'codingTime')!;
    const codingRow = await rows.filter({ has: page.locator('th', { hasText: 'Coding time' }) }).innerText();
    expect(codingRow).toContain(`n ${coding.group.n}`);
    expect(codingRow).toContain(`n ${coding.baseline.n}`);
    expect(codingRow).toMatch(coding.enoughData ? /95 % CI/ : /not enough data/);
    // One adoption line per team plus the organisation's.
    const chart = page.locator('[data-chart^="ai-adoption"]').first();
    expect(await chart.locator('g.recharts-line.series-line path.recharts-line-curve').count()).toBe(
      1 + org.teams.length,
    );
    // Copilot daily active users: a line for the organisation and the collected team; the others named.
    const copilot = page.locator('[data-chart^="copilot-active-users"]').first();
    await copilot
      .locator('g.recharts-line.series-line path.recharts-line-curve')
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await copilot.locator('g.recharts-line.series-line path.recharts-line-curve').count()).toBe(2);
    expect(api.copilot.collected).toBe(true);
    const missing = await page.getByTestId('copilot-not-collected').innerText();
    for (const team of org.teams.slice(1)) expect(missing).toContain(`${team.name}: not collected`);
    expect(missing).not.toContain(`${org.teams[0]!.name}: not collected`);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}ai-impact-page.png`, fullPage: true });
  });

  it('drills down to the PRs of a group with their evidence and no author names; the view is in the URL', async () => {
    await page
      .getByTestId('ai-comparison-table')
      .first()
      .getByRole('button', { name: 'PRs' })
      .first()
      .click();
    const list = page.getByTestId('ai-changes-table');
    await list.waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('aiGroup')).toBe('ai');
    const text = await list.innerText();
    expect(text).toContain('Claude Code');
    expect(text).toContain('Co-Authored-By: Claude <noreply@anthropic.com>');
    const logins = org.teams
      .flatMap((t) => t.members.map((m) => m.github))
      .filter((l): l is string => Boolean(l));
    for (const login of logins) expect(text).not.toContain(login);
    // A reload keeps the view.
    await page.reload();
    await page.getByTestId('ai-changes-table').waitFor({ timeout: 60_000 });
  });

  it('switches the comparison to one team and a size band through the URL', async () => {
    const team = org.teams[0]!;
    await page.getByLabel('Scope').selectOption(team.slug);
    await page.getByLabel('PR size').selectOption('s');
    // The switch is drawn from the answer already loaded (it holds every team and band): no request.
    await waitShowing(page, page.locator('caption', { hasText: `${team.name} · 51–200 lines` }), 60_000);
    const params = new URL(page.url()).searchParams;
    expect([params.get('aiTeam'), params.get('aiBand')]).toEqual([team.slug, 's']);
    const rows = page.getByTestId('ai-comparison-table').first().locator('tbody tr');
    expect(await rows.count()).toBe(7); // PR size is not compared within a size band
  }, 120_000);

  it('keeps both view changes made before the page re-renders (team, then size band)', async () => {
    const p = await openDownloadPage(server, { width: 1440, height: 900 });
    try {
      await p.goto(`${server.url}/ai-impact?${QUERY}&aiGroup=ai`);
      await waitShowing(p, p.getByTestId('ai-comparison-table').first(), 120_000);
      const team = org.teams[1]!;
      // Both choices in one task, so React cannot re-render in between (as on a loaded CI machine).
      await p.evaluate((slug) => {
        const choose = (label: string, value: string) => {
          const select = Array.from(document.querySelectorAll('label'))
            .find((l) => l.textContent?.trim().startsWith(label))!
            .querySelector('select')!;
          select.value = value;
          select.dispatchEvent(new Event('change', { bubbles: true }));
        };
        choose('Scope', slug);
        choose('PR size', 'm');
      }, team.slug);
      await waitShowing(p, p.locator('caption', { hasText: `${team.name} · 201–400 lines` }), 60_000);
      const params = new URL(p.url()).searchParams;
      expect([params.get('aiTeam'), params.get('aiBand'), params.get('aiGroup')]).toEqual([
        team.slug,
        'm',
        null,
      ]);
    } finally {
      await p.context().close();
    }
  }, 240_000);

  it('keeps the figures on screen when a background refresh fails (503), with a notice and Retry', async () => {
    // Its own page, with Playwright's clock (time flows as usual; fastForward ages the cached answer).
    const p = await openDownloadPage(server, { width: 1440, height: 900 });
    try {
      await p.clock.install();
      await p.goto(`${server.url}/ai-impact?${QUERY}`);
      await waitShowing(p, p.getByTestId('ai-comparison-table').first(), 120_000);
      await p.getByRole('main').getByRole('link', { name: 'Board pack' }).click();
      await waitShowing(p, p.getByTestId('ai-board-teams'), 60_000);
      // From now on the AI-impact answer fails as an overloaded database makes it fail.
      let refused = 0;
      await p.route(/\/api\/ai-impact\?/, (route) => {
        refused += 1;
        return route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'query_timeout', message: 'The query took too long' } }),
        });
      });
      // Past the 60 s staleTime: going back mounts the page over a stale answer, which refetches.
      await p.clock.fastForward('02:00');
      await p.getByRole('link', { name: 'Back to AI impact' }).click();
      const notice = p.getByTestId('refresh-failed');
      await waitShowing(p, notice, 60_000); // after react-query's two retries
      expect(refused).toBe(3);
      expect(await notice.getAttribute('role')).toBe('status');
      expect(await notice.innerText()).toContain('Could not refresh: The query took too long');
      expect(await p.getByRole('alert').count()).toBe(0);
      expect(await p.getByTestId('ai-headline').innerText()).toMatch(/classified PRs/);
      // The page stays usable: the team and size-band view is drawn from the data it holds.
      const team = org.teams[1]!;
      await p.getByLabel('Scope').selectOption(team.slug);
      await p.getByLabel('PR size').selectOption('xs');
      await waitShowing(p, p.locator('caption', { hasText: `${team.name} · up to 50 lines` }), 60_000);
      // Retry once the API answers again: the notice goes.
      await p.unroute(/\/api\/ai-impact\?/);
      await notice.getByRole('button', { name: 'Retry' }).click();
      await notice.waitFor({ state: 'detached', timeout: 120_000 });
      expect(await p.locator('caption', { hasText: `${team.name} · up to 50 lines` }).count()).toBe(1);
    } finally {
      await p.context().close();
    }
  }, 300_000);

  it('exports the comparison CSV, the adoption chart as CSV and PNG, and the before/after CSV', async () => {
    const all = await downloadFrom(page, () =>
      page.getByRole('link', { name: 'CSV (every scope and band)' }).click(),
    );
    const [header, ...rows] = parseCsv(all.body.toString('utf8'));
    expect(header!.slice(0, 4)).toEqual(['scope', 'comparison', 'band', 'metric']);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['org', ...org.teams.map((t) => t.slug)]));
    const adoptionCsv = await downloadFrom(page, () =>
      page.getByRole('button', { name: 'Download AI-assisted share of merged PRs as CSV' }).click(),
    );
    const adoption = parseCsv(adoptionCsv.body.toString('utf8'));
    expect(adoption[0]).toEqual([
      'scope',
      'bucket',
      'merged',
      'agent',
      'assisted',
      'none',
      'unclassified',
      'classified_n',
      'ai_share',
    ]);
    const orgRows = adoption.slice(1).filter((r) => r[0] === 'organisation');
    expect(orgRows.reduce((n, r) => n + Number(r[7]), 0)).toBe(api.adoption.n);
    const png = await downloadFrom(page, () =>
      page.getByRole('button', { name: 'Download AI-assisted share of merged PRs as PNG' }).click(),
    );
    expect([...png.body.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const team = org.teams[0]!;
    const beforeAfter = await downloadFrom(page, () =>
      page
        .getByRole('button', { name: `Download ${team.name}: before and after AI adoption as CSV` })
        .click(),
    );
    expect(parseCsv(beforeAfter.body.toString('utf8'))[0]![0]).toBe('team');
    const copilotCsv = await downloadFrom(page, () =>
      page.getByRole('button', { name: 'Download Copilot daily active users as CSV' }).click(),
    );
    const copilot = parseCsv(copilotCsv.body.toString('utf8'));
    expect(copilot[0]).toEqual([
      'scope',
      'bucket',
      'days',
      'active_users_mean',
      'active_users_max',
      'engaged_users_mean',
      'code_suggestions',
      'code_acceptances',
    ]);
    const orgCopilot = copilot.slice(1).filter((r) => r[0] === 'organisation');
    expect(orgCopilot.map((r) => Number(r[3]))).toEqual(
      api.copilot.series.map((b) => expect.closeTo(b.activeUsersMean, 6)),
    );
    expect(rows.filter((r) => r[1] === 'copilot_usage').length).toBeGreaterThan(0);
  });

  it('prints a board pack with the caveats, adoption and every team', async () => {
    await page.goto(`${server.url}/ai-impact/board-pack?${QUERY}`);
    const teams = page.getByTestId('ai-board-teams');
    await teams.waitFor({ timeout: 120_000 });
    expect(await teams.locator('tbody tr').count()).toBe(org.teams.length);
    expect(await page.getByTestId('ai-caveats').innerText()).toMatch(/Selection effects/);
    expect(await page.locator('[data-chart^="ai-adoption"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${artifacts}ai-impact-board-pack.png`, fullPage: true });
  });
});
