// API latency benchmark at an organisation size: `npm run bench -- api-latency --size small|large|xl`.
// Times the DORA (org, all teams, one team), team-health and drill-down routes end to end
// (app.inject: SQL + assembly + serialisation), p50 and p95 of repeated runs, and the baseline
// measured in the same run: the straightforward SQL over the raw tables computing the same org
// figures at request time (`getDoraAggregatesFromRaw` / `getTeamsDoraAggregatesFromRaw`, period and
// previous period, as the routes did before the rollups). Prints each figure, its target (issue
// 13, at xl) and the ratio to the baseline. The routes are timed with the DORA answer cache off
// (ANSWER_CACHE_ENTRIES=0: each request computes its figures), then the DORA routes again with the
// cache on, printed separately as `cached:` (repeated identical requests are cache hits).
// `--only=<text>[|<text>…]` times only the figures whose label contains one of the texts.
// `--database-url=postgres://…/db` measures an organisation already loaded there (the demo loader
// or `npm run demo:generate`); without it the size is generated and loaded into a scratch database
// (small: 8 teams; large: 50 teams, 400 repositories; xl: 300 teams, 2,000 repositories).
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { buildApp, loadApiConfig } from '@stride/api';
import {
  createDb,
  type Db,
  ensureDatabase,
  getAppSetting,
  getDoraAggregatesFromRaw,
  getTeamsDoraAggregatesFromRaw,
  migrateToLatest,
  refreshRollups,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig, type TeamConfig } from '@stride/shared/config';
import { ensureDemoOrg } from '@stride/testkit/demo';
import { sql } from 'kysely';

const flag = (name: string) => {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = process.argv[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1];
};
const size = flag('size') ?? 'small';
const SIZES: Record<string, { teams: number; repositories: number; prsPerTeamWeek?: number }> = {
  small: { teams: 8, repositories: 40 },
  large: { teams: 50, repositories: 400 },
  xl: { teams: 300, repositories: 2000, prsPerTeamWeek: 32 },
};
const shape = SIZES[size];
if (!shape) throw new Error(`--size must be small, large or xl, got '${size}'`);
const runs = Number(flag('runs') ?? (size === 'small' ? 12 : 25));
const given = flag('database-url');
// `--only=<text>`: time only the figures whose label contains the text (e.g. --only="team health");
// several texts separated by `|` time the figures matching any of them.
const only = flag('only')?.split('|');
const picked = (label: string) => only === undefined || only.some((text) => label.includes(text));

const DAY = 86_400_000;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await fn(); // warm plans and caches
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    xs.push(performance.now() - s);
  }
  return { p50: percentile(xs, 0.5), p95: percentile(xs, 0.95) };
}

