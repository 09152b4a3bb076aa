import type { NewJiraIssue } from '@stride/db';
import type { TeamConfig } from '@stride/shared/config';
import { createRandom, type Random } from '../random.ts';
import type { KeyedPullRequest, OrgRows } from '../rows/org-rows.ts';

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
}

/** The demo organisation as keyed rows (what `loadDemoOrg` writes). */
export type DemoOrg = OrgRows;

/** The GitHub owner of every demo repository; also marks demo rows. */
export const DEMO_OWNER = 'stride-demo';
/** Jira issue type ids of the demo (bugTypes / incidentTypes of the demo config name them). */
export const DEMO_ISSUE_TYPES = {
  story: { id: '10001', name: 'Story' },
  task: { id: '10002', name: 'Task' },
  bug: { id: '10004', name: 'Bug' },
  incident: { id: '10005', name: 'Incident' },
} as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Delivery profile of a team: medians (hours) of log-normal durations, rates and ratios. */
interface Profile {
  deploysPerRepoWeek: number;
  codingHours: number;
  pickupHours: number;
  reviewHours: number;
  changeFailure: number;
  recoveryHours: number;
  outOfHours: number;
  unplanned: number;
  prsPerMemberWeek: number;
}

const ELITE: Profile = {
  deploysPerRepoWeek: 7,
  codingHours: 5,
  pickupHours: 1.2,
  reviewHours: 2.5,
  changeFailure: 0.04,
  recoveryHours: 0.7,
  outOfHours: 0.04,
  unplanned: 0.1,
  prsPerMemberWeek: 3,
};
const HIGH: Profile = {
  deploysPerRepoWeek: 3,
  codingHours: 12,
  pickupHours: 4,
  reviewHours: 6,
  changeFailure: 0.08,
  recoveryHours: 5,
  outOfHours: 0.07,
  unplanned: 0.15,
  prsPerMemberWeek: 2.4,
};
const MEDIUM: Profile = {
  deploysPerRepoWeek: 0.8,
  codingHours: 26,
  pickupHours: 11,
  reviewHours: 14,
  changeFailure: 0.13,
  recoveryHours: 30,
  outOfHours: 0.1,
  unplanned: 0.2,
  prsPerMemberWeek: 1.8,
};
const LOW: Profile = {
  deploysPerRepoWeek: 0.22,
  codingHours: 50,
  pickupHours: 26,
  reviewHours: 30,
  changeFailure: 0.24,
  recoveryHours: 180,
  outOfHours: 0.16,
  unplanned: 0.3,
  prsPerMemberWeek: 1.4,
};

interface TeamTemplate {
  slug: string;
  name: string;
  project: string;
  timezone: string;
  /** Hours east of UTC (standard time; demo data ignores daylight saving). */
  utcOffset: number;
  size: number;
  /** Profile at the start and at the end of the history (linear in between: teams improve or slip). */
  from: Profile;
  to: Profile;
}

const TEMPLATES: TeamTemplate[] = [
  {
    slug: 'payments',
    name: 'Payments',
    project: 'PAY',
    timezone: 'Europe/Berlin',
    utcOffset: 1,
    size: 6,
    from: HIGH,
    to: HIGH,
  },
  {
    slug: 'checkout',
    name: 'Checkout',
    project: 'CHK',
    timezone: 'Europe/London',
    utcOffset: 0,
    size: 9,
    from: ELITE,
    to: ELITE,
  },
  {
    slug: 'platform',
    name: 'Platform',
    project: 'PLT',
    timezone: 'America/New_York',
    utcOffset: -5,
    size: 5,
    from: HIGH,
    to: ELITE,
  },
  {
    slug: 'mobile',
    name: 'Mobile',
    project: 'MOB',
    timezone: 'America/Los_Angeles',
    utcOffset: -8,
    size: 7,
    from: LOW,
    to: MEDIUM,
  },
  {
    slug: 'search',
    name: 'Search',
    project: 'SRC',
    timezone: 'Asia/Kolkata',
    utcOffset: 5.5,
    size: 8,
    from: MEDIUM,
    to: MEDIUM,
  },
  {
    slug: 'data',
    name: 'Data',
    project: 'DAT',
    timezone: 'Europe/Lisbon',
    utcOffset: 0,
    size: 4,
    from: MEDIUM,
    to: LOW,
  },
  {
    slug: 'identity',
    name: 'Identity',
    project: 'IDN',
    timezone: 'Australia/Sydney',
    utcOffset: 10,
    size: 3,
    from: HIGH,
    to: HIGH,
  },
  {
    slug: 'growth',
    name: 'Growth',
    project: 'GRW',
    timezone: 'America/Sao_Paulo',
    utcOffset: -3,
    size: 13,
    from: LOW,
    to: LOW,
  },
];

