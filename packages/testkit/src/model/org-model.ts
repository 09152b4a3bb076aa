import type { TeamConfig } from '@stride/shared/config';
import { createRandom, type Random } from '../random.ts';
import { applyAiAdoption } from './ai-adoption.ts';
import type {
  ModelDeployment,
  ModelJiraIssue,
  ModelPerson,
  ModelPullRequest,
  ModelRepository,
  ModelReview,
  ModelTeam,
  OrgModel,
  OrgModelOptions,
  RepositoryActivity,
} from './org-model-types.ts';
import {
  BOTS,
  FIRST_NAMES,
  LAST_NAMES,
  NOUNS,
  type Profile,
  REPO_SUFFIXES,
  TEAM_TEMPLATES,
  VERBS,
  WEEKDAY_WEIGHT,
} from './team-profiles.ts';
import { LocalClock, WORKDAY, weekdayOf, workingTimeBefore } from './working-hours.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Mean of the profiles' PRs per member per week: `prsPerTeamWeek` is scaled by a profile's share of it. */
const MEAN_PRS_PER_MEMBER_WEEK = 2.15;

/** Jira issue types of the model (the demo config's bugTypes / incidentTypes name them). */
export const MODEL_ISSUE_TYPES = {
  story: { id: '10001', name: 'Story' },
  task: { id: '10002', name: 'Task' },
  bug: { id: '10004', name: 'Bug' },
  incident: { id: '10005', name: 'Incident' },
} as const;
type IssueType = (typeof MODEL_ISSUE_TYPES)[keyof typeof MODEL_ISSUE_TYPES];

/** Whole seconds, as GitHub and Jira give times. */
const sec = (ms: number) => Math.round(ms / 1000) * 1000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A seed for one repository's stream, independent of every other repository's. */
function streamSeed(seed: number, index: number, salt: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77) ^ salt;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

function lerpProfile(a: Profile, b: Profile, t: number): Profile {
  const out = { ...a };
  for (const key of Object.keys(a) as (keyof Profile)[]) out[key] = a[key] + (b[key] - a[key]) * t;
  return out;
}

/** A local time of day (hours) in working hours, or out of hours with probability `outOfHours`. */
function workHour(random: Random, outOfHours: number): number {
  if (random.chance(outOfHours)) return random.chance(0.5) ? 6 + random.next() * 2 : 19 + random.next() * 4;
  const center = random.chance(0.5) ? 10.5 : 15;
  return Math.min(WORKDAY.end, Math.max(WORKDAY.start, center + random.normal() * 1.6));
}

// ---------------------------------------------------------------------------------------------
// The organisation: teams, people, repositories (small; built whole).

interface Frame {
  options: OrgModelOptions;
  random: Random;
  startMs: number;
  endMs: number;
  dayCount: number;
  owner: string;
  prefix: string;
  usedLogins: Set<string>;
}

function hirePerson(frame: Frame, fromDay: number): ModelPerson {
  const { random, usedLogins } = frame;
  for (;;) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    let login = `${first}-${last}`.toLowerCase();
    if (usedLogins.has(login)) login = `${login}${random.int(2, 99)}`;
    if (usedLogins.has(login)) continue;
    usedLogins.add(login);
    return { name: `${first} ${last}`, login, jiraAccountId: random.hex(24), fromDay, toDay: Infinity };
  }
}

/** The teams: named by the preset or the templates (numbered copies beyond eight), with members. */
function formTeams(frame: Frame): ModelTeam[] {
  const { options } = frame;
  const teams: ModelTeam[] = [];
  for (let i = 0; i < options.teams; i++) {
    const base = TEAM_TEMPLATES[i % TEAM_TEMPLATES.length]!;
    const round = Math.floor(i / TEAM_TEMPLATES.length);
    const named = options.naming?.team?.(i) ?? {
      slug: round === 0 ? base.slug : `${base.slug}-${round + 1}`,
      name: round === 0 ? base.name : `${base.name} ${round + 1}`,
      project: round === 0 ? base.project : `${base.project}${round + 1}`,
      timezone: base.timezone,
    };
    const profiles = options.profiles?.(i) ?? { from: base.from, to: base.to };
    const size = options.membersPerTeam ?? base.size;
    const members = Array.from({ length: size }, (_, m) => {
      const given = options.naming?.member?.({ slug: named.slug, index: i }, m);
      if (!given) return hirePerson(frame, 0);
      frame.usedLogins.add(given.login);
      return { ...given, jiraAccountId: frame.random.hex(24), fromDay: 0, toDay: Infinity };
    });
    teams.push({
      slug: named.slug,
      name: named.name,
      timezone: named.timezone,
      jiraProject: named.project,
      members,
      ...profiles,
    });
  }
  return teams;
}

interface OwnedRepository {
  fullName: string;
  /** Share of the team's work (a team's first repositories get most). */
  weight: number;
}

