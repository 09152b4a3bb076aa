import { type SeededOrg, seedDashboardOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLabel } from '../../apps/web/src/lib/period.ts';
import { type DashboardServer, startDashboard } from '../support/browser.ts';

// The time axis of a trend chart: when not every bucket gets a label, the labelled buckets are
// evenly spaced (every k-th day, week or month from the first), so the ticks are too; the
// labels never collide. Checked in Chromium on the org trend charts of the overview.
let database: TestDatabase;
let org: SeededOrg;
let server: DashboardServer;

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  database = await createTestDatabase();
  org = await seedDashboardOrg(database.db, { now: new Date(), days: 120, seed: 5 });
  server = await startDashboard(database.db, org.teams);
});
afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

interface Tick {
  text: string;
  left: number;
  right: number;
  centre: number;
}

/** The x-axis tick labels of the organisation's deployment-frequency chart, left to right. */
async function ticksOf(page: Page): Promise<Tick[]> {
  const chart = page.locator('section.chart-card[aria-label="Organisation deployment frequency"]');
  const labels = chart.locator('.recharts-xAxis-tick-labels text');
  await labels.first().waitFor({ timeout: 90_000 });
  const ticks = await labels.evaluateAll((nodes) =>
    nodes.map((n) => {
      const box = n.getBoundingClientRect();
      return {
        text: n.textContent ?? '',
        left: box.left,
        right: box.right,
        centre: box.left + box.width / 2,
      };
    }),
  );
  return ticks.sort((a, b) => a.centre - b.centre);
}

/** Index of each tick's bucket among `buckets` (by its label). */
function indexes(ticks: Tick[], labels: string[]): number[] {
  return ticks.map((t) => {
    const i = labels.indexOf(t.text);
    expect(i, `tick "${t.text}" names a bucket`).toBeGreaterThanOrEqual(0);
    return i;
  });
}

/** Even steps: every consecutive pair of ticks is the same number of buckets and pixels apart. */
function expectEven(ticks: Tick[], at: number[]) {
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  const steps = at.slice(1).map((x, i) => x - at[i]!);
  expect(new Set(steps).size, `bucket steps between ticks: ${steps.join(', ')}`).toBe(1);
  const gaps = ticks.slice(1).map((t, i) => t.centre - ticks[i]!.centre);
  // Centres of labels of different widths: equal within a few pixels.
  expect(Math.max(...gaps) - Math.min(...gaps), `pixel gaps: ${gaps.join(', ')}`).toBeLessThan(4);
  // No two labels touch.
  for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.left).toBeGreaterThan(ticks[i - 1]!.right);
}

describe('trend chart time axis', () => {
  it('labels every k-th day at even spacing over 16 weeks by day (1280 px)', async () => {
    const page = await (
      await server.browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    const today = Math.floor(Date.now() / DAY) * DAY;
    const from = today - 112 * DAY;
    await page.goto(`${server.url}/?period=custom&from=${day(from)}&to=${day(today)}&granularity=day`);
    const labels = Array.from({ length: 112 }, (_, i) => bucketLabel(day(from + i * DAY), 'day'));
    const ticks = await ticksOf(page);
    expect(ticks.length).toBeLessThan(labels.length);
    expectEven(ticks, indexes(ticks, labels));
    await page.context().close();
  }, 180_000);

  it('labels every k-th week at even spacing over 16 weeks by week on a phone (390 px)', async () => {
    const page = await (await server.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    // 16 whole weeks (Monday to Monday) ending on the last Monday.
    const today = Math.floor(Date.now() / DAY) * DAY;
    const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
    const from = monday - 16 * 7 * DAY;
    await page.goto(`${server.url}/?period=custom&from=${day(from)}&to=${day(monday)}&granularity=week`);
    const labels = Array.from({ length: 16 }, (_, i) => bucketLabel(day(from + i * 7 * DAY), 'week'));
    const ticks = await ticksOf(page);
    expect(ticks.length).toBeLessThan(labels.length);
    expectEven(ticks, indexes(ticks, labels));
    await page.context().close();
  }, 180_000);
});