const REPO_SUFFIXES = ['api', 'web', 'worker', 'infra', 'sdk', 'service', 'jobs', 'docs'];
const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Barbara',
  'Ken',
  'Margaret',
  'Dennis',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Hedy',
  'Guido',
  'Katherine',
  'Bjarne',
  'Joan',
  'James',
  'Sophie',
  'John',
  'Anita',
  'Niklaus',
  'Karen',
  'Donald',
  'Mary',
  'Leslie',
  'Shafi',
  'Yukihiro',
  'Adele',
  'Brian',
  'Lynn',
  'Rob',
  'Carol',
  'Andrew',
  'Evelyn',
  'Ward',
  'Jean',
  'Martin',
  'Ivan',
  'Priya',
];
const LAST_NAMES = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Liskov',
  'Thompson',
  'Hamilton',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Berners',
  'Lamarr',
  'Rossum',
  'Johnson',
  'Stroustrup',
  'Clarke',
  'Gosling',
  'Wilson',
  'Backus',
  'Borg',
  'Wirth',
  'Jones',
  'Knuth',
  'Keller',
  'Lamport',
  'Goldwasser',
  'Matsumoto',
  'Goldberg',
  'Kernighan',
  'Conway',
  'Pike',
  'Shaw',
  'Tanenbaum',
  'Berez',
  'Cunningham',
  'Sammet',
  'Fowler',
  'Sutherland',
  'Rao',
];
const VERBS = [
  'Add',
  'Update',
  'Refactor',
  'Remove',
  'Improve',
  'Handle',
  'Support',
  'Migrate',
  'Simplify',
  'Cache',
];
const NOUNS = [
  'retry policy',
  'invoice export',
  'session refresh',
  'rate limiter',
  'search index',
  'feature flag',
  'webhook handler',
  'audit log',
  'metrics endpoint',
  'onboarding flow',
  'currency rounding',
  'push token',
  'config loader',
  'health check',
  'pagination',
  'error messages',
  'batch job',
  'login form',
  'report query',
  'dependency versions',
];
const BOTS = ['dependabot[bot]', 'renovate[bot]'];

/** Weekday weights, Sunday first: most work happens Monday to Thursday, little at weekends. */
const WEEKDAY_WEIGHT = [0.05, 1, 1.1, 1.05, 1, 0.75, 0.08];

interface Member {
  name: string;
  login: string;
  jira: string;
  /** Active period, day numbers since the start (inclusive; `to` = Infinity while active). */
  fromDay: number;
  toDay: number;
}

