import { type AiCommit, buildAiDetectionRules, classifyAiChange } from '@stride/ingest';
import { mulberry32 } from '@stride/metrics';
import type { TeamConfig } from '@stride/shared/config';
import type { OrgModel } from '../model/org-model-types.ts';
import type { KeyedCommit, KeyedPullRequest, KeyedReview } from '../rows/org-rows.ts';

/**
 * AI adoption added to a generated organisation's rows, so the demo's AI-impact page tells a
 * story: teams start using AI tools at different times (some never), their share ramps up over
 * two months, and AI-assisted PRs have shorter coding time, somewhat larger size and more
 * change requests. The class is not set by hand: each AI PR's last commit gets the trailer its
 * tool writes, and the real detector (`classifyAiChange` of @stride/ingest) classifies every
 * merged PR from those messages, as the collector does.
 *
 * Pure and chunk-safe: every decision is a hash of the seed and the PR's external id (no shared
 * random stream), so the rows of one repository can be processed alone and the generator's own
 * output is unchanged for PRs left as they were.
 */

const DAY = 86_400_000;
/** Days over which a team's AI share climbs from 0 to its plateau. */
export const RAMP_DAYS = 60;
/** Per team (by position): adoption point as a fraction of the history (null: never) and plateau share. */
export const TEAM_ADOPTION: readonly ({ at: number; share: number } | null)[] = [
  { at: 0.3, share: 0.6 },
  { at: 0.55, share: 0.45 },
  null,
  { at: 0.75, share: 0.5 },
  { at: 0.4, share: 0.3 },
  { at: 0.65, share: 0.55 },
  null,
  { at: 0.5, share: 0.4 },
];

/** The tools, their share of AI PRs, and the trailer or prefix each leaves (see known-ai-markers.ts). */
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
/** The tool whose cumulative weight first exceeds `u` (0..1). */
function pickTool(u: number): (typeof TOOLS)[number] {
  let left = u;
  for (const tool of TOOLS) {
    left -= tool.weight;
    if (left < 0) return tool;
  }
  return TOOLS[0]!;
}

/** Share of a team's AI PRs (after adoption) opened by the Copilot coding agent instead of a person. */
const AGENT_SHARE = 0.08;

function hash(seed: number, key: string, salt: number): number {
  let h = (2166136261 ^ seed ^ (salt * 0x9e3779b1)) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return mulberry32(h)();
}

const time = (t: Date | string) => new Date(t).getTime();

function teamOf(teams: readonly TeamConfig[], login: string | null | undefined, at: number): number {
  if (!login) return -1;
  const day = new Date(at).toISOString().slice(0, 10);
  return teams.findIndex((t) =>
    t.members.some(
      (m) =>
        m.github?.toLowerCase() === login.toLowerCase() &&
        (!m.from || m.from <= day) &&
        (!m.to || day <= m.to),
    ),
  );
}

export interface DemoAiAdoptionOptions {
  /** The organisation's teams, in the generator's order (position picks the adoption story). */
  teams: readonly TeamConfig[];
  /** First and last instant of the generated history. */
  start: Date;
  end: Date;
  seed: number;
}

/** The adoption options of a model: its teams, history and seed. */
export function demoAiAdoptionOptions(model: Pick<OrgModel, 'config' | 'options'>): DemoAiAdoptionOptions {
  const end = model.options.end;
  return {
    teams: model.config,
    start: new Date(end.getTime() - model.options.days * DAY),
    end,
    seed: model.options.seed,
  };
}

/**
 * Returns the rows with AI adoption applied (new arrays; the input is not modified): merged PRs
 * get `ai_class` / `ai_evidence` from the detector, AI ones their effects.
 */
export function addDemoAiAdoption<
  R extends { pullRequests: KeyedPullRequest[]; commits: KeyedCommit[]; reviews: KeyedReview[] },
>(rows: R, options: DemoAiAdoptionOptions): R {
  const rules = buildAiDetectionRules();
  const span = time(options.end) - time(options.start);
  const commitsOf = new Map<string, KeyedCommit[]>();
  for (const c of rows.commits) commitsOf.set(c.pullRequest, [...(commitsOf.get(c.pullRequest) ?? []), c]);
  const reviewsOf = new Map<string, KeyedReview[]>();
  for (const r of rows.reviews) reviewsOf.set(r.pullRequest, [...(reviewsOf.get(r.pullRequest) ?? []), r]);
  const commits: KeyedCommit[] = [];
  const reviews: KeyedReview[] = [...rows.reviews];
  const pullRequests = rows.pullRequests.map((pr) => {
    const own = commitsOf.get(pr.external_id) ?? [];
    if (!pr.merged_at || pr.author_is_bot) {
      commits.push(...own);
      return pr;
    }
    const merged = time(pr.merged_at);
    const team = teamOf(options.teams, pr.author_login, merged);
    const story = team >= 0 ? TEAM_ADOPTION[team % TEAM_ADOPTION.length] : null;
    const adoptedAt = story ? time(options.start) + story.at * span : Number.POSITIVE_INFINITY;
    const share = story
      ? story.share * Math.min(1, Math.max(0, (merged - adoptedAt) / (RAMP_DAYS * DAY)))
      : 0;
    const ai = hash(options.seed, pr.external_id, 1) < share;
    let next = pr;
    let messages = own.map((c) => `${pr.title}\n\nPart of ${pr.repository}#${pr.number}.`);
    if (ai) {
      const created = time(pr.created_at);
      // Effects: coding time about halved, PRs about a quarter larger.
      for (let i = 0; i < own.length; i++) {
        const authored = time(own[i]!.authored_at);
        own[i] = { ...own[i]!, authored_at: new Date(created - Math.round((created - authored) * 0.5)) };
      }
      next = {
        ...pr,
        additions: pr.additions == null ? pr.additions : Math.round(pr.additions * 1.3),
        deletions: pr.deletions == null ? pr.deletions : Math.round(pr.deletions * 1.15),
      };
      const tool = pickTool(hash(options.seed, pr.external_id, 2));
      messages = messages.map((m, i) => (i === messages.length - 1 ? tool.message(pr.title ?? '') : m));
      if (hash(options.seed, pr.external_id, 3) < AGENT_SHARE) {
        next = { ...next, author_login: 'Copilot', author_is_bot: true };
      }
      // One more round of requested changes on a quarter of them, by a reviewer the PR already has.
      const reviewer = (reviewsOf.get(pr.external_id) ?? []).find(
        (r) => r.kind === 'review' && !r.reviewer_is_bot,
      );
      if (reviewer && hash(options.seed, pr.external_id, 4) < 0.25) {
        reviews.push({
          ...reviewer,
          external_id: `${reviewer.external_id}-ai-changes`,
          state: 'CHANGES_REQUESTED',
          submitted_at: new Date(Math.min(time(reviewer.submitted_at) + 60_000, merged - 60_000)),
        });
      }
    }
    commits.push(...own);
    const aiCommits: AiCommit[] = own.map((c, i) => ({
      sha: c.sha,
      message: messages[i] ?? '',
      authorLogin: c.author_login ?? null,
      authorName: null,
    }));
    const { aiClass, evidence } = classifyAiChange(
      { authorLogin: next.author_login ?? null, labels: next.labels ?? [], body: null },
      aiCommits,
      rules,
    );
    return { ...next, ai_class: aiClass, ai_evidence: JSON.stringify(evidence) };
  });
  return { ...rows, pullRequests, commits, reviews };
}