/** Deals the repositories round-robin over the teams. */
function dealRepositories(frame: Frame, teams: ModelTeam[]): Map<string, OwnedRepository[]> {
  const owned = new Map<string, OwnedRepository[]>(teams.map((t) => [t.slug, []]));
  const count = frame.options.repositories ?? teams.length * 5;
  for (let r = 0; r < count; r++) {
    const teamIndex = r % teams.length;
    const team = teams[teamIndex]!;
    const list = owned.get(team.slug)!;
    const n = list.length;
    const suffix = REPO_SUFFIXES[n % REPO_SUFFIXES.length]!;
    const name = n < REPO_SUFFIXES.length ? suffix : `${suffix}-${Math.floor(n / REPO_SUFFIXES.length) + 1}`;
    const fullName =
      frame.options.naming?.repository?.({ slug: team.slug, index: teamIndex }, n) ??
      `${frame.owner}/${team.slug}-${name}`;
    list.push({ fullName, weight: 1 / (n + 1) });
  }
  return owned;
}

/**
 * The organisation's changes at fixed points of the history (month m of two years, scaled to
 * the generated length): a team grows, one shrinks, a person moves team, a repository moves.
 */
function changeOrganisation(
  frame: Frame,
  teams: ModelTeam[],
  repositories: ModelRepository[],
  changes: string[],
): void {
  const monthDay = (m: number) => Math.round((m / 24) * frame.dayCount);
  const on = (day: number) => isoDay(frame.startMs + day * DAY);
  if (teams[2]) {
    const joinDay = monthDay(10);
    for (let k = 0; k < 3; k++) teams[2].members.push(hirePerson(frame, joinDay));
    changes.push(`${teams[2].name} grows by 3 members on ${on(joinDay)}`);
  }
  if (teams[3] && teams[3].members.length > 3) {
    const leaveDay = monthDay(14);
    for (const member of teams[3].members.slice(-2)) member.toDay = leaveDay;
    changes.push(`${teams[3].name} loses 2 members after ${on(leaveDay)}`);
  }
  if (teams[0] && teams[1]) {
    const moveDay = monthDay(12);
    const mover = teams[0].members[0]!;
    mover.toDay = moveDay - 1;
    teams[1].members.push({ ...mover, fromDay: moveDay, toDay: Infinity });
    changes.push(`${mover.name} moves from ${teams[0].name} to ${teams[1].name} on ${on(moveDay)}`);
  }
  const firstTeamRepos = repositories.filter((r) => r.owners[0]!.team === teams[0]?.slug);
  if (teams.length >= 2 && firstTeamRepos.length >= 2) {
    const target = teams[Math.min(5, teams.length - 1)]!;
    const moveDay = monthDay(15);
    const repo = firstTeamRepos.at(-1)!;
    repo.owners[0]!.toDay = moveDay - 1;
    repo.owners.push({ team: target.slug, fromDay: moveDay, toDay: Infinity });
    changes.push(`${repo.fullName} moves from ${teams[0]!.name} to ${target.name} on ${on(moveDay)}`);
  }
}

/**
 * Staff turnover of every team (`OrgModelOptions.turnover`), spread over the history: someone
 * joins somewhere in its middle (15 % to 70 % of the days, a different point per team), and in its
 * last 90 days (or last half, when shorter) someone else joins, or, in every third team with more
 * than 3 members from the start, one of them leaves. Each is a dated config member (`from`, `to`),
 * so Stride's automatic "joined/left the team" events appear as with a real config.
 */
function turnOver(frame: Frame, teams: ModelTeam[], changes: string[]): void {
  const on = (day: number) => isoDay(frame.startMs + day * DAY);
  const frac = (x: number) => x - Math.floor(x);
  const recentWindow = Math.min(90, Math.floor(frame.dayCount / 2));
  for (const [i, team] of teams.entries()) {
    const joinDay = Math.round(frame.dayCount * (0.15 + 0.55 * frac(i * 0.618)));
    const joiner = hirePerson(frame, joinDay);
    team.members.push(joiner);
    changes.push(`${joiner.name} joins ${team.name} on ${on(joinDay)}`);
    const recentDay =
      frame.dayCount - Math.max(1, Math.round(recentWindow * (0.1 + 0.8 * frac(i * 0.618 + 0.3))));
    const stayers = team.members.filter((m) => m.fromDay === 0 && m.toDay === Infinity);
    if (i % 3 === 1 && stayers.length > 3) {
      // Not the first members: they do most reviews, and a move of the org changes may name them.
      const leaver = stayers[Math.floor(stayers.length / 2)]!;
      leaver.toDay = recentDay - 1;
      changes.push(`${leaver.name} leaves ${team.name} after ${on(leaver.toDay)}`);
    } else {
      const newcomer = hirePerson(frame, recentDay);
      team.members.push(newcomer);
      changes.push(`${newcomer.name} joins ${team.name} on ${on(recentDay)}`);
    }
  }
}