let scratch: Awaited<ReturnType<typeof startScratchPostgres>> | undefined;
let db: Db;
let dropName: string | undefined;
if (given) {
  db = createDb(given, 10);
  await migrateToLatest(db);
  const refreshed = await refreshRollups(db);
  console.log(`rollups refreshed: ${refreshed.mode}, ${refreshed.rows} rows, ${refreshed.ms} ms`);
} else {
  scratch = await startScratchPostgres(process.env.DATABASE_URL, 'stride-bench-api-');
  dropName = `stride_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(scratch.adminUrl, dropName);
  db = createDb(withDatabaseName(scratch.adminUrl, dropName), 10);
  await migrateToLatest(db);
  const s = performance.now();
  const loaded = await ensureDemoOrg(db, {
    seed: 2026,
    years: 2,
    end: new Date(),
    force: true,
    batchSize: 1000,
    ...shape,
  });
  console.log(
    `loaded ${size}: ${loaded.load?.total} rows in ${((performance.now() - s) / 1000).toFixed(1)} s (loader + deriveLinks + rollups)`,
  );
}

try {
  await sql`analyze`.execute(db);
  // The demo loader keeps its team config; an organisation loaded by `scale-load` has only the
  // teams table (slug, name, timezone), which is all the timed routes read from the config.
  let teams = ((await getAppSetting(db, 'demo_teams')) as TeamConfig[] | undefined) ?? [];
  if (teams.length === 0) {
    const stored = await sql<{ slug: string; name: string; timezone: string }>`
      select slug, name, timezone from teams order by id`.execute(db);
    teams = stored.rows.map((t) => ({ ...t, members: [], repositories: [] }) as unknown as TeamConfig);
  }
  if (teams.length === 0) throw new Error('no teams: load an organisation first (demo loader or scale-load)');
  const counts = await sql<{ prs: number; deployments: number; incidents: number; rollups: number }>`
    select (select count(*) from pull_requests)::int as prs, (select count(*) from deployments)::int as deployments,
           (select count(*) from incidents)::int as incidents, (select count(*) from dora_day_rollups)::int as rollups`.execute(
    db,
  );
  const c = counts.rows[0]!;
  const end = await sql<{ d: Date }>`select max(deployed_at) as d from deployments`.execute(db);
  // Periods end at the last UTC midnight of the data, as the dashboard's presets do.
  const to = new Date(Math.floor(end.rows[0]!.d.getTime() / DAY) * DAY);
  const quarter = { from: new Date(to.getTime() - 91 * DAY), to };
  const twoYears = { from: new Date(to.getTime() - 730 * DAY), to };
  const q = (p: { from: Date; to: Date }, g: string) =>
    `from=${p.from.toISOString().slice(0, 10)}&to=${p.to.toISOString().slice(0, 10)}&granularity=${g}`;

  // Two apps on the same pool: `app` without the DORA answer cache, so every request computes
  // its figures (the primary figure, compared with the targets and the baseline); `cachedApp`
  // with it (the default configuration), whose repeated identical requests are cache hits.
  const makeApp = (cacheEntries: string) =>
    buildApp({
      db,
      config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '1000000', ANSWER_CACHE_ENTRIES: cacheEntries }),
      strideConfig: parseStrideConfig({ teams }),
      logger: false,
    });
  const app = await makeApp('0');
  const cachedApp = await makeApp('500');
  const getFrom = (a: typeof app) => async (url: string) => {
    const res = await a.inject({ method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  };
  const get = getFrom(app);
  const getCached = getFrom(cachedApp);
  const team = teams[0]!.slug;
  const baseline = (p: { from: Date; to: Date }, g: 'week' | 'month', all: boolean) => async () => {
    const prev = { from: new Date(2 * p.from.getTime() - p.to.getTime()), to: p.from };
    if (all) {
      await Promise.all([
        getTeamsDoraAggregatesFromRaw(db, { ...p, granularity: g }),
        getTeamsDoraAggregatesFromRaw(db, prev),
      ]);
    } else {
      await Promise.all([
        getDoraAggregatesFromRaw(db, { scope: { type: 'org' }, ...p, granularity: g }),
        getDoraAggregatesFromRaw(db, { scope: { type: 'org' }, ...prev }),
      ]);
    }
  };

  console.log(
    `\n${given ? 'given database' : size}: ${teams.length} teams, ${c.prs} PRs, ${c.deployments} deployments, ${c.incidents} incidents, ` +
      `${c.rollups} rollup rows; ${new Date().toISOString()}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; p50 / p95 of ${runs} runs`,
  );
  const line = (label: string, r: { p50: number; p95: number }, extra = '') =>
    console.log(
      `  ${label.padEnd(40)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms${extra}`,
    );
  const dora = (url: string) => () => get(url);
  const rows: [string, () => Promise<unknown>, (() => Promise<unknown>) | null, number][] = [
    [
      'org DORA quarter (weeks)',
      dora(`/api/org/dora?${q(quarter, 'week')}`),
      baseline(quarter, 'week', false),
      150,
    ],
    [
      'org DORA 2 years (months)',
      dora(`/api/org/dora?${q(twoYears, 'month')}`),
      baseline(twoYears, 'month', false),
      400,
    ],
    [
      'all teams DORA quarter',
      dora(`/api/teams/dora?${q(quarter, 'week')}`),
      baseline(quarter, 'week', true),
      150,
    ],
    [
      'all teams DORA 2 years',
      dora(`/api/teams/dora?${q(twoYears, 'month')}`),
      baseline(twoYears, 'month', true),
      400,
    ],
    ['team DORA quarter', () => get(`/api/teams/${team}/dora?${q(quarter, 'week')}`), null, 100],
    ['team DORA 2 years', () => get(`/api/teams/${team}/dora?${q(twoYears, 'month')}`), null, 250],
    ['team health quarter', () => get(`/api/teams/${team}/health?${q(quarter, 'week')}`), null, 100],
    ['team health 2 years', () => get(`/api/teams/${team}/health?${q(twoYears, 'month')}`), null, 250],
    [
      'deployments page (org, quarter)',
      () => get(`/api/deployments?${q(quarter, 'week')}&pageSize=50`),
      null,
      50,
    ],
    [
      'changes page (team, quarter)',
      () => get(`/api/changes?team=${team}&${q(quarter, 'week')}&pageSize=50`),
      null,
      50,
    ],
    [
      'incidents page (org, quarter)',
      () => get(`/api/incidents?${q(quarter, 'week')}&pageSize=50`),
      null,
      50,
    ],
    // The other drill-downs the dashboard opens: a team's lists, a later page, 2 years, the team
    // page's open and stuck PRs and its working agreements.
    [
      'deployments page (team, quarter)',
      () => get(`/api/deployments?team=${team}&${q(quarter, 'week')}&pageSize=50`),
      null,
      50,
    ],
    [
      'deployments page (org, 2 years)',
      () => get(`/api/deployments?${q(twoYears, 'month')}&pageSize=50`),
      null,
      50,
    ],
    [
      'deployments page 20 (org, quarter)',
      () => get(`/api/deployments?${q(quarter, 'week')}&pageSize=50&page=20`),
      null,
      50,
    ],
    ['changes page (org, quarter)', () => get(`/api/changes?${q(quarter, 'week')}&pageSize=50`), null, 50],
    [
      'changes page (team, 2 years)',
      () => get(`/api/changes?team=${team}&${q(twoYears, 'month')}&pageSize=50`),
      null,
      50,
    ],
    [
      'changes page by lead time (team, quarter)',
      () => get(`/api/changes?team=${team}&${q(quarter, 'week')}&pageSize=50&sort=leadTime`),
      null,
      50,
    ],
    [
      'open PRs page (team)',
      () => get(`/api/changes?team=${team}&${q(quarter, 'week')}&state=open&pageSize=50&sort=openedAt`),
      null,
      50,
    ],
    [
      'stuck PRs (team, open > 7 days)',
      () =>
        get(
          `/api/changes?team=${team}&${q(quarter, 'week')}&state=open&stale=true&sort=openedAt&order=asc&pageSize=100`,
        ),
      null,
      50,
    ],
    [
      'incidents page (team, quarter)',
      () => get(`/api/incidents?team=${team}&${q(quarter, 'week')}&pageSize=50`),
      null,
      50,
    ],
    ['team agreements (quarter)', () => get(`/api/teams/${team}/agreements?${q(quarter, 'week')}`), null, 50],
  ];
  for (const [label, fn, base, target] of rows) {
    if (!picked(label)) continue;
    const r = await time(fn);
    let extra = `  (target at xl: p95 <= ${target} ms)`;
    if (base) {
      const b = await time(base);
      extra += `  baseline raw SQL p50 ${b.p50.toFixed(1)} ms p95 ${b.p95.toFixed(1)} ms: x${(b.p50 / r.p50).toFixed(1)} faster (p50), x${(b.p95 / r.p95).toFixed(1)} (p95)`;
    }
    line(label, r, extra);
  }
  // The same DORA requests answered by the cache (repeated identical requests, data unchanged):
  // what a dashboard reload costs, not what computing the figures costs. No target applies.
  const cachedRows: [string, string][] = [
    ['org DORA quarter (weeks)', `/api/org/dora?${q(quarter, 'week')}`],
    ['org DORA 2 years (months)', `/api/org/dora?${q(twoYears, 'month')}`],
    ['all teams DORA quarter', `/api/teams/dora?${q(quarter, 'week')}`],
    ['all teams DORA 2 years', `/api/teams/dora?${q(twoYears, 'month')}`],
    ['team DORA quarter', `/api/teams/${team}/dora?${q(quarter, 'week')}`],
    ['team DORA 2 years', `/api/teams/${team}/dora?${q(twoYears, 'month')}`],
  ];
  for (const [label, url] of cachedRows) {
    if (!picked(label)) continue;
    line(`cached: ${label}`, await time(() => getCached(url)), '  (answer cache hits, not the computation)');
  }
  await app.close();
  await cachedApp.close();
} finally {
  await db.destroy();
  if (scratch && dropName) {
    const admin = createDb(scratch.adminUrl, 1);
    await sql.raw(`drop database if exists "${dropName}" with (force)`).execute(admin);
    await admin.destroy();
    await scratch.stop();
  }
}
