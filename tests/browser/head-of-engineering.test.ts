import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TeamConfig } from '@stride/shared/config';
import type { SeededOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, openDownloadPage, startDashboard } from '../support/browser.ts';
import { seedWithQuietTeam } from '../support/seed-with-quiet-team.ts';

// "Which teams got worse this quarter, on which metric, and why?": the size of each change in
// the cell, sortable columns, a "got worse only" filter kept in the URL, teams without data
// last, and from a failed deployment to its incidents and PRs (and back from an incident to its
// deployment) in two clicks; drill-down tabs drop the filters the new list does not have.
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

let database: TestDatabase;
let org: SeededOrg;
let server: DashboardServer;
let page: Page;
let quiet: TeamConfig;
const PERIOD = 'period=90d&benchmark=2023';

beforeAll(async () => {
  database = await createTestDatabase();
  let teams: TeamConfig[];
  ({ org, quiet, teams } = await seedWithQuietTeam(
    database.db,
    { now: new Date(), days: 200, seed: 5, teamCount: 5 },
    'Aardvark (no data)',
  ));
  server = await startDashboard(database.db, teams);
  page = await openDownloadPage(server, { width: 1440, height: 900 });
  await mkdir(artifacts, { recursive: true });
});

afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

const teamRows = () => page.locator('[data-testid="dora-table"] tbody tr:not(.org-row)');
const teamOrder = async () =>
  (await teamRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-team')))) as string[];
/** A cell's headline as a number (`12 %` → 12, `2d 4h` in hours, `3.5/week` → 3.5); null for `—`. */
const headline = (text: string): number | null => {
  if (text === '—') return null;
  const duration = [...text.matchAll(/(\d+(?:\.\d+)?)([dhms])/g)];
  if (duration.length > 0) {
    const hours = { d: 24, h: 1, m: 1 / 60, s: 1 / 3600 } as const;
    return duration.reduce((sum, [, n, u]) => sum + Number(n) * hours[u as keyof typeof hours], 0);
  }
  return Number.parseFloat(text.replace(/,/g, ''));
};

async function openOverview(query = PERIOD): Promise<void> {
  await page.goto(`${server.url}/?${query}`);
  await page
    .locator(`tr[data-team="${org.teams[0]!.slug}"] .metric-cell`)
    .first()
    .waitFor({ timeout: 120_000 });
}

describe('Head of Engineering in Chromium', () => {
  it('shows the size of every change in its cell (pp for rates, % otherwise) and keeps teams without data last', async () => {
    await openOverview();
    let sized = 0;
    for (const team of org.teams) {
      for (const [metric, unit] of [
        ['deploymentFrequency', /^[+−]\d+ %$|→/],
        ['changeLeadTime', /^[+−]\d+ %$/],
        ['changeFailureRate', /^[+−]\d+(\.\d)? pp$/],
        ['deploymentReworkRate', /^[+−]\d+(\.\d)? pp$/],
      ] as const) {
        const trend = page.locator(`tr[data-team="${team.slug}"] [data-metric="${metric}"] .trend`);
        const tone = await trend.getAttribute('data-tone');
        if (tone === 'neutral') continue;
        // The size is on screen, not only in the hover title: visible text beside the arrow.
        const compact = trend.locator('.trend-compact');
        expect(await compact.isVisible()).toBe(true);
        const text = (await compact.innerText()).replace(/[✓✗]/g, '').trim();
        expect(text, `${team.slug} ${metric}`).toMatch(unit);
        sized++;
      }
    }
    expect(sized).toBeGreaterThan(5);
    // The team without any data sits below every team with data, though its name sorts first.
    expect((await teamOrder()).at(-1)).toBe(quiet.slug);
    await page.screenshot({ path: `${artifacts}hoe-overview.png`, fullPage: true });
  }, 180_000);

  it('sorts by a column both ways (in the URL), teams without data still last', async () => {
    const header = page.locator('[data-testid="dora-table"] th[data-column="changeFailureRate"]');
    // The URL (and the table that mirrors it) updates in a transition: click, then wait for it.
    await header.getByRole('button').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('teamSort')).toBe('changeFailureRate');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    const values = async () => {
      const order = await teamOrder();
      return Promise.all(
        order.map(async (slug) => ({
          slug,
          value: headline(
            await page
              .locator(`tr[data-team="${slug}"] [data-metric="changeFailureRate"] a.metric-value`)
              .innerText(),
          ),
        })),
      );
    };
    const ascending = await values();
    expect(ascending.at(-1)!.slug).toBe(quiet.slug);
    const measured = ascending.filter((v) => v.value !== null).map((v) => v.value!);
    expect(measured.length).toBe(org.teams.length);
    expect(measured).toEqual([...measured].sort((a, b) => a - b));
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    expect(new URL(page.url()).searchParams.get('teamOrder')).toBe('desc');
    const descending = await values();
    expect(descending.at(-1)!.slug).toBe(quiet.slug);
    expect(descending.filter((v) => v.value !== null).map((v) => v.value!)).toEqual(
      [...measured].sort((a, b) => b - a),
    );
    // By team name, A–Z: the team without data is still last.
    await page.locator('[data-testid="dora-table"] th[data-column="team"]').getByRole('button').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('teamSort')).toBe('team');
    const names = [...org.teams].sort((a, b) => a.name.localeCompare(b.name)).map((t) => t.slug);
    await expect.poll(teamOrder).toEqual([...names, quiet.slug]);
  }, 120_000);

  it('"got worse only" keeps exactly the teams with a metric that got worse, and stays in the URL', async () => {
    await openOverview();
    const worse = await teamRows().evaluateAll((rows) =>
      rows
        .filter((r) => r.querySelector('.trend[data-tone="worse"]'))
        .map((r) => r.getAttribute('data-team')),
    );
    expect(worse.length).toBeGreaterThan(0);
    expect(worse.length).toBeLessThan(org.teams.length + 1);
    await page.getByLabel('Got worse only').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('worse')).toBe('true');
    await expect.poll(teamOrder).toEqual(worse);
    expect(await page.getByTestId('worse-count').innerText()).toMatch(
      new RegExp(`^${worse.length} of ${org.teams.length + 1} teams got worse on at least one metric vs `),
    );
    // A link to the view reproduces it.
    await page.reload();
    await page.locator('[data-testid="dora-table"] tbody tr').first().waitFor();
    await expect.poll(teamOrder, { timeout: 60_000 }).toEqual(worse);
    expect(await page.getByLabel('Got worse only').isChecked()).toBe(true);
    await page.screenshot({ path: `${artifacts}hoe-got-worse.png`, fullPage: true });
    await page.getByLabel('Got worse only').click();
    await expect.poll(() => teamRows().count()).toBe(org.teams.length + 1);
  }, 120_000);

  it('a failed deployment links to its incidents and the PRs it shipped; an incident names its deployment', async () => {
    await openOverview();
    // Click 1: the organisation's change failure rate → its failed deployments.
    await page.locator('tr.org-row [data-metric="changeFailureRate"] a.metric-value').click();
    await page.getByTestId('drill-table').waitFor();
    expect(new URL(page.url()).searchParams.get('failed')).toBe('true');
    // A failed deployment that caused an incident and shipped PRs.
    const row = page
      .locator('[data-testid="drill-table"] tbody tr', { has: page.getByTestId('caused-incident') })
      .filter({ has: page.getByTestId('shipped-pr') });
    await row.first().waitFor();
    const deploymentUrl = await row.first().locator('td').nth(3).locator('a').getAttribute('href');
    const deployment = await database.db
      .selectFrom('deployments')
      .select(['id', 'sha'])
      .where('url', '=', deploymentUrl!)
      .executeTakeFirstOrThrow();
    // Click 2 goes to the cause: the incidents it caused, each linking to its tracker ...
    const incidents = await database.db
      .selectFrom('incidents')
      .select(['key', 'url'])
      .where('caused_by_deployment_id', '=', deployment.id)
      .orderBy('started_at')
      .execute();
    expect(incidents.length).toBeGreaterThan(0);
    const incidentLinks = row.first().locator('[data-testid="caused-incident"] a');
    expect(await incidentLinks.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
      incidents.map((i) => i.url),
    );
    expect(await incidentLinks.first().getAttribute('rel')).toContain('noopener');
    // ... and the PRs it shipped, each linking to GitHub.
    const shipped = await database.db
      .selectFrom('deployment_changes as dc')
      .innerJoin('pull_requests as p', 'p.id', 'dc.pull_request_id')
      .select(['p.html_url', 'p.merged_at', 'p.id'])
      .where('dc.deployment_id', '=', deployment.id)
      .orderBy('p.merged_at')
      .orderBy('p.id')
      .execute();
    expect(shipped.length).toBeGreaterThan(0);
    const prLinks = await row
      .first()
      .locator('[data-testid="shipped-pr"] a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(prLinks).toEqual(shipped.slice(0, 20).map((p) => p.html_url));
    expect(prLinks.every((href) => href?.startsWith('https://github.com/'))).toBe(true);
    await page.screenshot({ path: `${artifacts}hoe-drill-failed-deployments.png`, fullPage: true });

    // The incident side: the causing deployment by repository, environment and commit.
    const incidentsUrl = new URL(page.url());
    incidentsUrl.pathname = '/drill/incidents';
    incidentsUrl.searchParams.delete('failed');
    incidentsUrl.searchParams.set('caused', 'true');
    await page.goto(incidentsUrl.toString());
    const causing = page.getByTestId('causing-deployment').first();
    await causing.waitFor();
    const text = await causing.innerText();
    expect(text).toMatch(/^acme\/[a-z]+-(api|web) → production [0-9a-f]{7}/);
    expect(await causing.locator('a').getAttribute('href')).toMatch(/^https:\/\/github\.com\/acme\//);
    // Never the internal id alone.
    expect(await page.locator('[data-testid="drill-table"] tbody td').allInnerTexts()).not.toContain(
      deployment.id,
    );
    await page.screenshot({ path: `${artifacts}hoe-drill-incidents.png`, fullPage: true });
  }, 180_000);

  it('switching drill-down tabs clears the filters the new list does not have', async () => {
    await page.goto(`${server.url}/drill/deployments?${PERIOD}&failed=true`);
    await page.getByTestId('drill-table').waitFor();
    const failedTotal = Number.parseInt(
      (await page.locator('main p.muted[aria-live]').innerText()).replace(/,/g, ''),
      10,
    );
    await page
      .getByRole('navigation', { name: 'Item kind' })
      .getByRole('link', { name: 'Incidents' })
      .click();
    await page.getByTestId('drill-table').waitFor();
    expect(new URL(page.url()).searchParams.get('failed')).toBeNull();
    expect(await page.locator('main').innerText()).not.toMatch(/failed = true/);
    // Back on deployments, the list is every deployment again, not the failed ones.
    await page
      .getByRole('navigation', { name: 'Item kind' })
      .getByRole('link', { name: 'Deployments' })
      .click();
    await page.getByTestId('drill-table').waitFor();
    expect(new URL(page.url()).searchParams.get('failed')).toBeNull();
    await expect
      .poll(async () =>
        Number.parseInt((await page.locator('main p.muted[aria-live]').innerText()).replace(/,/g, ''), 10),
      )
      .toBeGreaterThan(failedTotal);
  }, 120_000);
});
