import { mulberry32 } from '@stride/metrics';
import type { TeamConfig } from '@stride/shared/config';
import type {
  AiAdoptionOptions,
  AiAdoptionStory,
  ModelPullRequest,
  RepositoryActivity,
} from './org-model-types.ts';
import { LocalClock, weekdayOf } from './working-hours.ts';

/**
 * AI adoption as an option of the organisation model (`OrgModelOptions.aiAdoption`), so every
 * adapter serves the same story: teams start using AI tools at different times (some never),
 * their share of AI-assisted merged PRs ramps up over `rampDays`, and AI-assisted PRs have
 * shorter coding time, somewhat larger size and more change requests. What the tools leave is
 * in the model's commits, as they write it: the last commit's message carries the tool's
 * trailer, footer or prefix (`ModelCommit.message`), and a share of the AI PRs is opened by the
 * Copilot coding agent (author `Copilot`, a GitHub Bot). Nothing is classified here: the rows
 * adapter and the collector (over the REST/GraphQL fakes) classify those messages with the real
 * detector of @stride/ingest.
 *
 * Pure and chunk-safe: every decision is a hash of the seed and the PR's external id (no shared
 * random stream), so repositories stream one at a time and PRs left alone stay as generated.
 */

const DAY = 86_400_000;

export type { AiAdoptionOptions, AiAdoptionStory };

/** Days over which a team's AI share climbs from 0 to its plateau, unless the option says otherwise. */
export const RAMP_DAYS = 60;

/** The default stories, by team position (8 teams of the demo: two never adopt). */
export const DEFAULT_AI_ADOPTION: readonly (AiAdoptionStory | null)[] = [
  { at: 0.3, share: 0.6 },
  { at: 0.55, share: 0.45 },
  null,
  { at: 0.75, share: 0.5 },
  { at: 0.4, share: 0.3 },
  { at: 0.65, share: 0.55 },
  null,
  { at: 0.5, share: 0.4 },
];

/** The Copilot coding agent's account: REST `{ login: 'Copilot', type: 'Bot' }` (known-ai-markers.ts). */
export const COPILOT_AGENT_LOGIN = 'Copilot';

/**
 * The tools, their share of AI PRs, and what each writes into the commit message (formats and
 * sources in packages/ingest/src/ai/known-ai-markers.ts).
 */
const TOOLS: readonly { weight: number; message: (subject: string) => string }[] = [
  {
    weight: 0.4,
    message: (s) =>
      `${s}\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>`,
  },
  {
    weight: 0.3,
    message: (s) => `${s}\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>`,
  },
  { weight: 0.2, message: (s) => `${s}\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>` },
  { weight: 0.1, message: (s) => `aider: ${s}` },
];

function pickTool(u: number): (typeof TOOLS)[number] {
  let left = u;
  for (const tool of TOOLS) {
    left -= tool.weight;
    if (left < 0) return tool;
  }
  return TOOLS[0]!;
}

function hash(seed: number, key: string, salt: number): number {
  let h = (2166136261 ^ seed ^ (salt * 0x9e3779b1)) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return mulberry32(h)();
}

/**
 * The message of a PR's `index`-th commit as the adapters serve and classify it: the model's
 * own (an AI tool's trailer) or the plain `<title> (<n>)`.
 */
export function modelCommitMessage(pr: Pick<ModelPullRequest, 'title' | 'commits'>, index: number): string {
  return pr.commits[index]?.message ?? `${pr.title} (${index + 1})`;
}

/** The stories of an adoption option, by team position. */
export function adoptionStories(option: true | AiAdoptionOptions): readonly (AiAdoptionStory | null)[] {
  return (option === true ? undefined : option.teams) ?? DEFAULT_AI_ADOPTION;
}

/** Ramp days of an adoption option. */
export function adoptionRampDays(option: true | AiAdoptionOptions): number {
  return (option === true ? undefined : option.rampDays) ?? RAMP_DAYS;
}

/** Where adoption is placed: the teams (config order = the stories' positions) and the history. */
export interface AiAdoptionFrame {
  config: readonly TeamConfig[];
  /** First and last instant of the history (ms). */
  startMs: number;
  endMs: number;
  seed: number;
}