function teamConfig(frame: Frame, team: ModelTeam, repositories: ModelRepository[]): TeamConfig {
  const date = (day: number) => isoDay(frame.startMs + day * DAY);
  return {
    slug: team.slug,
    name: team.name,
    timezone: team.timezone,
    members: team.members.map((m) => ({
      name: m.name,
      github: m.login,
      jira: m.jiraAccountId,
      ...(m.fromDay > 0 ? { from: date(m.fromDay) } : {}),
      ...(Number.isFinite(m.toDay) ? { to: date(m.toDay) } : {}),
    })),
    repositories: repositories.filter((r) => r.owners.at(-1)!.team === team.slug).map((r) => r.fullName),
    jiraProjects: [team.jiraProject],
  };
}

// ---------------------------------------------------------------------------------------------
// One repository's activity (streamed).

/** Shared by every repository of one pass over the organisation: Jira counters. */
interface PassState {
  issueNumbers: Map<string, number>;
  nextIssueId: number;
}

/** The organisation's fixed parts every repository's generation reads. */
interface Org {
  frame: Frame;
  teams: Map<string, ModelTeam>;
  /** Each team's repositories over time (moved ones under both teams), with their weights. */
  teamRepositories: Map<string, { repo: ModelRepository; weight: number }[]>;
  clocks: Map<string, LocalClock>;
}

/** One repository being generated: its random streams and the rows so far. */
interface RepoRun {
  org: Org;
  pass: PassState;
  repo: ModelRepository;
  index: number;
  random: Random;
  out: RepositoryActivity;
  seq: { review: number; deploy: number; incident: number };
}

/** What the owning team of the repository is on one day. */
interface RepoDay {
  day: number;
  team: ModelTeam;
  profile: Profile;
  clock: LocalClock;
  /** Local calendar day number of the team. */
  localDay: number;
  /** Weekday activity weight (weekends low). */
  weight: number;
  /** Who may author and review: the team's members that day (and a leaver still contributing). */
  people: ModelPerson[];
  /** This repository's share of the team's work that day (0..1). */
  share: number;
  /** This repository's weight in its team (1 for the first, 1/2 for the second...). */
  repoWeight: number;
}

const ownerOn = (repo: ModelRepository, day: number) =>
  repo.owners.find((o) => o.fromDay <= day && day <= o.toDay)?.team;

function repoDay(run: RepoRun, day: number): RepoDay | null {
  const slug = ownerOn(run.repo, day);
  if (slug === undefined) return null;
  const { frame } = run.org;
  const team = run.org.teams.get(slug)!;
  let total = 0;
  let mine = 0;
  for (const { repo, weight } of run.org.teamRepositories.get(slug)!) {
    if (ownerOn(repo, day) !== slug) continue;
    total += weight;
    if (repo === run.repo) mine = weight;
  }
  const localDay = Math.floor(frame.startMs / DAY) + day;
  const leaver = frame.options.leaverPerTeam ? team.members.at(-1) : undefined;
  return {
    day,
    team,
    profile: lerpProfile(team.from, team.to, day / frame.dayCount),
    clock: run.org.clocks.get(team.timezone)!,
    localDay,
    weight: WEEKDAY_WEIGHT[weekdayOf(localDay)]!,
    people: team.members.filter((m) => m.fromDay <= day && (day <= m.toDay || m === leaver)),
    share: total > 0 ? mine / total : 0,
    repoWeight: mine,
  };
}

/** A Jira issue of the team's project with its To Do → In Progress → Done transitions up to the end. */
function addJiraIssue(
  run: RepoRun,
  team: ModelTeam,
  type: IssueType,
  summary: string,
  times: { created: number; started: number | null; resolved: number | null },
  assignee: ModelPerson | null,
): ModelJiraIssue {
  const { frame } = run.org;
  const project = team.jiraProject;
  const number = (run.pass.issueNumbers.get(project) ?? 0) + 1;
  run.pass.issueNumbers.set(project, number);
  run.pass.nextIssueId += 1;
  const key = `${project}-${number}`;
  const externalId = `${frame.prefix}jira:${key}`;
  const created = sec(times.created);
  const resolved = times.resolved !== null && times.resolved <= frame.endMs ? sec(times.resolved) : null;
  const started = times.started !== null && times.started <= frame.endMs ? sec(times.started) : null;
  const steps = [
    [started, 'To Do', 'In Progress'],
    [resolved, 'In Progress', 'Done'],
  ] as const;
  const transitions = steps.flatMap(([at, from, to], k) =>
    at === null ? [] : [{ externalId: `${externalId}:${k + 1}`, from, to, at: new Date(at) }],
  );
  const issue: ModelJiraIssue = {
    externalId,
    id: String(run.pass.nextIssueId),
    key,
    project,
    summary,
    typeId: type.id,
    typeName: type.name,
    classification:
      type.id === MODEL_ISSUE_TYPES.incident.id
        ? 'incident'
        : type.id === MODEL_ISSUE_TYPES.bug.id
          ? 'bug'
          : 'planned',
    status: resolved !== null ? 'Done' : started !== null ? 'In Progress' : 'To Do',
    assignee: assignee?.jiraAccountId ?? null,
    createdAt: new Date(created),
    resolvedAt: resolved === null ? null : new Date(resolved),
    updatedAt: new Date(resolved ?? started ?? created),
    url: `https://${frame.options.jiraSite ?? 'stride-demo.atlassian.net'}/browse/${key}`,
    transitions,
  };
  run.out.jiraIssues.push(issue);
  return issue;
}