interface TeamState {
  template: TeamTemplate;
  members: Member[];
  repos: { fullName: string; weight: number; fromDay: number; toDay: number }[];
  jiraCounter: number;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function lerpProfile(a: Profile, b: Profile, t: number): Profile {
  const out = { ...a };
  for (const key of Object.keys(a) as (keyof Profile)[]) out[key] = a[key] + (b[key] - a[key]) * t;
  return out;
}

/** A local working-hours time of day (hours), or any hour for out-of-hours work. */
function workHour(random: Random, outOfHours: number): number {
  if (random.chance(outOfHours)) return random.chance(0.5) ? random.next() * 8 : 19 + random.next() * 5;
  const center = random.chance(0.5) ? 10.5 : 15;
  return Math.min(18.9, Math.max(8, center + random.normal() * 1.6));
}

/** Everything the steps share: the one random stream, the time frame, the output and the id counters. */
interface DemoRun {
  random: Random;
  startMs: number;
  endMs: number;
  dayCount: number;
  org: DemoOrg;
  usedLogins: Set<string>;
  seq: { pr: number; review: number; deploy: number; jira: number };
}

type IssueType = (typeof DEMO_ISSUE_TYPES)[keyof typeof DEMO_ISSUE_TYPES];

function startRun(options: DemoOrgOptions): DemoRun {
  const years = options.years ?? 2;
  const dayCount = Math.round(years * 365);
  const startMs = Date.UTC(
    options.end.getUTCFullYear(),
    options.end.getUTCMonth(),
    options.end.getUTCDate() - dayCount,
  );
  return {
    random: createRandom(options.seed),
    startMs,
    endMs: options.end.getTime(),
    dayCount,
    org: {
      teams: [],
      repositories: [],
      pullRequests: [],
      reviews: [],
      commits: [],
      deployments: [],
      incidents: [],
      jiraIssues: [],
      jiraTransitions: [],
      changes: [],
    },
    usedLogins: new Set(),
    seq: { pr: 0, review: 0, deploy: 0, jira: 0 },
  };
}

/** A new person with a unique login, active from `fromDay`. */
function hireMember(run: DemoRun, fromDay: number, toDay = Number.POSITIVE_INFINITY): Member {
  const { random, usedLogins } = run;
  for (;;) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    let login = `${first}-${last}`.toLowerCase();
    if (usedLogins.has(login)) login = `${login}${random.int(2, 99)}`;
    if (usedLogins.has(login)) continue;
    usedLogins.add(login);
    return { name: `${first} ${last}`, login, jira: random.hex(24), fromDay, toDay };
  }
}

/** The teams from the templates (numbered copies beyond eight), each with its starting members. */
function formTeams(run: DemoRun, teamCount: number): TeamState[] {
  const teams: TeamState[] = [];
  for (let i = 0; i < teamCount; i++) {
    const base = TEMPLATES[i % TEMPLATES.length]!;
    const round = Math.floor(i / TEMPLATES.length);
    const template: TeamTemplate =
      round === 0
        ? base
        : {
            ...base,
            slug: `${base.slug}-${round + 1}`,
            name: `${base.name} ${round + 1}`,
            project: `${base.project}${round + 1}`,
          };
    const members = Array.from({ length: template.size }, () => hireMember(run, 0));
    teams.push({ template, members, repos: [], jiraCounter: 0 });
  }
  return teams;
}

/** Deals `repoCount` repositories round-robin over the teams; a team's first ones get most work. */
function assignRepositories(teams: TeamState[], repoCount: number): void {
  for (let r = 0; r < repoCount; r++) {
    const team = teams[r % teams.length]!;
    const n = team.repos.length;
    const suffix = REPO_SUFFIXES[n % REPO_SUFFIXES.length]!;
    const name = n < REPO_SUFFIXES.length ? suffix : `${suffix}-${Math.floor(n / REPO_SUFFIXES.length) + 1}`;
    team.repos.push({
      fullName: `${DEMO_OWNER}/${team.template.slug}-${name}`,
      weight: 1 / (n + 1),
      fromDay: 0,
      toDay: Number.POSITIVE_INFINITY,
    });
  }
}

/**
 * The organisation's changes at fixed points of the history (month m of two years, scaled to the
 * generated length): a team grows, one shrinks, a person moves team, a repository changes owner.
 */
