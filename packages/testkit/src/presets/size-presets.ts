import type { Db } from '@stride/db';
import { type FakeRepoData, githubPayloads } from '../adapters/github-rest.ts';
import { collectOrgModel, type OrgModelData } from '../adapters/model-data.ts';
import { collectOrgRows, orgDataRows } from '../adapters/model-rows.ts';
import { createOrgModel, MODEL_ISSUE_TYPES } from '../model/org-model.ts';
import type { OrgModel, OrgModelOptions } from '../model/org-model-types.ts';
import { ELITE, HIGH, MEDIUM, type Profile } from '../model/team-profiles.ts';
import { loadOrgModel, loadOrgRows } from '../rows/load-org-rows.ts';
import type { OrgRows } from '../rows/org-rows.ts';

// The sizes of the one organisation model that tests, the demo and the benches use. Each is a
// set of model options, not a generator: what differs is size, volume, names and which awkward
// cases of real sources are switched on.

const uniform = (profile: Profile) => () => ({ from: profile, to: profile });

// --- demo --------------------------------------------------------------------------------------

export interface DemoOrgOptions {
  /** Any integer; the same seed and end give the same organisation. */
  seed: number;
  /** Last instant of generated activity (pass "now"; the generator never reads the clock). */
  end: Date;
  /** Number of teams. Default 8. */
  teams?: number;
  /** Number of repositories, spread over the teams. Default 5 per team. */
  repositories?: number;
  /** Years of history before `end`. Default 2. */
  years?: number;
  /** Human PRs per team per week (volume); default from each team's size and profile. */
  prsPerTeamWeek?: number;
  /** Members per team; default the templates' sizes (3 to 13). */
  membersPerTeam?: number;
}

/** The demo organisation as keyed rows (what `loadDemoOrg` writes). */
export type DemoOrg = OrgRows;
/** The GitHub owner of every demo repository; also marks demo rows. */
export const DEMO_OWNER = 'stride-demo';
/** Jira issue type ids of the demo (bugTypes / incidentTypes of the demo config name them). */
export const DEMO_ISSUE_TYPES = MODEL_ISSUE_TYPES;

/**
 * The demo size: the eight team templates (elite to low, some improving or slipping), 5
 * repositories a team, 2 years, the organisation changing over time (a team grows, one
 * shrinks, a person and a repository move team; in every team people join, and in some one
 * leaves, spread over the history and in its last 90 days), a tenth of PRs opened as drafts, ids
 * prefixed `demo:`.
 */
export function demoModelOptions(options: DemoOrgOptions): OrgModelOptions {
  return {
    seed: options.seed,
    end: options.end,
    days: Math.round((options.years ?? 2) * 365),
    teams: options.teams ?? 8,
    ...(options.repositories === undefined ? {} : { repositories: options.repositories }),
    ...(options.prsPerTeamWeek === undefined ? {} : { prsPerTeamWeek: options.prsPerTeamWeek }),
    ...(options.membersPerTeam === undefined ? {} : { membersPerTeam: options.membersPerTeam }),
    owner: DEMO_OWNER,
    idPrefix: 'demo:',
    jiraSite: 'stride-demo.atlassian.net',
    organisationChanges: true,
    // Every team: people join (and some leave) over the history, recently too, so the automatic
    // membership events show on the default period's charts.
    turnover: true,
    // Some PRs open as drafts: their pickup starts when they are marked ready.
    draftShare: 0.1,
    // Teams adopt AI tools at different times: trailers in commits, agent PRs, Copilot metrics.
    aiAdoption: true,
  };
}

/** The demo organisation as keyed rows, collected in memory (8 teams: ~15k PRs). */
export function generateDemoOrg(options: DemoOrgOptions): DemoOrg {
  return collectOrgRows(createOrgModel(demoModelOptions(options)));
}

/**
 * The scale size of the benchmarks: `teams` teams (xl: 300) of 8 people, `repositories` (xl:
 * 2,000), `prsPerTeamWeek` (xl: 32, ~1,000,000 PRs over 2 years). Stream it with `loadOrgModel`
 * or `activity()`: never collect it. Measured here at a tenth of xl (30 teams, 200 repositories):
 * 108,000 PRs, 267,000 commits, 195,000 reviews, 41,000 deployments generated in 20 s with a peak
 * RSS of 258 MB (one repository in memory at a time, so xl stays there too).
 */
export function scaleModelOptions(options: {
  seed: number;
  end: Date;
  teams: number;
  repositories: number;
  prsPerTeamWeek: number;
  years?: number;
}): OrgModelOptions {
  return {
    ...demoModelOptions({
      seed: options.seed,
      end: options.end,
      teams: options.teams,
      years: options.years ?? 2,
    }),
    repositories: options.repositories,
    prsPerTeamWeek: options.prsPerTeamWeek,
    membersPerTeam: 8,
    // Fewer PRs carry a Jira issue at scale (~300,000 issues for ~1,000,000 PRs).
    jiraIssueShare: 0.3,
  };
}

