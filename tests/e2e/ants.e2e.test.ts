// End to end on real recorded data: the local GitHub and Jira servers serve
// tests/fixtures/recorded, the real collector collects them (as `npm start` does without config),
// the API serves the built dashboard, and headless Chromium shows panjf2000/ants' team page. The
// figures on screen must equal those computed here straight from the fixture files, following
// docs/metrics.md (never from the database).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildApp, loadApiConfig } from '@stride/api';
import { createLogger } from '@stride/collector';
import type { DoraSummary, TeamHealth } from '@stride/shared';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, formatNumber } from '../../apps/web/src/lib/format.ts';
import { collectRecordedDemo } from '../../scripts/demo/collect-recorded-demo.ts';
import { chromiumArgs } from '../support/browser.ts';

const root = resolve(import.meta.dirname, '../..');
const fixtures = resolve(root, 'tests/fixtures/recorded');
const webRoot = resolve(root, 'apps/web');
const webDist = resolve(webRoot, 'dist');
const REPO = 'panjf2000/ants';
// The API caps a period at 3 years, so two periods (`to` exclusive): the PR years of the
// recording (first PR July 2018; the reviewed PRs were merged in 2019) and the year of its
// workflow runs (June to September 2022), which deploy every earlier change.
const PR_YEARS = { from: '2018-07-01', to: '2021-07-01' };
const RUN_YEAR = { from: '2022-01-01', to: '2022-10-01' };

// ---- Expected figures, from the fixture files and docs/metrics.md only ----------------------
interface Run {
  path: string;
  head_branch: string | null;
  status: string;
  conclusion: string | null;
  updated_at: string;
  event: string;
  head_repository: { full_name: string };
}
interface Pull {
  number: number;
  user: { login: string; type: string };
  base: { ref: string };
  created_at: string;
  merged_at: string | null;
}
interface Review {
  user: { login: string; type: string } | null;
  submitted_at: string;
}
const json = <T>(file: string): T => JSON.parse(readFileSync(resolve(fixtures, file), 'utf8')) as T;