function changeOrganisation(run: DemoRun, teams: TeamState[]): void {
  const { dayCount, startMs, org } = run;
  const monthDay = (m: number) => Math.round((m / 24) * dayCount);
  const on = (day: number) => isoDay(startMs + day * DAY);
  if (teams[2]) {
    const joinDay = monthDay(10);
    for (let k = 0; k < 3; k++) teams[2].members.push(hireMember(run, joinDay));
    org.changes.push(`${teams[2].template.name} grows by 3 members on ${on(joinDay)}`);
  }
  if (teams[3] && teams[3].members.length > 3) {
    const leaveDay = monthDay(14);
    for (const member of teams[3].members.slice(-2)) member.toDay = leaveDay;
    org.changes.push(`${teams[3].template.name} loses 2 members after ${on(leaveDay)}`);
  }
  if (teams[0] && teams[1]) {
    const moveDay = monthDay(12);
    const mover = teams[0].members[0]!;
    mover.toDay = moveDay - 1;
    teams[1].members.push({ ...mover, fromDay: moveDay, toDay: Number.POSITIVE_INFINITY });
    org.changes.push(
      `${mover.name} moves from ${teams[0].template.name} to ${teams[1].template.name} on ${on(moveDay)}`,
    );
  }
  if (teams.length >= 2 && teams[0]!.repos.length >= 2) {
    const target = teams[Math.min(5, teams.length - 1)]!;
    const moveDay = monthDay(15);
    const repo = teams[0]!.repos[teams[0]!.repos.length - 1]!;
    repo.toDay = moveDay - 1;
    target.repos.push({ ...repo, fromDay: moveDay, toDay: Number.POSITIVE_INFINITY });
    org.changes.push(
      `${repo.fullName} moves from ${teams[0]!.template.name} to ${target.template.name} on ${on(moveDay)}`,
    );
  }
}

/** One repository row per distinct repository (a moved one is listed once). */
function listRepositories(run: DemoRun, teams: TeamState[]): void {
  const { org, startMs } = run;
  const seen = new Set<string>();
  for (const team of teams) {
    for (const repo of team.repos) {
      if (seen.has(repo.fullName)) continue;
      seen.add(repo.fullName);
      org.repositories.push({
        provider: 'github',
        external_id: `demo:repo:${org.repositories.length + 1}`,
        full_name: repo.fullName,
        default_branch: 'main',
        html_url: `https://github.com/${repo.fullName}`,
        archived: false,
        created_at: new Date(startMs - 200 * DAY),
      });
    }
  }
}

/** A Jira issue of `team` with its To Do → In Progress → Done transitions up to the end. */
function addJiraIssue(
  run: DemoRun,
  team: TeamState,
  type: IssueType,
  summary: string,
  createdMs: number,
  startedMs: number | null,
  resolvedMs: number | null,
): NewJiraIssue {
  const { org, endMs } = run;
  run.seq.jira++;
  team.jiraCounter++;
  const key = `${team.template.project}-${team.jiraCounter}`;
  const externalId = `demo:jira:${run.seq.jira}`;
  const resolved = resolvedMs !== null && resolvedMs <= endMs ? resolvedMs : null;
  const started = startedMs !== null && startedMs <= endMs ? startedMs : null;
  const status = resolved !== null ? 'Done' : started !== null ? 'In Progress' : 'To Do';
  const issue: NewJiraIssue = {
    external_id: externalId,
    key,
    project_key: team.template.project,
    summary,
    issue_type_id: type.id,
    issue_type_name: type.name,
    classification:
      type.id === DEMO_ISSUE_TYPES.incident.id
        ? 'incident'
        : type.id === DEMO_ISSUE_TYPES.bug.id
          ? 'bug'
          : 'planned',
    status_name: status,
    status_category: resolved !== null ? 'done' : started !== null ? 'indeterminate' : 'new',
    labels: [],
    assignee_account_id: null,
    created_at: new Date(createdMs),
    resolved_at: resolved === null ? null : new Date(resolved),
    source_updated_at: new Date(resolved ?? started ?? createdMs),
    url: `https://stride-demo.atlassian.net/browse/${key}`,
  };
  org.jiraIssues.push(issue);
  const transition = (n: number, from: string, to: string, at: number) =>
    org.jiraTransitions.push({
      issue: externalId,
      external_id: `${externalId}:${n}`,
      from_status: from,
      to_status: to,
      author_account_id: null,
      transitioned_at: new Date(at),
    });
  if (started !== null) transition(1, 'To Do', 'In Progress', started);
  if (resolved !== null) transition(2, 'In Progress', 'Done', resolved);
  return issue;
}