// --- route tests -------------------------------------------------------------------------------

export interface GenerateOrgOptions {
  teams?: number;
  membersPerTeam?: number;
  reposPerTeam?: number;
  /** Days of history ending at `end`. */
  days?: number;
  end?: Date;
  /** Mean PRs per repository per day. Default 1. */
  prsPerRepoDay?: number;
  /** Production deployments per repository per week. Default 4.2. */
  deploysPerRepoWeek?: number;
  seed?: number;
}

/** The route-test organisation, collected: what `ReferenceOrg` recomputes every figure from. */
export type GeneratedOrg = OrgModelData;

const ROUTE_TIMEZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'];

/**
 * The route-test size: numbered teams (`team-1`, repositories `acme/t1-service-1`, people
 * `t1-dev1`), one profile, and every awkward case the metrics must handle switched on: staging
 * and `Prod` environments, failed runs, source-reported rollbacks, incidents without a
 * repository or unresolved, drafts, PRs into a release branch, unknown sizes, bot comments, a
 * member leaving half-way who keeps contributing as a non-member.
 */
export function routeTestModelOptions(options: GenerateOrgOptions = {}): OrgModelOptions {
  const reposPerTeam = options.reposPerTeam ?? 2;
  const teams = options.teams ?? 3;
  return {
    seed: options.seed ?? 42,
    end: options.end ?? new Date(Date.UTC(2025, 5, 1)),
    days: options.days ?? 120,
    teams,
    repositories: teams * reposPerTeam,
    membersPerTeam: options.membersPerTeam ?? 5,
    // Weekday weights sum to 6.08 a week and the profile scales volume by 2.4 / 2.15.
    prsPerTeamWeek: ((options.prsPerRepoDay ?? 1) * 7 * reposPerTeam * 5) / 6.08 / (2.4 / 2.15),
    deploysPerRepoWeek: options.deploysPerRepoWeek ?? 4.2,
    // One deployment in eight causes an incident, so even a one-repository org has some.
    profiles: uniform({ ...HIGH, changeFailure: 0.12 }),
    owner: 'acme',
    naming: {
      team: (i) => ({
        slug: `team-${i + 1}`,
        name: `Team ${i + 1}`,
        project: `P${i + 1}`,
        timezone: ROUTE_TIMEZONES[i % ROUTE_TIMEZONES.length]!,
      }),
      repository: (team, r) => `acme/t${team.index + 1}-service-${r + 1}`,
      member: (team, m) => ({
        name: `Dev ${team.index + 1}.${m + 1}`,
        login: `t${team.index + 1}-dev${m + 1}`,
      }),
    },
    leaverPerTeam: true,
    incidentSource: 'webhook',
    deploymentSource: 'webhook',
    productionEnvironments: ['production', 'Prod'],
    failedDeploymentShare: 0.08,
    rolledBackShare: 0.03,
    stagingShare: 0.3,
    incidentWithoutRepositoryShare: 0.15,
    unresolvedIncidentShare: 0.1,
    draftShare: 0.2,
    releaseBranchShare: 0.04,
    unknownSizeShare: 0.05,
    botCommentShare: 0.3,
    // The reference recomputation does not model reverts; the demo and its tests cover them.
    revertShare: 0,
  };
}

/** The route-test organisation as plain data (teams, repositories, PRs, deployments, incidents, Jira issues). */
export function generateOrg(options: GenerateOrgOptions = {}): GeneratedOrg {
  return collectOrgModel(createOrgModel(routeTestModelOptions(options)));
}

/** The rows of a generated organisation, as the collector's upserts store them. */
export const generatedOrgRows = orgDataRows;

/**
 * Writes a generated organisation with the kit's one loader (`loadOrgRows`: the collector's own
 * upserts, then `deriveLinks` over every repository, as a sync does).
 */
export async function seedOrg(db: Db, org: GeneratedOrg, attributionWindowDays = 7): Promise<void> {
  await loadOrgRows(db, orgDataRows(org), {
    attributionWindowDays,
    teamsFirst: true,
    linkRepositories: 'all',
  });
}

// --- browser tests -----------------------------------------------------------------------------

export interface DashboardOrgOptions {
  /** End of the history (default: the clock's now; pass one for a reproducible org). */
  now?: Date;
  /** Days of history. Default 120. */
  days?: number;
  seed?: number;
  /** Teams (at most 8). Default 3. */
  teamCount?: number;
  /** The model's AI adoption (`OrgModelOptions.aiAdoption`). Default none. */
  aiAdoption?: OrgModelOptions['aiAdoption'];
}