/** Commit times of a human PR opened at `createdMs` after `workMs` of work, in working hours mostly. */
function commitTimes(
  run: RepoRun,
  today: RepoDay,
  createdMs: number,
  workMs: number,
  count: number,
): number[] {
  const { random } = run;
  const times: number[] = [];
  for (let c = 0; c < count; c++) {
    let at = workingTimeBefore(today.clock, createdMs, c === 0 ? workMs : random.next() * workMs);
    // Some commits are made in the evening or early morning of the same local day.
    if (random.chance(today.profile.outOfHours)) {
      const day = today.clock.localDay(at);
      const late = today.clock.at(
        day,
        random.chance(0.7) ? 19.25 + random.next() * 3.5 : 6 + random.next() * 1.75,
      );
      if (late <= createdMs) at = late;
    }
    times.push(sec(Math.min(at, createdMs)));
  }
  return times;
}

/** Review rounds from `firstReviewMs` to `lastMs`; the last one approves a merged PR. */
function reviewRounds(
  run: RepoRun,
  prId: string,
  reviewers: ModelPerson[],
  firstReviewMs: number,
  lastMs: number,
  merged: boolean,
): ModelReview[] {
  const { random } = run;
  const { endMs } = run.org.frame;
  if (reviewers.length === 0) return [];
  // Review load is uneven: the first members of a team review most.
  const weights = reviewers.map((_, i) => 1 / (i + 1));
  const rounds = 1 + random.poisson(0.7);
  const reviews: ModelReview[] = [];
  for (let r = 0; r < rounds; r++) {
    const at =
      r === 0
        ? firstReviewMs
        : firstReviewMs + Math.round(random.next() * Math.max(0, lastMs - firstReviewMs));
    const state =
      r === rounds - 1 && merged ? 'APPROVED' : random.weighted(['COMMENTED', 'CHANGES_REQUESTED'], [3, 1]);
    const reviewer = random.weighted(reviewers, weights).login;
    if (at > endMs) continue;
    run.seq.review += 1;
    reviews.push({
      externalId: `${prId}:review:${run.seq.review}`,
      reviewer,
      isBot: false,
      kind: 'review',
      state,
      submittedAt: new Date(sec(at)),
    });
  }
  return reviews;
}