const clocks = new Map<string, LocalClock>();
function clockOf(timeZone: string): LocalClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new LocalClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

/**
 * A commit made `authoredMs` moved about half-way (in whole local days) to the PR's opening, at
 * the same local time of day and on a weekday, so AI-assisted coding is shorter while the
 * working hours stay the team's. A commit of the opening day stays.
 */
function closerTo(clock: LocalClock, authoredMs: number, createdMs: number): number {
  const from = clock.localDay(authoredMs);
  let days = Math.floor((clock.localDay(createdMs) - from) / 2);
  while (days > 0 && [0, 6].includes(weekdayOf(from + days))) days -= 1;
  if (days <= 0) return authoredMs;
  const moved = Math.round(clock.at(from + days, clock.hourOf(authoredMs)) / 1000) * 1000;
  return moved <= createdMs ? moved : authoredMs;
}

function teamIndexOf(config: readonly TeamConfig[], login: string, at: number): number {
  const day = new Date(at).toISOString().slice(0, 10);
  const lower = login.toLowerCase();
  return config.findIndex((t) =>
    t.members.some(
      (m) => m.github?.toLowerCase() === lower && (!m.from || m.from <= day) && (!m.to || day <= m.to),
    ),
  );
}

/**
 * Applies AI adoption to one repository's activity, in place (the generator's fresh objects):
 * a merged human PR of an adopting team is AI-assisted with probability share × ramp at its
 * merge; then its last commit carries its tool's marker, its commits move about half-way to its opening
 * in whole local days (shorter coding time, same working hours), its size grows (additions ×1.3, deletions ×1.15), a quarter of
 * them get one more CHANGES_REQUESTED review by a reviewer the PR already has, and `agentShare`
 * of them are opened by the Copilot coding agent. Returns the activity.
 */
export function applyAiAdoption(
  activity: RepositoryActivity,
  option: true | AiAdoptionOptions,
  frame: AiAdoptionFrame,
): RepositoryActivity {
  const stories = adoptionStories(option);
  const rampMs = adoptionRampDays(option) * DAY;
  const agentShare = (option === true ? undefined : option.agentShare) ?? 0.08;
  const span = frame.endMs - frame.startMs;
  for (const pr of activity.pullRequests) {
    if (!pr.mergedAt || pr.authorIsBot || pr.commits.length === 0) continue;
    const merged = pr.mergedAt.getTime();
    const team = teamIndexOf(frame.config, pr.author, merged);
    const story = team >= 0 && stories.length ? stories[team % stories.length] : null;
    if (!story) continue;
    const adoptedAt = frame.startMs + story.at * span;
    const share = story.share * Math.min(1, Math.max(0, (merged - adoptedAt) / rampMs));
    if (!(hash(frame.seed, pr.externalId, 1) < share)) continue;
    const created = pr.createdAt.getTime();
    const clock = clockOf(frame.config[team]!.timezone);
    pr.commits = pr.commits.map((c) => ({
      ...c,
      authoredAt: new Date(closerTo(clock, c.authoredAt.getTime(), created)),
    }));
    if (pr.additions !== null) pr.additions = Math.round(pr.additions * 1.3);
    if (pr.deletions !== null) pr.deletions = Math.round(pr.deletions * 1.15);
    const tool = pickTool(hash(frame.seed, pr.externalId, 2));
    const last = pr.commits.length - 1;
    pr.commits[last] = { ...pr.commits[last]!, message: tool.message(pr.title) };
    if (hash(frame.seed, pr.externalId, 3) < agentShare) {
      pr.author = COPILOT_AGENT_LOGIN;
      pr.authorIsBot = true;
    }
    const reviewer = pr.reviews.find((r) => r.kind === 'review' && !r.isBot && r.reviewer !== pr.author);
    if (reviewer && hash(frame.seed, pr.externalId, 4) < 0.25) {
      pr.reviews.push({
        ...reviewer,
        externalId: `${reviewer.externalId}-ai-changes`,
        state: 'CHANGES_REQUESTED',
        submittedAt: new Date(Math.min(reviewer.submittedAt.getTime() + 60_000, merged - 60_000)),
      });
    }
  }
  return activity;
}