/** percentile_cont: linear interpolation between closest ranks (docs/metrics.md). */
function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function expectedAnts(period: { from: string; to: string }) {
  const from = Date.parse(`${period.from}T00:00:00Z`);
  const to = Date.parse(`${period.to}T00:00:00Z`);
  const inPeriod = (t: number) => t >= from && t < to;
  const defaultBranch =
    json<Record<string, { default_branch: string }>>('github_repos.json')[REPO]!.default_branch;
  // Deployments: successful runs of the configured CI workflows on the default branch, at updated_at.
  // Lower-case status values only: the recording's UPPERCASE rows are bad input.
  const workflows = ['ci.yml', 'codeql.yml', 'lint.yml'];
  const deployments = json<Record<string, Run[]>>('github_runs.json')
    [REPO]!.filter(
      (r) =>
        workflows.includes(r.path.split('/').pop()!) &&
        r.head_branch === defaultBranch &&
        // The repository's own pushes and scheduled runs; a fork's PR run on its `master` is not one.
        r.head_repository.full_name === REPO &&
        ['push', 'workflow_dispatch', 'schedule'].includes(r.event) &&
        r.status === 'completed' &&
        r.conclusion === 'success',
    )
    .map((r) => Date.parse(r.updated_at))
    .sort((a, b) => a - b);
  const periodDeployments = deployments.filter(inPeriod);
  const deploymentDays = new Set(periodDeployments.map((t) => new Date(t).toISOString().slice(0, 10))).size;

  // Changes: PRs merged into the default branch; first commit = earliest commit.author.date.
  const commits =
    json<Record<string, Record<string, { commit: { author: { date: string } } }[]>>>(
      'github_pull_commits.json',
    )[REPO]!;
  const reviews = json<Record<string, Record<string, Review[]>>>('github_pull_reviews.json')[REPO]!;
  const changes = json<Record<string, Pull[]>>('github_pulls.json')
    [REPO]!.filter((p) => p.merged_at !== null && p.base.ref === defaultBranch)
    .map((p) => {
      const dates = (commits[String(p.number)] ?? []).map((c) => Date.parse(c.commit.author.date));
      const merged = Date.parse(p.merged_at!);
      // Deployed by the first production deployment at or after merged_at (the recording has no
      // git history; every ants merge precedes its first deployment, so no compare can do better).
      const deployed = deployments.find((d) => d >= merged) ?? null;
      const firstReview = (reviews[String(p.number)] ?? [])
        .filter(
          (r) => r.user && r.user.type !== 'Bot' && r.user.login.toLowerCase() !== p.user.login.toLowerCase(),
        )
        .map((r) => Date.parse(r.submitted_at))
        .sort((a, b) => a - b)[0];
      return {
        number: p.number,
        opened: Date.parse(p.created_at),
        merged,
        firstCommit: dates.length > 0 ? Math.min(...dates) : null,
        firstReview: firstReview ?? null,
        deployed,
      };
    });
  const mergedInPeriod = changes.filter((c) => inPeriod(c.merged));
  const leadTimes = changes
    .filter((c) => c.deployed !== null && inPeriod(c.deployed) && c.firstCommit !== null)
    .map((c) => (c.deployed! - c.firstCommit!) / 1000);
  const pickups = mergedInPeriod
    .filter((c) => c.firstReview !== null)
    .map((c) => (c.firstReview! - c.opened) / 1000);
  const weeks = (to - from) / (7 * 86_400_000);
  return {
    deployments: periodDeployments.length,
    deploymentDays,
    deploymentsPerWeek: periodDeployments.length / weeks,
    mergedPrs: mergedInPeriod.length,
    leadTimeP50: percentileCont(leadTimes, 0.5),
    leadTimeN: leadTimes.length,
    pickupP50: percentileCont(pickups, 0.5),
    pickupN: pickups.length,
  };
}