/** One PR with its Jira issue (most human PRs), commits, comments, review rounds, and sometimes a revert. */
function openPullRequest(run: RepoRun, today: RepoDay, isBot: boolean): void {
  const { random } = run;
  const { frame } = run.org;
  const { options, endMs } = frame;
  const { profile, people } = today;
  const author = isBot ? null : random.pick(people);
  const authorLogin = author ? author.login : random.pick(BOTS);
  const createdMs = sec(today.clock.at(today.localDay, workHour(random, profile.outOfHours)));
  if (createdMs > endMs) return;
  const unplanned = !isBot && random.chance(profile.unplanned);
  const noun = random.pick(NOUNS);
  let title = isBot
    ? `Bump ${noun.replace(/ /g, '-')} from 1.${random.int(0, 9)} to 1.${random.int(10, 20)}`
    : unplanned
      ? `Fix ${noun}`
      : `${random.pick(VERBS)} ${noun}`;
  const draft = random.chance(options.draftShare ?? 0);
  const readyMs = draft ? sec(createdMs + random.next() * DAY) : null;
  const openedMs = readyMs ?? createdMs;
  const workMs = isBot
    ? MINUTE
    : Math.min(300 * HOUR, Math.max(10 * MINUTE, random.logNormal(profile.codingHours, 1) * HOUR));
  // A stalled PR waits for weeks without a review, then is closed unmerged (or is still open).
  const stalled = !isBot && random.chance(options.stalledShare ?? 0.03);
  const abandoned = stalled || random.chance(0.06);
  const withoutReview = stalled || random.chance(isBot ? 0.5 : 0.05);
  const pickupMs = Math.max(
    2 * MINUTE,
    random.logNormal(isBot ? profile.pickupHours / 2 : profile.pickupHours, 1.1) * HOUR,
  );
  const firstReviewMs = withoutReview ? null : openedMs + pickupMs;
  const reviewMs = Math.max(5 * MINUTE, random.logNormal(profile.reviewHours, 1) * HOUR);
  const mergeMs = sec(
    (firstReviewMs ?? openedMs + random.logNormal(2, 1) * HOUR) + (firstReviewMs !== null ? reviewMs : 0),
  );
  const merged = !abandoned && mergeMs <= endMs && (readyMs === null || readyMs <= endMs);
  const closedMs = abandoned
    ? sec(openedMs + random.logNormal(stalled ? 20 * 24 : 72, stalled ? 0.8 : 1) * HOUR)
    : null;
  const closed = closedMs !== null && closedMs <= endMs;
  const commitCount = isBot ? 1 : 1 + random.poisson(1.6);
  const commitAt = isBot ? [createdMs - MINUTE] : commitTimes(run, today, createdMs, workMs, commitCount);
  const firstCommitMs = Math.min(...commitAt);
  const linked: string[] = [];
  if (!isBot && random.chance(options.jiraIssueShare ?? 0.7)) {
    const type = unplanned
      ? MODEL_ISSUE_TYPES.bug
      : random.chance(0.7)
        ? MODEL_ISSUE_TYPES.story
        : MODEL_ISSUE_TYPES.task;
    const issue = addJiraIssue(
      run,
      today.team,
      type,
      title,
      {
        created: firstCommitMs - random.logNormal(48, 1) * HOUR,
        started: firstCommitMs,
        resolved: merged ? mergeMs + random.logNormal(4, 1) * HOUR : null,
      },
      author,
    );
    linked.push(issue.key);
    title = `${issue.key}: ${title}`;
  }
  const additions = Math.max(1, Math.round(random.logNormal(isBot ? 6 : 70, 1.1)));
  const deletions = Math.max(0, Math.round(random.logNormal(isBot ? 6 : 25, 1.2)));
  const changedFiles = Math.max(1, Math.round((additions + deletions) / random.logNormal(40, 0.5)));
  const sizeKnown = !random.chance(options.unknownSizeShare ?? 0);
  const baseBranch = random.chance(options.releaseBranchShare ?? 0) ? 'release' : 'main';
  const mergeSha = merged ? random.hex(40) : null;
  // The external id and number are set once the repository's PRs are in creation order.
  const pr: ModelPullRequest = {
    externalId: '',
    repository: run.repo.fullName,
    number: 0,
    title,
    author: authorLogin,
    authorIsBot: isBot,
    baseBranch,
    headBranch: `${isBot ? 'deps' : authorLogin}/${noun.replace(/ /g, '-')}-${random.hex(6)}`,
    state: merged ? 'merged' : closed ? 'closed' : 'open',
    draft: draft && readyMs! > endMs,
    createdAt: new Date(createdMs),
    readyForReviewAt: readyMs !== null && readyMs <= endMs ? new Date(readyMs) : null,
    mergedAt: merged ? new Date(mergeMs) : null,
    closedAt: merged ? new Date(mergeMs) : closed ? new Date(closedMs!) : null,
    additions: sizeKnown ? additions : null,
    deletions: sizeKnown ? deletions : null,
    changedFiles: sizeKnown ? changedFiles : null,
    labels: isBot ? ['dependencies'] : unplanned ? [random.weighted(['bug', 'hotfix'], [4, 1])] : [],
    isUnplanned: unplanned,
    linkedIssueKeys: linked,
    mergeCommitSha: mergeSha,
    url: '',
    commits: commitAt.map((at) => ({ sha: random.hex(40), author: authorLogin, authoredAt: new Date(at) })),
    reviews: [],
    requestedReviewers: [],
    ciState: null,
  };
  const teammates = people.filter((m) => m !== author);
  if (teammates.length > 0 && random.chance(options.commentShare ?? 0.3)) {
    const at = sec(openedMs + (0.1 + random.next() * 0.3) * HOUR);
    const commenter = random.pick(teammates).login;
    if (at <= endMs)
      pr.reviews.push({
        externalId: '',
        reviewer: commenter,
        isBot: false,
        kind: 'comment',
        state: 'COMMENTED',
        submittedAt: new Date(at),
      });
  }
  if (random.chance(options.botCommentShare ?? 0) && openedMs + MINUTE <= endMs) {
    pr.reviews.push({
      externalId: '',
      reviewer: 'ci-bot[bot]',
      isBot: true,
      kind: 'comment',
      state: 'COMMENTED',
      submittedAt: new Date(openedMs + MINUTE),
    });
  }
  if (firstReviewMs !== null && !stalled) {
    const lastMs = merged ? mergeMs - MINUTE : Math.min(endMs, firstReviewMs + reviewMs);
    pr.reviews.push(...reviewRounds(run, '', teammates, firstReviewMs, lastMs, merged));
  }
  requestReviewsAndRunChecks(run, pr, teammates, { isBot, createdMs, stalled });
  run.out.pullRequests.push(pr);
  // A few merged changes are reverted soon after: rollbacks (rework, change failure).
  if (merged && !isBot && random.chance(options.revertShare ?? 0.015)) revert(run, pr, mergeMs);
}

/**
 * Review requests and the head commit's CI state of a PR, from a generator of their own seeded
 * by the PR (repository, creation second), so that modelling them changed no other figure of the
 * organisation. Most human PRs ask one or two teammates (a third of stalled ones ask nobody:
 * they wait unnoticed); a submitted review takes its author off the list, as on GitHub; a draft
 * asks once it is ready. Merged heads passed CI; an open PR's checks mostly pass, some fail (the
 * author has to fix them) and those pushed in the last two days may still be running.
 */