/** What a team is on one day: its profile by then, and its local clock. */
interface TeamDay {
  team: TeamState;
  profile: Profile;
  /** Weekday activity weight (Sunday low). */
  weight: number;
  /** UTC instant of a local hour of the team's day. */
  localTime: (hour: number) => number;
  repos: TeamState['repos'];
  members: Member[];
}

function teamDay(run: DemoRun, team: TeamState, day: number): TeamDay {
  const dayStartUtc = run.startMs + day * DAY;
  const offset = team.template.utcOffset;
  return {
    team,
    profile: lerpProfile(team.template.from, team.template.to, day / run.dayCount),
    // Local day `day` of the team runs from dayStartUtc - offset (see localTime), so its weekday is dayStartUtc's.
    weight: WEEKDAY_WEIGHT[new Date(dayStartUtc).getUTCDay()]!,
    localTime: (hour: number) => dayStartUtc + (hour - offset) * HOUR,
    repos: team.repos.filter((r) => r.fromDay <= day && day <= r.toDay),
    members: team.members.filter((m) => m.fromDay <= day && day <= m.toDay),
  };
}

/** The day's production deployments of one repository, and the incidents some of them cause. */
function deployRepository(run: DemoRun, today: TeamDay, repo: TeamState['repos'][number]): void {
  const { random, endMs, org } = run;
  const { profile, team } = today;
  const count = random.poisson(((profile.deploysPerRepoWeek * repo.weight * 2) / 5) * today.weight);
  for (let k = 0; k < count; k++) {
    const deployedMs = Math.round(today.localTime(workHour(random, profile.outOfHours / 2)));
    if (deployedMs > endMs) continue;
    run.seq.deploy++;
    const failed = random.chance(0.03);
    org.deployments.push({
      repository: repo.fullName,
      source: 'github_deployments',
      external_id: `demo:deploy:${run.seq.deploy}`,
      environment: 'production',
      is_production: true,
      sha: random.hex(40),
      ref: 'main',
      status: failed ? 'failure' : 'success',
      created_at: new Date(deployedMs - Math.round(random.logNormal(6, 0.5) * 60_000)),
      deployed_at: failed ? null : new Date(deployedMs),
      url: null,
      source_updated_at: new Date(deployedMs),
    });
    if (failed || !random.chance(profile.changeFailure)) continue;
    causeIncident(run, team, repo.fullName, profile, deployedMs);
  }
}

/** An incident a deployment caused: starts hours later; recovery is log-normal. */
function causeIncident(
  run: DemoRun,
  team: TeamState,
  repository: string,
  profile: Profile,
  deployedMs: number,
): void {
  const { random, endMs, org } = run;
  const startedMs = deployedMs + Math.min(5 * DAY, Math.round(random.logNormal(3, 1.1) * HOUR));
  if (startedMs > endMs) return;
  const resolvedMs =
    startedMs + Math.max(5 * 60_000, Math.round(random.logNormal(profile.recoveryHours, 1.1) * HOUR));
  const summary = `${random.pick(['Errors on', 'Outage of', 'Latency spike in', 'Degraded'])} ${repository.split('/')[1]}`;
  const issue = addJiraIssue(run, team, DEMO_ISSUE_TYPES.incident, summary, startedMs, startedMs, resolvedMs);
  org.incidents.push({
    source: 'jira',
    external_id: issue.external_id,
    key: issue.key,
    title: summary,
    repository,
    jira_project_key: team.template.project,
    severity: random.weighted(['sev1', 'sev2', 'sev3'], [1, 3, 6]),
    started_at: new Date(startedMs),
    resolved_at: issue.resolved_at ?? null,
    deployment_ref: null,
    url: issue.url ?? null,
    source_updated_at: issue.source_updated_at,
  });
}