// ---- The system, end to end ----------------------------------------------------------------
describe('panjf2000/ants end to end: recorded payloads → collector → API → dashboard', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  const prYears = expectedAnts(PR_YEARS);
  const runYear = expectedAnts(RUN_YEAR);
  const shown: Record<string, string | undefined> = {};
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = await res.text();
    expect(res.status, `${path}: ${body}`).toBe(200);
    return JSON.parse(body) as T;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const collected = await collectRecordedDemo(database.db, { logger: createLogger('silent') });
    expect(collected.reports.filter((r) => r.error)).toEqual([]);
    if (!existsSync(resolve(webDist, 'index.html'))) {
      await build({ root: webRoot, configFile: resolve(webRoot, 'vite.config.ts'), logLevel: 'error' });
    }
    const config = loadApiConfig({ WEB_DIST_DIR: webDist, LOG_LEVEL: 'silent' });
    app = await buildApp({ db: database.db, config, strideConfig: collected.config, logger: false });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.destroy();
  });

  it('the fixtures give non-trivial figures to compare', () => {
    expect(runYear.deployments).toBeGreaterThan(5);
    expect(runYear.leadTimeN).toBeGreaterThan(20);
    expect(prYears.mergedPrs).toBeGreaterThan(15);
    expect(prYears.pickupN).toBe(3);
  });

  it('the API computes the same figures for team ants', async () => {
    const runQuery = `from=${RUN_YEAR.from}&to=${RUN_YEAR.to}`;
    const dora = await getJson<DoraSummary>(`/api/teams/ants/dora?${runQuery}`);
    expect(dora.metrics.deploymentFrequency.value).toBe(runYear.deployments);
    expect(dora.metrics.deploymentFrequency.deploymentDays).toBe(runYear.deploymentDays);
    expect(dora.metrics.deploymentFrequency.perWeek).toBeCloseTo(runYear.deploymentsPerWeek, 6);
    expect(dora.metrics.changeLeadTime.n).toBe(runYear.leadTimeN);
    expect(dora.metrics.changeLeadTime.p50).toBeCloseTo(runYear.leadTimeP50!, 0);
    const repo = await getJson<DoraSummary>(`/api/repositories/${encodeURIComponent(REPO)}/dora?${runQuery}`);
    expect(repo.metrics.deploymentFrequency.value).toBe(runYear.deployments);

    const health = await getJson<TeamHealth>(
      `/api/teams/ants/health?from=${PR_YEARS.from}&to=${PR_YEARS.to}`,
    );
    expect(health.throughput.mergedPrs).toBe(prYears.mergedPrs);
    expect(health.cycleTime.pickup.n).toBe(prYears.pickupN);
    expect(health.cycleTime.pickup.p50).toBeCloseTo(prYears.pickupP50!, 0);
  });

  it('the dashboard shows them on the team page in Chromium', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    try {
      await page.goto(`${url}/teams/ants?period=custom&from=${RUN_YEAR.from}&to=${RUN_YEAR.to}`);
      const leadTime = page.locator(
        '.metric-tiles > .metric-tile [data-metric="changeLeadTime"] .metric-value',
      );
      await leadTime.waitFor({ timeout: 30_000 });
      expect((await leadTime.textContent())?.trim()).toBe(formatDuration(runYear.leadTimeP50));
      const frequency = page.locator('.metric-tiles > .metric-tile', {
        has: page.locator('[data-metric="deploymentFrequency"]'),
      });
      expect((await frequency.locator('.metric-value').textContent())?.trim()).toBe(
        `${formatNumber(runYear.deploymentsPerWeek, 1)}/week`,
      );
      expect(await frequency.textContent()).toContain(
        `${runYear.deployments} deployments on ${runYear.deploymentDays} days`,
      );
      shown.leadTime = (await leadTime.textContent())?.trim();
      shown.frequency = (await frequency.textContent())?.trim();

      await page.goto(`${url}/teams/ants?period=custom&from=${PR_YEARS.from}&to=${PR_YEARS.to}`);
      const throughput = page.locator('.metric-tile', {
        has: page.getByRole('heading', { name: 'Throughput' }),
      });
      await throughput.waitFor({ timeout: 30_000 });
      expect(await throughput.textContent()).toContain(`${prYears.mergedPrs} merged PRs`);
      shown.throughput = (await throughput.textContent())?.trim();

      // Pickup p50: the figures behind the cycle-time chart, as its CSV export gives them.
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download Cycle time phases as CSV' }).click();
      const csv = readFileSync((await (await download).path())!, 'utf8');
      const [header, ...rows] = csv
        .trim()
        .split(/\r?\n/)
        .map((line) => line.split(','));
      const p50 = rows.find((r) => r[0] === 'p50')!;
      // Chart CSVs carry units in their headers and whole seconds.
      const pickup = Number(p50[header!.indexOf('pickup (seconds)')]);
      expect(pickup).toBe(Math.round(prYears.pickupP50!));
      shown.pickupP50 = formatDuration(pickup);
      console.log('ants figures on screen:', shown);
    } finally {
      await page.close();
    }
  });

  it('collecting the recordings again (a second `npm start`) changes no row and no figure', async () => {
    const tables = [
      'pull_requests',
      'pull_request_reviews',
      'pull_request_commits',
      'deployments',
      'deployment_changes',
      'jira_issues',
      'incidents',
    ] as const;
    const counts = () =>
      Promise.all(
        tables.map(async (t) => {
          const row = await database.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow();
          return Number(row.n);
        }),
      );
    const query = `/api/teams/ants/dora?from=${RUN_YEAR.from}&to=${RUN_YEAR.to}`;
    const [before, doraBefore] = await Promise.all([counts(), getJson<DoraSummary>(query)]);
    await collectRecordedDemo(database.db, { logger: createLogger('silent') });
    expect(await counts()).toEqual(before);
    expect((await getJson<DoraSummary>(query)).metrics).toEqual(doraBefore.metrics);
  });
});
