import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setAppSetting } from '@stride/db';
import type { TeamConfig } from '@stride/shared/config';
import type { SeededOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, downloadFrom, openDownloadPage, startDashboard } from '../support/browser.ts';
import { parseCsv } from '../support/parse-csv.ts';
import { seedWithQuietTeam } from '../support/seed-with-quiet-team.ts';

// Board meetings: a board pack whose charts a board can read (the organisation alone, teams in
// small multiples of at most six distinct lines, legends in line order, demo data marked on every
// page) and chart exports that are slides (title, period with year, unit, n, source line inside
// the image; file names with scope, metric and period; CSVs with units and human-sized numbers).
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

let database: TestDatabase;
let org: SeededOrg;
let server: DashboardServer;
let page: Page;
const today = new Date().toISOString().slice(0, 10);
// A configured team without any data yet: it stays in the tables, off the charts.
let quiet: TeamConfig;

beforeAll(async () => {
  database = await createTestDatabase();
  // Eight teams with data: more than one chart of six can hold.
  let teams: TeamConfig[];
  ({ org, quiet, teams } = await seedWithQuietTeam(
    database.db,
    { now: new Date(), days: 120, seed: 11, teamCount: 8 },
    'Quiet',
  ));
  await setAppSetting(database.db, 'demo', true);
  server = await startDashboard(database.db, teams);
  page = await openDownloadPage(server, { width: 1440, height: 900 });
  await mkdir(artifacts, { recursive: true });
});

afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

const download = (action: () => Promise<unknown>) => downloadFrom(page, action);

/** Colour, dash and legend text of each charted series of one chart, in drawing order. */
async function seriesOf(chart: Locator) {
  const lines = await chart
    .locator('g.recharts-line.series-line path.recharts-line-curve')
    .evaluateAll((paths) =>
      paths.map((p) => ({ color: p.getAttribute('stroke'), dash: p.getAttribute('stroke-dasharray') ?? '' })),
    );
  const legend = await chart.locator('.recharts-legend-item-text').allInnerTexts();
  return { lines, legend };
}

/** The axis titles of a chart card, in drawing order (x, then y). */
function axisTitles(card: Locator) {
  return card
    .locator('svg.recharts-surface text.axis-title')
    .evaluateAll((texts) =>
      texts.map((t) => ({ text: t.textContent ?? '', transform: t.getAttribute('transform') ?? '' })),
    );
}