function requestReviewsAndRunChecks(
  run: RepoRun,
  pr: ModelPullRequest,
  teammates: readonly { login: string }[],
  { isBot, createdMs, stalled }: { isBot: boolean; createdMs: number; stalled: boolean },
): void {
  const side = createRandom(streamSeed(Math.floor(createdMs / 1000), run.repo.id, 0x7e9));
  const { endMs } = run.org.frame;
  if (!isBot && !pr.draft && teammates.length > 0 && side.chance(stalled ? 0.65 : 0.85)) {
    const asked = new Set<string>();
    const count = Math.min(teammates.length, side.chance(0.3) ? 2 : 1);
    while (asked.size < count) asked.add(side.pick(teammates).login);
    const reviewed = new Set(pr.reviews.filter((r) => r.kind === 'review').map((r) => r.reviewer));
    pr.requestedReviewers = [...asked].filter((login) => !reviewed.has(login)).sort();
  }
  const lastPushMs = Math.max(...pr.commits.map((c) => +c.authoredAt));
  if (pr.state === 'merged') pr.ciState = 'success';
  else if (isBot) pr.ciState = side.weighted(['success', 'failure'], [9, 1]);
  else if (pr.state === 'open' && endMs - lastPushMs < 2 * DAY && side.chance(0.5)) pr.ciState = 'pending';
  else pr.ciState = side.weighted(['success', 'failure', null] as const, [16, 3, 1]);
}

/** A revert PR of a merged change, merged quickly (when it lands before the end). */
function revert(run: RepoRun, of: ModelPullRequest, mergeMs: number): void {
  const { random } = run;
  const created = sec(mergeMs + random.logNormal(6, 1) * HOUR);
  const merged = sec(created + random.logNormal(0.5, 0.8) * HOUR);
  const sha = random.hex(40);
  const commitSha = random.hex(40);
  if (merged > run.org.frame.endMs) return;
  run.out.pullRequests.push({
    ...of,
    externalId: '',
    title: `Revert "${of.title}"`,
    headBranch: `revert-${random.hex(6)}`,
    createdAt: new Date(created),
    readyForReviewAt: null,
    draft: false,
    requestedReviewers: [],
    ciState: 'success',
    mergedAt: new Date(merged),
    closedAt: new Date(merged),
    additions: of.deletions,
    deletions: of.additions,
    changedFiles: 1,
    labels: ['revert'],
    isUnplanned: true,
    linkedIssueKeys: [],
    mergeCommitSha: sha,
    commits: [{ sha: commitSha, author: of.author, authoredAt: new Date(created - 2 * MINUTE) }],
    reviews: [],
  });
}

/** The repository's PRs in creation order: numbers, ids and URLs as GitHub gives them; merges one second apart at least. */
function numberPullRequests(run: RepoRun): void {
  const prs = run.out.pullRequests;
  prs.sort((a, b) => +a.createdAt - +b.createdAt);
  const { prefix } = run.org.frame;
  prs.forEach((pr, i) => {
    pr.number = i + 1;
    pr.externalId = `${prefix}pr:${run.repo.fullName}#${pr.number}`;
    pr.url = `${run.repo.url}/pull/${pr.number}`;
    pr.reviews.forEach((r, k) => {
      r.externalId = `${pr.externalId}:${r.kind}:${k + 1}`;
    });
  });
  // Two merges in the same second would make the branch history ambiguous for the compare API.
  const merges = prs.filter((p) => p.mergedAt !== null).sort((a, b) => +a.mergedAt! - +b.mergedAt!);
  for (let i = 1; i < merges.length; i++) {
    const previous = +merges[i - 1]!.mergedAt!;
    if (+merges[i]!.mergedAt! <= previous) {
      merges[i]!.mergedAt = new Date(previous + 1000);
      merges[i]!.closedAt = merges[i]!.mergedAt;
    }
  }
}