/** The pull requests a team opens on one day (its members' and the dependency bots'). */
function openPullRequests(run: DemoRun, today: TeamDay): void {
  const { random } = run;
  if (today.repos.length === 0 || today.members.length === 0) return;
  const botCount = random.poisson((0.35 * today.repos.length * today.weight) / 5);
  const prCount = random.poisson(
    ((today.profile.prsPerMemberWeek * today.members.length) / 5) * today.weight,
  );
  for (let k = 0; k < prCount + botCount; k++) openPullRequest(run, today, k >= prCount);
}

/** One PR with its Jira issue (most human PRs), commits, review rounds, and sometimes a revert. */
function openPullRequest(run: DemoRun, today: TeamDay, isBot: boolean): void {
  const { random, endMs, org } = run;
  const { profile, repos, members } = today;
  const repo = random.weighted(
    repos,
    repos.map((r) => r.weight),
  );
  const author = isBot ? null : random.pick(members);
  const authorLogin = author ? author.login : random.pick(BOTS);
  const createdMs = Math.round(today.localTime(workHour(random, profile.outOfHours)));
  if (createdMs > endMs) return;
  const unplanned = !isBot && random.chance(profile.unplanned);
  const noun = random.pick(NOUNS);
  let title = isBot
    ? `Bump ${noun.replace(/ /g, '-')} from 1.${random.int(0, 9)} to 1.${random.int(10, 20)}`
    : unplanned
      ? `Fix ${noun}`
      : `${random.pick(VERBS)} ${noun}`;
  const codingMs = isBot
    ? 60_000
    : Math.max(10 * 60_000, Math.round(random.logNormal(profile.codingHours, 1) * HOUR));
  const firstCommitMs = createdMs - codingMs;
  const linked: string[] = [];
  const abandoned = random.chance(0.06);
  const mergedWithoutReview = random.chance(isBot ? 0.5 : 0.05);
  const pickupMs = Math.max(
    2 * 60_000,
    Math.round(random.logNormal(isBot ? profile.pickupHours / 2 : profile.pickupHours, 1.1) * HOUR),
  );
  const firstReviewMs = mergedWithoutReview ? null : createdMs + pickupMs;
  const reviewMs = Math.max(5 * 60_000, Math.round(random.logNormal(profile.reviewHours, 1) * HOUR));
  const mergeMs =
    (firstReviewMs ?? createdMs + Math.round(random.logNormal(2, 1) * HOUR)) + (firstReviewMs ? reviewMs : 0);
  const merged = !abandoned && mergeMs <= endMs;
  const closedMs = abandoned ? createdMs + Math.round(random.logNormal(72, 1) * HOUR) : null;
  const closed = closedMs !== null && closedMs <= endMs;
  if (!isBot && random.chance(0.7)) {
    const type = unplanned
      ? DEMO_ISSUE_TYPES.bug
      : random.chance(0.7)
        ? DEMO_ISSUE_TYPES.story
        : DEMO_ISSUE_TYPES.task;
    const issue = addJiraIssue(
      run,
      today.team,
      type,
      title,
      firstCommitMs - Math.round(random.logNormal(48, 1) * HOUR),
      firstCommitMs,
      merged ? mergeMs + Math.round(random.logNormal(4, 1) * HOUR) : null,
    );
    linked.push(issue.key);
    title = `${issue.key}: ${title}`;
  }
  run.seq.pr++;
  const prSeq = run.seq.pr;
  const prId = `demo:pr:${prSeq}`;
  const additions = Math.max(1, Math.round(random.logNormal(isBot ? 6 : 70, 1.1)));
  const deletions = Math.max(0, Math.round(random.logNormal(isBot ? 6 : 25, 1.2)));
  const commitCount = isBot ? 1 : 1 + random.poisson(1.6);
  org.pullRequests.push({
    repository: repo.fullName,
    external_id: prId,
    number: 0,
    title,
    author_login: authorLogin,
    author_is_bot: isBot,
    state: merged ? 'merged' : closed ? 'closed' : 'open',
    draft: false,
    base_branch: 'main',
    head_branch: `${isBot ? 'deps' : authorLogin}/${noun.replace(/ /g, '-')}-${prSeq}`,
    created_at: new Date(createdMs),
    ready_for_review_at: new Date(createdMs),
    first_commit_at: new Date(firstCommitMs),
    first_review_at: firstReviewMs !== null && firstReviewMs <= endMs ? new Date(firstReviewMs) : null,
    merged_at: merged ? new Date(mergeMs) : null,
    closed_at: merged ? new Date(mergeMs) : closed ? new Date(closedMs!) : null,
    source_updated_at: new Date(Math.min(endMs, merged ? mergeMs : (closedMs ?? createdMs))),
    additions,
    deletions,
    changed_files: Math.max(1, Math.round((additions + deletions) / random.logNormal(40, 0.5))),
    commits_count: commitCount,
    merge_commit_sha: merged ? random.hex(40) : null,
    labels: isBot ? ['dependencies'] : unplanned ? [random.weighted(['bug', 'hotfix'], [4, 1])] : [],
    is_unplanned: unplanned,
    linked_issue_keys: linked,
    html_url: null,
  });
  for (let c = 0; c < commitCount; c++) {
    const authoredMs = c === 0 ? firstCommitMs : firstCommitMs + Math.round(random.next() * codingMs);
    org.commits.push({
      pullRequest: prId,
      sha: random.hex(40),
      author_login: authorLogin,
      author_email: `${authorLogin}@users.noreply.github.com`,
      authored_at: new Date(authoredMs),
      committed_at: new Date(authoredMs),
    });
  }
  if (firstReviewMs !== null) {
    const lastMs = merged ? mergeMs - 60_000 : Math.min(endMs, firstReviewMs + reviewMs);
    reviewPullRequest(
      run,
      prId,
      members.filter((m) => m !== author),
      firstReviewMs,
      lastMs,
      merged,
    );
  }
  // A few merged changes are reverted soon after: rollbacks (rework, change failure).
  if (merged && !isBot && random.chance(0.015)) {
    revertPullRequest(run, repo.fullName, title, authorLogin, mergeMs, additions, deletions);
  }
}