/** Width and height of a PNG from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('board pack and slide exports in Chromium', () => {
  it('board pack: the organisation alone, teams in charts of at most 6 distinct lines, legend in line order, demo marked on every page', async () => {
    await page.goto(`${server.url}/board-pack?period=90d&benchmark=2023`);
    await page.locator('main.board-pack[data-ready="true"]').waitFor({ timeout: 120_000 });
    const sections = page.getByTestId('board-section');
    const count = await sections.count();
    // Five metrics; eight teams need a second team chart, which continues on a further page only
    // when the first page has no room (one team chart per first page, two per continuation).
    expect(count).toBe(10);
    const teamNames = org.teams.map((t) => t.name);
    for (let s = 0; s < count; s++) {
      const section = sections.nth(s);
      expect(await section.getByTestId('board-demo').innerText()).toMatch(/demo data/i);
      await section.screenshot({ path: `${artifacts}board-pack-page-${s + 1}.png` });
    }
    for (let m = 0; m < 5; m++) {
      const first = sections.nth(2 * m);
      const more = sections.nth(2 * m + 1);
      // The organisation's chart: one line, the organisation's, first on the page.
      const orgChart = first.locator('[data-testid="board-chart"][data-chart="org"]');
      const orgSeries = await seriesOf(orgChart);
      expect(orgSeries.lines).toHaveLength(1);
      expect(await first.getByTestId('board-chart').first().getAttribute('data-chart')).toBe('org');
      // Team charts: at most six lines each, no colour nor dash repeated within a chart nor taking
      // the organisation's colour; the legend lists the lines in their order.
      const teamCharts = [
        ...(await first.locator('[data-testid="board-chart"]:not([data-chart="org"])').all()),
        ...(await more.getByTestId('board-chart').all()),
      ];
      expect(teamCharts).toHaveLength(2);
      const legends: string[] = [];
      for (const chart of teamCharts) {
        const { lines, legend } = await seriesOf(chart);
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.length).toBeLessThanOrEqual(6);
        expect(new Set(lines.map((l) => l.color)).size).toBe(lines.length);
        expect(new Set(lines.map((l) => l.dash)).size).toBe(lines.length);
        expect(lines.map((l) => l.color)).not.toContain(orgSeries.lines[0]!.color);
        // Each legend entry is drawn with its line's colour and dash, in the same order.
        const swatches = await chart.locator('.recharts-legend-item line').evaluateAll((ls) =>
          ls.map((l) => ({
            color: l.getAttribute('stroke'),
            dash: l.getAttribute('stroke-dasharray') ?? '',
          })),
        );
        expect(swatches).toEqual(lines);
        legends.push(...legend);
      }
      // Every team with data is charted once, in the table's order; the quiet team is not.
      const tableOrder = (await first.locator('tbody th').allInnerTexts()).filter(
        (name) => name !== 'Organisation' && name !== quiet.name,
      );
      expect(tableOrder.sort()).toEqual([...teamNames].sort());
      expect(legends).toEqual(tableOrder);
      expect(await first.locator('tbody tr').count()).toBe(org.teams.length + 2);
      // The team without data sits below every team with data.
      expect(await first.locator('tbody tr').last().locator('th').innerText()).toBe(quiet.name);
    }
    // Printed, every section is a page.
    await page.emulateMedia({ media: 'print' });
    const overflowing = await sections.evaluateAll(
      (nodes) => nodes.filter((n) => n.scrollHeight > n.clientHeight + 1).length,
    );
    expect(overflowing).toBe(0);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length).toBe(count);
  }, 240_000);

  it('every trend chart has axis titles with units; deployment frequency per week like its headline', async () => {
    await page.goto(
      `${server.url}/?period=custom&from=2026-01-01&to=2026-12-01&granularity=month&benchmark=2023`,
    );
    const card = (title: string) => page.locator(`section.chart-card[aria-label="${title}"]`);
    await card('Organisation deployment frequency')
      .locator('svg.recharts-surface')
      .waitFor({ timeout: 120_000 });
    const expected: Record<string, RegExp> = {
      'Organisation deployment frequency': /^Deployments per week$/,
      'Organisation change lead time': /^Lead time p50 \((days|hours|minutes)\)$/,
      'Organisation change failure rate': /^Failed deployments \(%\)$/,
      'Organisation failed deployment recovery time': /^Recovery time p50 \((days|hours|minutes)\)$/,
      'Organisation rework rate': /^Unplanned deployments \(%\)$/,
    };
    for (const [title, yTitle] of Object.entries(expected)) {
      // Two axis titles: time (x) and value with its unit (y, drawn rotated).
      const labels = await axisTitles(card(title));
      expect(labels, title).toHaveLength(2);
      expect(labels[0]!.text, title).toBe('Month (UTC)');
      expect(labels[1]!.text, title).toMatch(yTitle);
      expect(labels[1]!.transform, title).toMatch(/^rotate\(-90/);
    }
    // By month the axis still reads per week: September's point is its 30 days' count × 7/30,
    // and the axis tops out just above the highest weekly rate, far below a month's count.
    const frequency = card('Organisation deployment frequency');
    const [header, ...rows] = parseCsv(
      (await download(() => frequency.getByRole('button', { name: /as CSV/ }).click())).body.toString('utf8'),
    );
    expect(header).toEqual([
      'month starting (UTC, YYYY-MM-DD)',
      'Organisation deployment frequency (deployments per week)',
      'Organisation n (deployments)',
      // Every time chart's CSV ends with the events drawn on it (empty cells without events).
      'events (numbered as on the chart)',
    ]);
    const september = rows.find((r) => r[0] === '2026-09-01')!;
    expect(Number(september[2])).toBeGreaterThan(0);
    expect(Number(september[1])).toBeCloseTo((Number(september[2]) * 7) / 30, 2);
    const highest = Math.max(...rows.map((r) => Number(r[1]) || 0));
    const ticks = (await frequency.locator('.recharts-yAxis-tick-labels text').allTextContents()).map(Number);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(highest);
    expect(Math.max(...ticks)).toBeLessThan(Number(september[2]));
    await page.screenshot({ path: `${artifacts}board-axes-overview.png`, fullPage: true });
  }, 180_000);

  it('comparing eight teams on an overview chart draws six beside the organisation, no style repeated', async () => {
    await page.goto(`${server.url}/?period=90d&benchmark=2023&compare=teams`);
    const card = page.locator('section.chart-card[aria-label="Organisation deployment frequency"]');
    const lines = card.locator('g.recharts-line.series-line path.recharts-line-curve');
    await expect.poll(() => lines.count(), { timeout: 120_000 }).toBe(7);
    const styles = await lines.evaluateAll((paths) =>
      paths.map((p) => `${p.getAttribute('stroke')} ${p.getAttribute('stroke-dasharray') ?? ''}`),
    );
    expect(new Set(styles.map((s) => s.split(' ')[0])).size).toBe(7);
    expect(await card.locator('.recharts-legend-item-text').first().innerText()).toBe('Organisation');
    expect(await card.getByTestId('compare-note').innerText()).toBe(
      'The first 6 of 8 teams with data are drawn; the board pack shows every team.',
    );
  }, 180_000);

  it('every chart of the team page has axis titles, and its exports are slides with units', async () => {
    const team = org.teams[0]!;
    await page.goto(`${server.url}/teams/${team.slug}?period=90d&benchmark=2023`);
    const cards = page.locator('section.chart-card');
    await page
      .locator('section.chart-card[aria-label="Bus factor by repository"] svg.recharts-surface')
      .waitFor({
        timeout: 120_000,
      });
    // Every card's chart drawn: no section still waiting for its answer (.state-loading) and no
    // chart waiting for the lazily loaded chart chunk (.chart-loading). Waiting for the chunk alone
    // counted the charts while the DORA trend answers were still on their way (5 of 9 under CI load).
    // Legend swatches are small recharts surfaces of their own, so charts are counted by their wrapper.
    await expect
      .poll(() => page.locator('.state-loading, .chart-loading').count(), { timeout: 120_000 })
      .toBe(0);
    const charts = cards.filter({ has: page.locator('.recharts-wrapper > svg.recharts-surface') });
    expect(await charts.count()).toBeGreaterThanOrEqual(9);
    for (const card of await charts.all()) {
      const title = await card.getAttribute('aria-label');
      const labels = (await axisTitles(card)).map((l) => l.text);
      expect(labels, title!).toHaveLength(2);
      // The value axis says its unit where the ticks have one.
      if (/lead time|recovery time|Cycle time/i.test(title!))
        expect(labels.join(' '), title!).toMatch(/\((days|hours|minutes)\)/);
      if (/rate/.test(title!)) expect(labels.join(' '), title!).toMatch(/\(%\)/);
    }
    const cycle = page.locator('section.chart-card[aria-label="Cycle time phases"]');
    const svg = await download(() => cycle.getByRole('button', { name: /as SVG/ }).click());
    expect(svg.name).toMatch(
      new RegExp(`^${team.slug}-cycle-time-phases-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.svg$`),
    );
    const text = svg.body.toString('utf8');
    expect(text).toContain(`>${team.name}: Cycle time phases</text>`);
    expect(text).toMatch(/>\d{1,2} \w{3}( \d{4})? – \d{1,2} \w{3} \d{4} \(UTC\)<\/text>/);
    expect(text).toContain('>Unit: time in each phase');
    expect(text).toMatch(/>n = \d+ PRs with coding time/);
    expect(text).toContain(`Stride · DORA 2023 levels · generated ${today} · demo data`);
    const csv = parseCsv(
      (await download(() => cycle.getByRole('button', { name: /as CSV/ }).click())).body.toString('utf8'),
    );
    expect(csv[0]!.slice(0, 3)).toEqual(['statistic', 'coding (seconds)', 'coding (hours)']);
    expect(csv[1]![1]).toMatch(/^\d+$/);
    expect(Number(csv[1]![2])).toBeCloseTo(Number(csv[1]![1]) / 3600, 2);
    await page.screenshot({ path: `${artifacts}board-team-axes.png`, fullPage: true });
  }, 180_000);

  it('PNG and SVG exports are slides: title, period with year, unit, n and source line inside; no UI text', async () => {
    await page.goto(
      `${server.url}/?period=custom&from=2026-09-07&to=2026-10-05&granularity=week&benchmark=2023`,
    );
    const card = page.locator('section.chart-card[aria-label="Organisation change lead time"]');
    await card.locator('svg.recharts-surface').waitFor({ timeout: 120_000 });
    const name = 'organisation-change-lead-time-2026-09-07-to-2026-10-04';

    const svgFile = await download(() => card.getByRole('button', { name: /as SVG/ }).click());
    expect(svgFile.name).toBe(`${name}.svg`);
    const svg = svgFile.body.toString('utf8');
    // Each text element's content (Recharts writes axis text in tspans).
    const texts = [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) =>
      m[1]!.replace(/<[^>]+>/g, '').replaceAll('&amp;', '&'),
    );
    expect(texts.find((t) => t !== 'DEMO DATA')).toMatch(/^Organisation change lead time: /);
    expect(texts).toContain('7 Sep – 4 Oct 2026 (UTC) · changes vs 10 Aug – 6 Sep 2026');
    expect(texts).toContain('Unit: p50 time from first commit to production deployment');
    expect(texts.some((t) => /^n = \d+ changes; p50 shown, p90 /.test(t))).toBe(true);
    expect(texts).toContain(`Stride · DORA 2023 levels · generated ${today} · demo data`);
    expect(texts).toContain('DEMO DATA');
    expect(texts.some((t) => /^Lead time p50 \((days|hours|minutes)\)$/.test(t))).toBe(true);
    expect(texts).toContain('Week starting (UTC)');
    // Nothing of the page's controls: no hint, no link, no button text.
    expect(svg).not.toMatch(/click a point|CSV \(API\)|<a[\s>]|>PNG<|>SVG</i);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    const size = svg.match(/^<\?xml[^>]*>\s*<svg[^>]* width="(\d+)" height="(\d+)"/);
    expect(size).not.toBeNull();

    const pngFile = await download(() => card.getByRole('button', { name: /as PNG/ }).click());
    expect(pngFile.name).toBe(`${name}.png`);
    await writeFile(`${artifacts}board-export-slide.png`, pngFile.body);
    await writeFile(`${artifacts}board-export-slide.svg`, svgFile.body);
    const png = pngSize(pngFile.body);
    // The PNG is the SVG slide at 2x ...
    expect(png).toEqual({ width: 2 * Number(size![1]), height: 2 * Number(size![2]) });
    // ... drawn with its text: rasterising the SVG file in Chromium gives the same pixels, and the
    // title band has dark (text) pixels where the SVG's title is.
    const compared = await page.evaluate(
      async ({ svgSource, pngBase64 }) => {
        const load = async (src: string) => {
          const image = new Image();
          image.src = src;
          await image.decode();
          return image;
        };
        const pixels = (image: HTMLImageElement, width: number, height: number) => {
          const canvas = document.createElement('canvas');
          canvas.width = width;
          canvas.height = height;
          const context = canvas.getContext('2d')!;
          context.fillStyle = '#fff';
          context.fillRect(0, 0, width, height);
          context.drawImage(image, 0, 0, width, height);
          return context.getImageData(0, 0, width, height).data;
        };
        const exported = await load(`data:image/png;base64,${pngBase64}`);
        const { naturalWidth: width, naturalHeight: height } = exported;
        const fromPng = pixels(exported, width, height);
        const url = URL.createObjectURL(new Blob([svgSource], { type: 'image/svg+xml' }));
        const fromSvg = pixels(await load(url), width, height);
        let different = 0;
        for (let i = 0; i < fromPng.length; i += 4) {
          if (Math.abs(fromPng[i]! - fromSvg[i]!) > 16) different++;
        }
        // Title band: the first 44 px (at 2x) below the top padding.
        let dark = 0;
        for (let y = 32; y < 76; y++) {
          for (let x = 0; x < width; x++) {
            const i = (y * width + x) * 4;
            if (fromPng[i]! < 100 && fromPng[i + 1]! < 100 && fromPng[i + 2]! < 100) dark++;
          }
        }
        return { share: different / (width * height), dark };
      },
      { svgSource: svg, pngBase64: pngFile.body.toString('base64') },
    );
    expect(compared.share).toBeLessThan(0.01);
    expect(compared.dark).toBeGreaterThan(200);
    await card.screenshot({ path: `${artifacts}board-export-card.png` });
  }, 180_000);

  it('chart CSVs carry units in the header and human-sized numbers (whole seconds, plus hours)', async () => {
    const card = page.locator('section.chart-card[aria-label="Organisation change lead time"]');
    const file = await download(() => card.getByRole('button', { name: /as CSV/ }).click());
    expect(file.name).toBe('organisation-change-lead-time-2026-09-07-to-2026-10-04.csv');
    const [header, ...rows] = parseCsv(file.body.toString('utf8'));
    expect(header).toEqual([
      'week starting (UTC, YYYY-MM-DD)',
      'Organisation change lead time p50 (seconds)',
      'Organisation change lead time p50 (hours)',
      'Organisation n (changes)',
      // Every time chart's CSV ends with the events drawn on it (empty cells without events).
      'events (numbered as on the chart)',
    ]);
    expect(rows.map((r) => r[0])).toEqual(['2026-09-07', '2026-09-14', '2026-09-21', '2026-09-28']);
    for (const [, seconds, hours, n] of rows) {
      expect(n).toMatch(/^\d+$/);
      if (seconds === '') continue;
      expect(seconds).toMatch(/^\d+$/);
      expect(Number(hours)).toBeCloseTo(Number(seconds) / 3600, 2);
    }
    const rate = page.locator('section.chart-card[aria-label="Organisation change failure rate"]');
    const rates = parseCsv(
      (await download(() => rate.getByRole('button', { name: /as CSV/ }).click())).body.toString('utf8'),
    );
    expect(rates[0]).toEqual([
      'week starting (UTC, YYYY-MM-DD)',
      'Organisation change failure rate (%)',
      'Organisation n (deployments)',
      // Every time chart's CSV ends with the events drawn on it (empty cells without events).
      'events (numbered as on the chart)',
    ]);
    for (const row of rates.slice(1)) if (row[1] !== '') expect(Number(row[1])).toBeLessThanOrEqual(100);
  });
});
