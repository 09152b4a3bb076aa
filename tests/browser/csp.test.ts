import { createApiToken } from '@stride/db';
import { type SeededOrg, seedDashboardOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, startDashboard } from '../support/browser.ts';

let database: TestDatabase;
let org: SeededOrg;
let server: DashboardServer;
let page: Page;
const violations: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  org = await seedDashboardOrg(database.db, { now: new Date(), days: 60, seed: 11, teamCount: 2 });
  server = await startDashboard(database.db, org.teams);
  const context = await server.browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every CSP violation of any document, reported from inside the page.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  page = await context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (/content security policy|CSP violation/i.test(text)) violations.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (error) => violations.push(`${page.url()}: page error ${error.message}`));
});

/** Opens a page, waits for its own ready marker and its requests, and lets late renders run. */
async function visit(path: string, ready: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor({ timeout: 45_000 });
  await page.waitForLoadState('networkidle');
  // Let late renders (charts, lazy styles) run under the policy too.
  await page.waitForTimeout(500);
}

afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

describe('Content-Security-Policy in Chromium', () => {
  it('is sent with the dashboard and forbids inline script and framing', async () => {
    const response = await page.goto(`${server.url}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('every dashboard page and /docs render without a violation', async () => {
    const team = org.teams[0]!.slug;
    const pages: [string, string][] = [
      ['/?period=90d', 'tr[data-team] .metric-cell'],
      ['/?period=90d', '.chart-card svg.recharts-surface'],
      [`/teams/${team}?period=90d`, '[data-testid="team-size"]'],
      [`/drill/deployments?team=${team}&period=90d`, '[data-testid="drill-table"]'],
      [`/drill/changes?team=${team}&period=90d`, '[data-testid="drill-table"]'],
      [`/drill/incidents?team=${team}&period=90d`, 'main'],
      ['/board-pack?period=90d', 'main.board-pack[data-ready="true"]'],
      [`/board-pack?period=90d&team=${team}`, 'main.board-pack[data-ready="true"]'],
      ['/ai-impact?period=90d', 'main'],
      ['/ai-impact/board-pack?period=90d', 'main'],
      ['/admin', 'main'],
      ['/no-such-page', 'main'],
      ['/docs', '.swagger-ui .opblock'],
    ];
    for (const [path, ready] of pages) await visit(path, ready);
    expect(violations).toEqual([]);
  }, 300_000);

  it('would report a violation (the listener works)', async () => {
    await page.goto(`${server.url}/no-such-page`);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.append(script);
    });
    await expect.poll(() => violations.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as { __inline?: number }).__inline)).toBeUndefined();
    violations.length = 0;
  });

  // Last: it creates a token, which closes reads to anyone without one.
  it('the sign-in page, the admin page signed in, and /docs with a session render without a violation', async () => {
    const admin = await createApiToken(database.db, { name: 'csp-admin', role: 'admin' });
    await visit('/', 'main.sign-in');
    await page.getByTestId('token-input').fill(admin.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Goals and events' }).waitFor({ timeout: 45_000 });
    await visit('/admin', 'main');
    // /docs needs a viewer once a token exists: the session cookie of the sign-in carries it.
    await visit('/docs', '.swagger-ui .opblock');
    expect(violations).toEqual([]);
  }, 300_000);
});