const DASHBOARD_TEAMS = ['Platform', 'Payments', 'Mobile', 'Search', 'Growth', 'Data', 'Identity', 'Billing'];

/**
 * The dashboard size: up to eight named teams in Berlin (`platform`, repositories `acme/platform-api`
 * and `-web`, people `platform-dev1`), 5 members each, paces elite / high / medium so levels
 * differ across the overview, Jira incidents naming their team, no bots, and many stalled PRs
 * (every team has open, stale work).
 */
export function dashboardModelOptions(options: DashboardOrgOptions = {}): OrgModelOptions {
  const teams = Math.min(options.teamCount ?? 3, DASHBOARD_TEAMS.length);
  const paces = [ELITE, HIGH, MEDIUM];
  return {
    seed: options.seed ?? 42,
    end: options.now ?? new Date(),
    days: options.days ?? 120,
    teams,
    repositories: teams * 2,
    membersPerTeam: 5,
    profiles: (i) => uniform(paces[i % paces.length]!)(),
    owner: 'acme',
    jiraSite: 'acme.atlassian.net',
    naming: {
      team: (i) => {
        const name = DASHBOARD_TEAMS[i]!;
        const slug = name.toLowerCase();
        return { slug, name, project: slug.slice(0, 3).toUpperCase(), timezone: 'Europe/Berlin' };
      },
      repository: (team, r) => `acme/${team.slug}-${['api', 'web'][r] ?? `service-${r + 1}`}`,
      member: (team, m) => ({
        name: `${DASHBOARD_TEAMS[team.index]} dev ${m + 1}`,
        login: `${team.slug}-dev${m + 1}`,
      }),
    },
    botPrsPerRepoWeek: 0,
    // Enough stale PRs that every team has work in progress to drill into, whatever the day.
    stalledShare: 0.15,
    ...(options.aiAdoption ? { aiAdoption: options.aiAdoption } : {}),
  };
}

export interface SeededDeployment {
  externalId: string;
  team: string;
  repository: string;
  deployedAt: Date;
}
export interface SeededPullRequest {
  team: string;
  repository: string;
  number: number;
  title: string;
  state: 'open' | 'closed' | 'merged';
  openedAt: Date;
  mergedAt: Date | null;
  url: string;
}
export interface SeededIncident {
  key: string;
  team: string;
  startedAt: Date;
  resolvedAt: Date | null;
  url: string;
}
/** What a browser test needs to compute expected figures independently of the API. */
export interface SeededOrg {
  teams: OrgRows['teams'];
  deployments: SeededDeployment[];
  pullRequests: SeededPullRequest[];
  incidents: SeededIncident[];
}

function seededOf(model: OrgModel): SeededOrg {
  const data = collectOrgModel(model);
  const ownerOf = new Map(data.teams.flatMap((t) => t.repositories.map((r) => [r, t.slug] as const)));
  return {
    teams: data.teams,
    deployments: data.deployments
      .filter((d) => d.isProduction && d.deployedAt !== null)
      .map((d) => ({
        externalId: d.externalId,
        team: d.team,
        repository: d.repository,
        deployedAt: d.deployedAt!,
      })),
    pullRequests: data.pullRequests.map((p) => ({
      team: ownerOf.get(p.repository)!,
      repository: p.repository,
      number: p.number,
      title: p.title,
      state: p.state,
      openedAt: p.createdAt,
      mergedAt: p.mergedAt,
      url: p.url,
    })),
    incidents: data.incidents.map((i) => ({
      key: i.key,
      team: i.team,
      startedAt: i.startedAt,
      resolvedAt: i.resolvedAt,
      url: i.url,
    })),
  };
}

/**
 * The dashboard organisation as keyed rows with one finished sync run per repository and Jira
 * project. Deterministic for a given `seed` and `now`.
 * @returns the rows, and what a test needs to compute expected figures independently.
 */
export function generateDashboardOrg(options: DashboardOrgOptions = {}): {
  rows: OrgRows;
  seeded: SeededOrg;
} {
  const model = createOrgModel(dashboardModelOptions(options));
  return { rows: collectOrgRows(model, { syncRuns: true }), seeded: seededOf(model) };
}

/**
 * Seeds the dashboard organisation with the kit's one loader (streamed: `loadOrgModel`).
 * @returns what was written, for tests to compute expected figures independently.
 */
