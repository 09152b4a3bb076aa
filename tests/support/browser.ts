import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, loadApiConfig } from '@stride/api';
import type { Db } from '@stride/db';
import { parseStrideConfig, type TeamConfig } from '@stride/shared/config';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';

const webRoot = fileURLToPath(new URL('../../apps/web/', import.meta.url));

/** Chromium flags of the brief: headless, no sandbox (root in CI), nothing phoning home. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface DashboardServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The built dashboard (vite build output). */
  webDir: string;
  app: FastifyInstance;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the dashboard (vite build into a temporary directory), serves it with the real API
 * (`buildApp` with WEB_DIST_DIR) on a free port over `db`, and launches Debian's Chromium.
 */
export async function startDashboard(db: Db, teams: TeamConfig[]): Promise<DashboardServer> {
  const outDir = await mkdtemp(join(tmpdir(), 'stride-web-'));
  // The build users get: vitest sets NODE_ENV=test, with which Vite bundles React's development
  // build (StrictMode then mounts every page twice and sends every request twice).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: webRoot,
      configFile: join(webRoot, 'vite.config.ts'),
      logLevel: 'error',
      // The build exactly as configured (no source maps, precompressed twins, manifest).
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const config = loadApiConfig({ WEB_DIST_DIR: outDir, LOG_LEVEL: 'silent', PORT: '0' });
  const app = await buildApp({ db, config, strideConfig: parseStrideConfig({ teams }), logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  return {
    url,
    webDir: outDir,
    app,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** A page of its own browser context that accepts downloads (chart and list exports). */
export async function openDownloadPage(
  server: DashboardServer,
  viewport: { width: number; height: number },
): Promise<Page> {
  const context = await server.browser.newContext({ viewport, acceptDownloads: true });
  return context.newPage();
}

/** Runs `action` (a click) and returns the file it downloads: suggested name and bytes. */
export async function downloadFrom(
  page: Page,
  action: () => Promise<unknown>,
): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), action()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), body: await readFile(path) };
}