/** Review rounds from `firstReviewMs` to `lastMs`; the last one approves a merged PR. */
function reviewPullRequest(
  run: DemoRun,
  prId: string,
  reviewers: Member[],
  firstReviewMs: number,
  lastMs: number,
  merged: boolean,
): void {
  const { random, endMs, org } = run;
  if (reviewers.length === 0) return;
  // Review load is uneven: the first members of a team review most.
  const reviewerWeights = reviewers.map((_, i) => 1 / (i + 1));
  const rounds = 1 + random.poisson(0.7);
  for (let rr = 0; rr < rounds; rr++) {
    const atMs =
      rr === 0
        ? firstReviewMs
        : firstReviewMs + Math.round(random.next() * Math.max(0, lastMs - firstReviewMs));
    if (atMs > endMs) continue;
    run.seq.review++;
    org.reviews.push({
      pullRequest: prId,
      external_id: `demo:review:${run.seq.review}`,
      kind: 'review',
      reviewer_login: random.weighted(reviewers, reviewerWeights).login,
      reviewer_is_bot: false,
      state:
        rr === rounds - 1 && merged
          ? 'APPROVED'
          : random.weighted(['COMMENTED', 'CHANGES_REQUESTED'], [3, 1]),
      submitted_at: new Date(atMs),
    });
  }
}