/** An incident a deployment caused: starts hours later; recovery is log-normal. */
function causeIncident(run: RepoRun, today: RepoDay, deployedMs: number, random: Random): void {
  const { frame } = run.org;
  const { options, endMs } = frame;
  const startedMs = sec(deployedMs + Math.min(5 * DAY, random.logNormal(3, 1.1) * HOUR));
  const recoveryMs = Math.max(5 * MINUTE, random.logNormal(today.profile.recoveryHours, 1.1) * HOUR);
  const unresolved = random.chance(options.unresolvedIncidentShare ?? 0);
  const withoutRepository = random.chance(options.incidentWithoutRepositoryShare ?? 0);
  const severity = random.weighted(['sev1', 'sev2', 'sev3'], [1, 3, 6]);
  const summary = `${random.pick(['Errors on', 'Outage of', 'Latency spike in', 'Degraded'])} ${run.repo.fullName.split('/')[1]}`;
  if (startedMs > endMs) return;
  const resolvedRaw = unresolved ? null : sec(startedMs + recoveryMs);
  const resolvedMs = resolvedRaw !== null && resolvedRaw <= endMs ? resolvedRaw : null;
  const source = options.incidentSource ?? 'jira';
  run.seq.incident += 1;
  const base = {
    title: summary,
    source,
    repository: withoutRepository ? null : run.repo.fullName,
    jiraProject: today.team.jiraProject,
    team: today.team.slug,
    severity,
    startedAt: new Date(startedMs),
    resolvedAt: resolvedMs === null ? null : new Date(resolvedMs),
  };
  if (source === 'jira') {
    const issue = addJiraIssue(
      run,
      today.team,
      MODEL_ISSUE_TYPES.incident,
      summary,
      { created: startedMs, started: startedMs, resolved: resolvedMs },
      null,
    );
    run.out.incidents.push({ ...base, externalId: issue.externalId, key: issue.key, url: issue.url });
    return;
  }
  const number = 10_000 + run.seq.incident;
  const id = `${frame.prefix}incident:${run.repo.fullName}#${number}`;
  run.out.incidents.push({
    ...base,
    externalId: id,
    key: source === 'github' ? `${run.repo.fullName}#${number}` : `INC-${run.index + 1}-${run.seq.incident}`,
    url:
      source === 'github'
        ? `${run.repo.url}/issues/${number}`
        : `https://status.example.com/incidents/${run.index + 1}-${run.seq.incident}`,
  });
}

/**
 * The repository's deployments, day by day in its owning team's working hours: each ships the
 * last change merged before it started (none before the first merge); some runs fail, some
 * reach staging only, and some production deployments cause an incident.
 */