export async function seedDashboardOrg(db: Db, options: DashboardOrgOptions = {}): Promise<SeededOrg> {
  // One `now` for both: the clock must not move between the rows and the figures.
  const model = createOrgModel(dashboardModelOptions({ ...options, now: options.now ?? new Date() }));
  await loadOrgModel(db, model, { teamsFirst: true, linkRepositories: 'all', syncRuns: true });
  return seededOf(model);
}

// --- GitHub REST volume (collector tests) -------------------------------------------------------

export interface GeneratedVolumeOptions {
  /** Owner (org) of the generated repositories. Default `stride-gen`. */
  owner?: string;
  /** Number of repositories, named `service-1`... Default 1. */
  repositories?: number;
  /** About this many pull requests per repository (the history is as long as it takes). Default 120. */
  pullsPerRepository?: number;
  /** PRNG seed: the same seed gives the same data. Default 42. */
  seed?: number;
  /** Start of the history. Default 2025-01-06T00:00:00Z. */
  start?: string;
}

/** Human PRs a volume team opens per week; with the weekday weights and bots, ~35 PRs a week. */
const VOLUME_PRS_PER_WEEK = 25;

/**
 * The GitHub REST volume size: one team per repository (`{owner}/service-N`), a busy high
 * profile (~35 PRs and 8 production deployments a week, a fifth of them followed by an
 * incident reported as a GitHub issue), deployments by the GitHub Deployments API that never
 * fail (so every served deployment ends in `success`), and a history long enough for about
 * `pullsPerRepository` PRs.
 */
export function githubVolumeModelOptions(options: GeneratedVolumeOptions = {}): OrgModelOptions {
  const owner = options.owner ?? 'stride-gen';
  const perWeek = ((VOLUME_PRS_PER_WEEK * 2.4) / 2.15) * (6.08 / 5) + 0.35 * (6.08 / 5);
  // The last day's work is still open at the end, and the end day itself is cut: a quarter more days.
  const days = Math.max(3, Math.round(((options.pullsPerRepository ?? 120) / perWeek) * 7 * 1.25));
  const start = Date.parse(options.start ?? '2025-01-06T00:00:00Z');
  return {
    seed: options.seed ?? 42,
    end: new Date(start + days * 86_400_000),
    days,
    teams: options.repositories ?? 1,
    repositories: options.repositories ?? 1,
    membersPerTeam: 8,
    prsPerTeamWeek: VOLUME_PRS_PER_WEEK,
    deploysPerRepoWeek: 8,
    profiles: uniform({ ...HIGH, changeFailure: 0.2 }),
    owner,
    naming: { repository: (team) => `${owner}/service-${team.index + 1}` },
    incidentSource: 'github',
    failedDeploymentShare: 0,
  };
}

/**
 * Seeded GitHub data in the REST shapes (see `repositoryPayloads`): the GitHub volume size of
 * the organisation model through the REST adapter, by repository full name.
 */
export function generateGitHubData(options: GeneratedVolumeOptions = {}): Map<string, FakeRepoData> {
  return new Map(githubPayloads(createOrgModel(githubVolumeModelOptions(options))));
}

// --- benchmark sizes (`npm run bench -- --size small|large|xl`) ---------------------------------

/** The benchmarks' sizes, defined once: every bench reads them through `parseBenchSize`. */
export const BENCH_SIZES = {
  /** CI: proves the benches run (seconds). */
  small: { teams: 3, repositories: 12, prsPerTeamWeek: 8, years: 0.5 },
  /** 50 teams, 400 repositories, 2 years (~170,000 PRs). */
  large: { teams: 50, repositories: 400, prsPerTeamWeek: 32, years: 2 },
  /** 300 teams, 2,000 repositories, ~2,400 people, 2 years (~1,000,000 PRs). */
  xl: { teams: 300, repositories: 2000, prsPerTeamWeek: 32, years: 2 },
} as const;
export type BenchSize = keyof typeof BENCH_SIZES;

/**
 * The `--size` of a bench command line (`--size xl` or `--size=xl`); `small` when absent.
 * @throws Error naming the allowed sizes when the value is not one of them.
 */
export function parseBenchSize(argv: readonly string[]): BenchSize {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--size') value = argv[i + 1] ?? '';
    else if (a.startsWith('--size=')) value = a.slice('--size='.length);
  }
  if (value === undefined) return 'small';
  if (!Object.hasOwn(BENCH_SIZES, value)) {
    throw new Error(`--size must be one of ${Object.keys(BENCH_SIZES).join(', ')} (got '${value}')`);
  }
  return value as BenchSize;
}

/** The scale model options of a bench size (seed 2026 unless given). */
export function benchSizeModelOptions(size: BenchSize, end: Date, seed = 2026): OrgModelOptions {
  return scaleModelOptions({ seed, end, ...BENCH_SIZES[size] });
}