/** A revert PR of a merged change, merged quickly (when it lands before the end). */
function revertPullRequest(
  run: DemoRun,
  repository: string,
  title: string,
  authorLogin: string,
  mergeMs: number,
  additions: number,
  deletions: number,
): void {
  const { random, endMs, org } = run;
  const revertCreated = mergeMs + Math.round(random.logNormal(6, 1) * HOUR);
  const revertMerged = revertCreated + Math.round(random.logNormal(0.5, 0.8) * HOUR);
  if (revertMerged > endMs) return;
  run.seq.pr++;
  org.pullRequests.push({
    repository,
    external_id: `demo:pr:${run.seq.pr}`,
    number: 0,
    title: `Revert "${title}"`,
    author_login: authorLogin,
    author_is_bot: false,
    state: 'merged',
    draft: false,
    base_branch: 'main',
    head_branch: `revert-${run.seq.pr}`,
    created_at: new Date(revertCreated),
    ready_for_review_at: new Date(revertCreated),
    first_commit_at: new Date(revertCreated - 120_000),
    first_review_at: null,
    merged_at: new Date(revertMerged),
    closed_at: new Date(revertMerged),
    source_updated_at: new Date(revertMerged),
    additions: deletions,
    deletions: additions,
    changed_files: 1,
    commits_count: 1,
    merge_commit_sha: random.hex(40),
    labels: ['revert'],
    is_unplanned: true,
    linked_issue_keys: [],
    html_url: null,
  });
}

/** PR numbers follow creation order per repository, as on GitHub. */
function numberPullRequests(pullRequests: KeyedPullRequest[]): void {
  pullRequests.sort(
    (a, b) => +(a.created_at as Date) - +(b.created_at as Date) || (a.external_id < b.external_id ? -1 : 1),
  );
  const numbers = new Map<string, number>();
  for (const pr of pullRequests) {
    const n = (numbers.get(pr.repository) ?? 0) + 1;
    numbers.set(pr.repository, n);
    pr.number = n;
    pr.html_url = `https://github.com/${pr.repository}/pull/${n}`;
  }
}

/** The teams section of the config: dated memberships and the repositories each team owns now. */
function teamConfigs(run: DemoRun, teams: TeamState[]): TeamConfig[] {
  const date = (day: number) => isoDay(run.startMs + day * DAY);
  return teams.map((team) => ({
    slug: team.template.slug,
    name: team.template.name,
    timezone: team.template.timezone,
    members: team.members.map((m) => ({
      name: m.name,
      github: m.login,
      jira: m.jira,
      ...(m.fromDay > 0 ? { from: date(m.fromDay) } : {}),
      ...(Number.isFinite(m.toDay) ? { to: date(m.toDay) } : {}),
    })),
    repositories: team.repos.filter((r) => !Number.isFinite(r.toDay)).map((r) => r.fullName),
    jiraProjects: [team.template.project],
  }));
}

/**
 * Generates a demo organisation: `teams` teams (default 8) owning `repositories` repositories
 * (default 5 per team) with `years` (default 2) of pull requests, reviews, commits, production
 * deployments, incidents and Jira issues ending at `end`. Pure and deterministic: the same
 * options give the same rows.
 *
 * Realism: durations are log-normal (coding, pickup, review, recovery), activity follows
 * weekday and working-hour patterns in each team's timezone (with a team-specific share of
 * out-of-hours work), teams have different delivery profiles (DORA elite to low, some improving
 * or slipping over time), and the organisation changes: dated memberships (a team grows, one
 * shrinks, a person moves team) and a repository moving between teams (its later PRs are by the
 * new owner's members; the config lists its current owner).
 */
export function generateDemoOrg(options: DemoOrgOptions): DemoOrg {
  const run = startRun(options);
  const teamCount = options.teams ?? 8;
  const teams = formTeams(run, teamCount);
  assignRepositories(teams, options.repositories ?? teamCount * 5);
  changeOrganisation(run, teams);
  listRepositories(run, teams);
  for (let day = 0; day <= run.dayCount; day++) {
    for (const team of teams) {
      const today = teamDay(run, team, day);
      for (const repo of today.repos) deployRepository(run, today, repo);
      openPullRequests(run, today);
    }
  }
  numberPullRequests(run.org.pullRequests);
  run.org.teams = teamConfigs(run, teams);
  return run.org;
}
