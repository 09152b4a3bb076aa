// `npm run screenshots`: the pages a Head of Engineering, an engineering manager and a board look
// at, drawn on the generated demo organisation (the one `npm start` loads, marked as demo data,
// with its goals, agreements, retro schedules and events), photographed in Chromium at
// 1440x900 and 390x844: overview, team page, retro view, a drill-down and every board-pack page.
// Written to tests/artifacts/screens/ (kept out of git, like the browser tests' screenshots), to
// be looked at before a release. Uses DATABASE_URL's server, or an embedded PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  setAppSetting,
  startScratchPostgres,
  syncPlansFromConfig,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { addDemoPlans, DEMO_SEED, DEMO_SIZE, ensureDemoOrg } from '@stride/testkit/demo';
import { sql } from 'kysely';
import { startDashboard } from '../tests/support/browser.ts';

const out = fileURLToPath(new URL('../tests/artifacts/screens/', import.meta.url));
const server = await startScratchPostgres(process.env.DATABASE_URL, 'stride-screenshots-');
const name = `stride_screens_${randomBytes(4).toString('hex')}`;
await ensureDatabase(server.adminUrl, name);
const db = createDb(withDatabaseName(server.adminUrl, name), 10);
try {
  await migrateToLatest(db);
  // A fixed end (a Monday) so the pictures compare from one run to the next.
  const end = new Date(Date.UTC(2026, 10, 30));
  const t0 = performance.now();
  const org = await ensureDemoOrg(db, { seed: DEMO_SEED, ...DEMO_SIZE, end });
  const config = parseStrideConfig(
    addDemoPlans(
      { teams: org.teams },
      org.teams.map((t) => t.slug),
      end,
    ),
    'demo config',
  );
  await syncPlansFromConfig(db, config);
  await setAppSetting(db, 'demo', true);
  await sql`analyze`.execute(db);
  console.log(
    `demo organisation (${org.teams.length} teams) loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );

  const dashboard = await startDashboard(db, config.teams);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const period = 'period=custom&from=2026-08-31&to=2026-11-30&granularity=week';
  const team = org.teams[0]!.slug;
  const pages: [string, string, string][] = [
    ['overview', `/?${period}`, '[data-testid=dora-table] tbody tr'],
    ['team', `/teams/${team}?${period}`, '.chart-card svg'],
    ['retro', `/teams/${team}?${period}&retro=2026-11-02`, '[data-testid=retro-table]'],
    ['drill-deployments', `/drill/deployments?${period}&team=${team}&failed=true`, 'table'],
    ['drill-incidents', `/drill/incidents?${period}&team=${team}`, 'table'],
  ];
  try {
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ] as const) {
      const context = await dashboard.browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      for (const [label, path, ready] of pages) {
        await page.goto(`${dashboard.url}${path}`);
        await page.locator(ready).first().waitFor({ timeout: 120_000 });
        // Every chart drawn and nothing still loading.
        await page.waitForFunction(
          () => document.querySelectorAll('[aria-busy=true], .state-loading').length === 0,
          undefined,
          { timeout: 120_000 },
        );
        await page.screenshot({ path: `${out}${label}-${width}.png`, fullPage: true });
      }
      await page.goto(`${dashboard.url}/board-pack?${period}`);
      await page.locator('main.board-pack[data-ready="true"]').waitFor({ timeout: 180_000 });
      const sections = page.getByTestId('board-section');
      const count = await sections.count();
      for (let i = 0; i < count; i++) {
        await sections
          .nth(i)
          .screenshot({ path: `${out}board-pack-${String(i + 1).padStart(2, '0')}-${width}.png` });
      }
      console.log(`${width}x${height}: ${pages.length} pages and ${count} board-pack pages`);
      await context.close();
    }
  } finally {
    await dashboard.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await db.destroy();
  const admin = createDb(server.adminUrl, 1);
  await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
  await admin.destroy();
  await server.stop();
}
