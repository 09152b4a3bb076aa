import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SeededOrg, seedDashboardOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, startDashboard } from '../support/browser.ts';

// What makes the overview fast, checked on the real build in Chromium (the time itself is
// measured by `npm run bench -- overview`, not here): one batched DORA request for all teams,
// the charts and the other pages in chunks of their own, compressed immutable assets, no maps.
let database: TestDatabase;
let org: SeededOrg;
let server: DashboardServer;
let page: Page;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await seedDashboardOrg(database.db, { now: new Date(), days: 120, seed: 11 });
  server = await startDashboard(database.db, org.teams);
  page = await (await server.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
afterAll(async () => {
  await server?.close();
  await database?.destroy();
});

interface Manifest {
  [key: string]: { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };
}

/** The entry chunk and everything it imports statically: what the first page must load. */
async function firstPageScripts(): Promise<Set<string>> {
  const manifest = JSON.parse(await readFile(join(server.webDir, '.vite/manifest.json'), 'utf8')) as Manifest;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(Object.keys(manifest).find((k) => manifest[k]!.isEntry)!);
  return files;
}

describe('overview speed', () => {
  it('asks for every team’s DORA in one request, not one per team', async () => {
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) apiCalls.push(path);
    });
    await page.goto(`${server.url}/?period=90d`);
    const rows = page.locator('[data-testid=dora-table] tbody tr');
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('[data-testid=dora-table] tbody tr').length === n &&
        document.querySelectorAll('[data-testid=dora-table] .state-loading').length === 0,
      org.teams.length + 1,
    );
    expect(await rows.count()).toBe(org.teams.length + 1);
    for (const team of org.teams) {
      expect(await page.locator(`tr[data-team="${team.slug}"] td`).first().innerText()).toMatch(/\d/);
    }
    // The overview's compact answer (series as columns), not the full one as well.
    expect(apiCalls.filter((p) => p === '/api/teams/dora-overview')).toHaveLength(1);
    expect(apiCalls.filter((p) => p === '/api/teams/dora')).toEqual([]);
    expect(apiCalls.filter((p) => /^\/api\/teams\/[^/]+\/dora$/.test(p))).toEqual([]);
  });

  it('keeps the charts, the team page and the board pack out of the first page’s script', async () => {
    const first = await firstPageScripts();
    const assets = join(server.webDir, 'assets');
    const all = (await readdir(assets)).filter((f) => f.endsWith('.js'));
    const chartCode = [];
    for (const file of all) {
      const code = await readFile(join(assets, file), 'utf8');
      // Recharts' own class name marks its code; the pages by the heading they render.
      const isChart = code.includes('recharts-surface');
      const isLaterPage = /Board pack for|Since last retro/.test(code);
      if (isChart) chartCode.push(file);
      if (first.has(`assets/${file}`)) {
        expect(isChart, `${file} is loaded by the first page`).toBe(false);
        expect(isLaterPage, `${file} is loaded by the first page`).toBe(false);
      }
    }
    expect(chartCode.length).toBeGreaterThan(0);

    // In Chromium: the overview loads no board-pack chunk; opening the board pack does.
    const loaded: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/assets/')) loaded.push(new URL(r.url()).pathname);
    });
    await page.goto(`${server.url}/?period=90d`);
    await page.locator('.chart-card svg.recharts-surface').first().waitFor();
    expect(loaded.some((p) => p.includes('board-pack-page'))).toBe(false);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('board-pack-page')),
      page.getByRole('link', { name: 'Board pack', exact: true }).click(),
    ]);
  });

  it('serves the scripts compressed and immutable, and no source maps', async () => {
    const first = [...(await firstPageScripts())];
    const responses: { url: string; headers: Record<string, string> }[] = [];
    const context = await server.browser.newContext();
    const fresh = await context.newPage();
    fresh.on('response', async (r) => {
      if (r.url().includes('/assets/')) responses.push({ url: r.url(), headers: await r.allHeaders() });
    });
    await fresh.goto(`${server.url}/?period=90d`);
    await fresh.locator('[data-testid=dora-table]').waitFor();
    const entry = responses.find((r) => r.url.endsWith(first[0]!));
    expect(entry, `${first[0]} was loaded`).toBeDefined();
    expect(entry!.headers['content-encoding']).toBe('br');
    expect(entry!.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await context.close();

    const files = await readdir(join(server.webDir, 'assets'));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const code = await Promise.all(
      files.filter((f) => f.endsWith('.js')).map((f) => readFile(join(server.webDir, 'assets', f), 'utf8')),
    );
    expect(code.some((c) => c.includes('sourceMappingURL'))).toBe(false);
  });
});