function deployRepository(run: RepoRun, random: Random): void {
  const { frame } = run.org;
  const { options, endMs } = frame;
  const merges = run.out.pullRequests
    .filter((p) => p.mergedAt !== null && p.baseBranch === run.repo.defaultBranch)
    .sort((a, b) => +a.mergedAt! - +b.mergedAt!);
  const shipped = (at: number): string | null => {
    let lo = 0;
    let hi = merges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (+merges[mid]!.mergedAt! <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : merges[lo - 1]!.mergeCommitSha;
  };
  const environments = options.productionEnvironments ?? ['production'];
  const source = options.deploymentSource ?? 'github_deployments';
  const push = (d: Omit<ModelDeployment, 'externalId' | 'repository' | 'url' | 'source' | 'ref'>) => {
    run.seq.deploy += 1;
    const externalId = `${frame.prefix}${run.repo.fullName}-deploy-${run.seq.deploy}`;
    run.out.deployments.push({
      ...d,
      externalId,
      repository: run.repo.fullName,
      source,
      ref: run.repo.defaultBranch,
      url: `${run.repo.url}/deployments/${externalId}`,
    });
  };
  for (let day = 0; day <= frame.dayCount; day++) {
    const today = repoDay(run, day);
    if (!today) continue;
    const perWeek = options.deploysPerRepoWeek ?? today.profile.deploysPerRepoWeek * 2 * today.repoWeight;
    const count = random.poisson((perWeek / 5) * today.weight);
    for (let k = 0; k < count; k++) {
      const deployedMs = sec(today.clock.at(today.localDay, workHour(random, today.profile.outOfHours / 2)));
      const createdMs = sec(deployedMs - random.logNormal(6, 0.5) * MINUTE);
      const failed = random.chance(options.failedDeploymentShare ?? 0.03);
      const rolledBack = !failed && random.chance(options.rolledBackShare ?? 0);
      const causes = !failed && random.chance(today.profile.changeFailure);
      const staging = random.chance(options.stagingShare ?? 0);
      const stagingMs = sec(today.clock.at(today.localDay, random.next() * 24));
      const environment = environments.length === 1 ? environments[0]! : random.pick(environments);
      const sha = shipped(createdMs);
      if (deployedMs > endMs || sha === null) continue;
      push({
        team: today.team.slug,
        environment,
        isProduction: true,
        status: failed ? 'failure' : 'success',
        sha,
        createdAt: new Date(createdMs),
        deployedAt: failed ? null : new Date(deployedMs),
        rolledBack,
      });
      if (staging && stagingMs <= endMs)
        push({
          team: today.team.slug,
          environment: 'staging',
          isProduction: false,
          status: 'success',
          sha: shipped(stagingMs) ?? sha,
          createdAt: new Date(stagingMs),
          deployedAt: new Date(stagingMs),
          rolledBack: false,
        });
      if (causes) causeIncident(run, today, deployedMs, random);
    }
  }
  run.out.deployments.sort((a, b) => +a.createdAt - +b.createdAt);
}

/** Everything one repository saw over the history. */
function generateRepository(
  org: Org,
  pass: PassState,
  repo: ModelRepository,
  index: number,
): RepositoryActivity {
  const { frame } = org;
  const run: RepoRun = {
    org,
    pass,
    repo,
    index,
    random: createRandom(streamSeed(frame.options.seed, index, 0x50)),
    out: { repository: repo, pullRequests: [], deployments: [], incidents: [], jiraIssues: [] },
    seq: { review: 0, deploy: 0, incident: 0 },
  };
  const botsPerWeek = frame.options.botPrsPerRepoWeek ?? 0.35;
  for (let day = 0; day <= frame.dayCount; day++) {
    const today = repoDay(run, day);
    if (!today || today.people.length === 0) continue;
    const teamWeekly =
      frame.options.prsPerTeamWeek !== undefined
        ? (frame.options.prsPerTeamWeek * today.profile.prsPerMemberWeek) / MEAN_PRS_PER_MEMBER_WEEK
        : today.profile.prsPerMemberWeek * today.people.length;
    const humans = run.random.poisson(((teamWeekly * today.share) / 5) * today.weight);
    const bots = run.random.poisson((botsPerWeek / 5) * today.weight);
    for (let k = 0; k < humans + bots; k++) openPullRequest(run, today, k >= humans);
  }
  numberPullRequests(run);
  deployRepository(run, createRandom(streamSeed(frame.options.seed, index, 0xde)));
  return run.out;
}

/**
 * The one organisation model of the test kit: `options` (seed, sizes, volume, end date, shares
 * of awkward cases) → teams with dated memberships, repositories, and per repository its pull
 * requests (commits, reviews, comments), deployments, incidents and Jira issues. Deterministic
 * (seeded; never reads the clock). The organisation is built at once (small); activity is
 * generated per repository when iterated, each repository from its own random stream, so any
 * size streams in bounded memory.
 *
 * Realism: durations are log-normal (coding, pickup, review, recovery); work follows weekdays
 * and working hours in each team's IANA timezone (commits walk back over working time from the
 * PR's opening, with a profile-specific share in the evening or early morning); teams have DORA
 * profiles (elite to low, some drifting); deployments ship the last merged change.
 * @throws RangeError when `teams` < 1 or `days` < 1.
 */
export function createOrgModel(options: OrgModelOptions): OrgModel {
  if (!(options.teams >= 1) || !(options.days >= 1))
    throw new RangeError(
      `organisation model: teams and days must be at least 1 (got ${options.teams}, ${options.days})`,
    );
  const dayCount = Math.round(options.days);
  const startMs = Date.UTC(
    options.end.getUTCFullYear(),
    options.end.getUTCMonth(),
    options.end.getUTCDate() - dayCount,
  );
  const frame: Frame = {
    options,
    random: createRandom(options.seed),
    startMs,
    endMs: options.end.getTime(),
    dayCount,
    owner: options.owner ?? 'stride-demo',
    prefix: options.idPrefix ?? '',
    usedLogins: new Set(),
  };
  const teams = formTeams(frame);
  const dealt = dealRepositories(frame, teams);
  const repositories: ModelRepository[] = [];
  const weightOf = new Map<ModelRepository, number>();
  // Listed team by team, so a team's repositories stream together.
  for (const team of teams)
    for (const owned of dealt.get(team.slug)!) {
      const repo: ModelRepository = {
        fullName: owned.fullName,
        externalId: `${frame.prefix}repo:${owned.fullName}`,
        id: 500_000 + repositories.length + 1,
        defaultBranch: 'main',
        createdAt: new Date(startMs - 200 * DAY),
        url: `https://github.com/${owned.fullName}`,
        owners: [{ team: team.slug, fromDay: 0, toDay: Infinity }],
      };
      repositories.push(repo);
      weightOf.set(repo, owned.weight);
    }
  const changes: string[] = [];
  if (options.organisationChanges) changeOrganisation(frame, teams, repositories, changes);
  if (options.turnover) turnOver(frame, teams, changes);
  if (options.leaverPerTeam)
    for (const team of teams)
      if (team.members.length > 1) team.members.at(-1)!.toDay = Math.floor(dayCount / 2);
  const teamRepositories = new Map<string, { repo: ModelRepository; weight: number }[]>(
    teams.map((t) => [t.slug, []]),
  );
  for (const repo of repositories)
    for (const owner of repo.owners)
      teamRepositories.get(owner.team)!.push({ repo, weight: weightOf.get(repo)! });
  const org: Org = {
    frame,
    teams: new Map(teams.map((t) => [t.slug, t])),
    teamRepositories,
    clocks: new Map(teams.map((t) => [t.timezone, new LocalClock(t.timezone)])),
  };
  const config = teams.map((t) => teamConfig(frame, t, repositories));
  const adoption = options.aiAdoption;
  const adoptionFrame = {
    config,
    startMs: frame.endMs - options.days * DAY,
    endMs: frame.endMs,
    seed: options.seed,
  };
  return {
    options,
    teams,
    config,
    repositories,
    changes,
    *activity() {
      const pass: PassState = { issueNumbers: new Map(), nextIssueId: 10_000 };
      for (const [index, repo] of repositories.entries()) {
        const activity = generateRepository(org, pass, repo, index);
        yield adoption ? applyAiAdoption(activity, adoption, adoptionFrame) : activity;
      }
    },
  };
}
