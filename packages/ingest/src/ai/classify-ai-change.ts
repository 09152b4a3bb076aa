import { z } from 'zod';
import { commitSchema } from '../transform/github/commit.ts';
import {
  AIDER_AUTHOR_NAME,
  type AiMarkerKind,
  KNOWN_AGENT_LOGINS,
  KNOWN_AI_LABELS,
  KNOWN_AI_MARKERS,
} from './known-ai-markers.ts';

/** `agent`: a coding agent made the PR; `assisted`: a person made it with an AI tool; `none`: no sign. */
export type AiClass = 'agent' | 'assisted' | 'none';

/** One reason for a classification, stored with the PR and shown in the drill-down. */
export interface AiEvidence {
  rule: 'agent-author' | 'agent-commits' | 'agent-commit' | 'label' | 'author-name' | AiMarkerKind | 'marker';
  tool: string;
  /** The matched line or label (never a person's name or address). */
  detail: string;
  /** Commit the evidence was found in; null for the PR itself. */
  sha: string | null;
}

/** The detection lists after merging the built-in data with `ai.*` of the config. */
export interface AiDetectionRules {
  agentLogins: Map<string, string>;
  markers: { id: string; tool: string; kind: AiEvidence['rule']; regex: RegExp }[];
  labels: Set<string>;
}

/** What `ai` of stride.config.yaml carries for detection. */
export interface AiDetectionConfig {
  defaults: boolean;
  agentLogins: readonly string[];
  markers: readonly string[];
  labels: readonly string[];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Builds the detection rules from the built-in lists (unless `defaults` is false) and the
 * configured ones. Configured markers were validated as regexes by the config schema.
 * @throws SyntaxError only for a marker that bypassed the config schema and is not a regex.
 */
export function buildAiDetectionRules(
  config: AiDetectionConfig = { defaults: true, agentLogins: [], markers: [], labels: [] },
): AiDetectionRules {
  const agentLogins = new Map<string, string>();
  if (config.defaults) for (const a of KNOWN_AGENT_LOGINS) agentLogins.set(a.login.toLowerCase(), a.tool);
  for (const login of config.agentLogins) agentLogins.set(login.toLowerCase(), login);
  const markers: AiDetectionRules['markers'] = [];
  if (config.defaults) {
    for (const m of KNOWN_AI_MARKERS) {
      markers.push({ id: m.id, tool: m.tool, kind: m.kind, regex: new RegExp(m.pattern, 'im') });
    }
  }
  // A Co-authored-by trailer naming an agent account (its `[bot]` login, not a first name).
  for (const [login, tool] of agentLogins) {
    markers.push({
      id: `co-author:${login}`,
      tool,
      kind: 'co-author',
      regex: new RegExp(String.raw`^co-authored-by:\s*${escapeRegex(login)}\s*<`, 'im'),
    });
  }
  config.markers.forEach((pattern, index) => {
    markers.push({
      id: `ai.markers[${index}]`,
      tool: 'configured marker',
      kind: 'marker',
      regex: new RegExp(pattern, 'im'),
    });
  });
  const labels = new Set<string>();
  if (config.defaults) for (const l of KNOWN_AI_LABELS) labels.add(l.toLowerCase());
  for (const l of config.labels) labels.add(l.toLowerCase());
  return { agentLogins, markers, labels };
}

/** A PR's commit as classification needs it (from `GET /pulls/{n}/commits`). */
export interface AiCommit {
  sha: string;
  message: string;
  authorLogin: string | null;
  authorName: string | null;
}

/** The PR-level fields classification reads (list, detail or webhook shape). */
export interface AiPullRequest {
  authorLogin: string | null;
  labels: readonly string[];
  body: string | null;
}

const commitMessageSchema = commitSchema.extend({
  commit: commitSchema.shape.commit.extend({ message: z.string().nullable().optional() }),
});

/**
 * Reads the fields classification needs from a PR commit payload
 * (https://docs.github.com/en/rest/pulls/pulls#list-commits-on-a-pull-request); null for a
 * payload the commit transform would also reject.
 */
export function aiCommitFromPayload(payload: unknown): AiCommit | null {
  const parsed = commitMessageSchema.safeParse(payload);
  if (!parsed.success) return null;
  const c = parsed.data;
  return {
    sha: c.sha,
    message: c.commit.message ?? '',
    authorLogin: c.author?.login ?? null,
    authorName: c.commit.author.name ?? null,
  };
}

const MAX_EVIDENCE = 8;
const MAX_DETAIL = 160;

function matchedLine(text: string, regex: RegExp): string | null {
  const match = regex.exec(text);
  if (!match) return null;
  const start = text.lastIndexOf('\n', match.index) + 1;
  const end = text.indexOf('\n', match.index + match[0].length);
  const line = text.slice(start, end === -1 ? undefined : end).trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

/**
 * Classifies a merged PR (docs/metrics.md, "AI impact: detection"):
 * - `agent` when the PR's author is a coding-agent account, or every one of its (>= 1) commits is;
 * - `assisted` when a commit (or the PR description) carries a known or configured marker (a
 *   `Co-authored-by:` trailer of an AI identity, the Claude Code footer, an `aider: ` prefix, a
 *   Codex task link), a commit's author name carries aider's "(aider)", a commit is by an agent
 *   account, or the PR carries a configured label;
 * - `none` otherwise.
 * `commits` null or empty means they are unknown (a webhook payload, a failed fetch): the
 * PR-level signs still classify it, but without them the result is `null` (unknown), never `none`.
 * @returns the class (or null) and up to 8 pieces of evidence, the strongest first.
 */
export function classifyAiChange(
  pr: AiPullRequest,
  commits: readonly AiCommit[] | null,
  rules: AiDetectionRules,
): { aiClass: AiClass | null; evidence: AiEvidence[] } {
  const evidence: AiEvidence[] = [];
  const seen = new Set<string>();
  const add = (e: AiEvidence) => {
    const key = `${e.rule}|${e.tool}`;
    if (seen.has(key) || evidence.length >= MAX_EVIDENCE) return;
    seen.add(key);
    evidence.push(e);
  };
  const agentTool = (login: string | null) =>
    login ? rules.agentLogins.get(login.toLowerCase()) : undefined;

  const authorTool = agentTool(pr.authorLogin);
  if (authorTool) {
    add({ rule: 'agent-author', tool: authorTool, detail: `PR opened by ${pr.authorLogin}`, sha: null });
  }
  const agentCommits = (commits ?? []).filter((c) => agentTool(c.authorLogin));
  const allAgent = commits !== null && commits.length > 0 && agentCommits.length === commits.length;
  if (allAgent) {
    const tool = agentTool(agentCommits[0]!.authorLogin)!;
    add({
      rule: 'agent-commits',
      tool,
      detail: `all ${commits.length} commits by ${agentCommits[0]!.authorLogin}`,
      sha: null,
    });
  }
  const isAgent = Boolean(authorTool) || allAgent;

  if (!allAgent) {
    for (const c of agentCommits) {
      add({
        rule: 'agent-commit',
        tool: agentTool(c.authorLogin)!,
        detail: `commit by ${c.authorLogin}`,
        sha: c.sha,
      });
    }
  }
  for (const c of commits ?? []) {
    for (const m of rules.markers) {
      const line = matchedLine(c.message, m.regex);
      if (line !== null) add({ rule: m.kind, tool: m.tool, detail: line, sha: c.sha });
    }
    if (c.authorName && AIDER_AUTHOR_NAME.test(c.authorName)) {
      add({ rule: 'author-name', tool: 'aider', detail: 'commit author name ends in "(aider)"', sha: c.sha });
    }
  }
  if (pr.body) {
    for (const m of rules.markers) {
      const line = matchedLine(pr.body, m.regex);
      if (line !== null) add({ rule: m.kind, tool: m.tool, detail: line, sha: null });
    }
  }
  for (const label of pr.labels) {
    if (rules.labels.has(label.toLowerCase()))
      add({ rule: 'label', tool: 'label', detail: label, sha: null });
  }

  if (isAgent) return { aiClass: 'agent', evidence };
  if (evidence.length > 0) return { aiClass: 'assisted', evidence };
  // No commit read (none fetched, or GitHub listed none): unknown, never a confident `none`.
  return { aiClass: commits === null || commits.length === 0 ? null : 'none', evidence };
}

const REVERTS_COMMIT = /^This reverts commit ([0-9a-f]{7,64})\b/gim;
const REVERTS_PR = /^Reverts (?:[\w.-]+\/[\w.-]+)?#(\d+)\b/gim;

/**
 * What a PR reverts, by git's and GitHub's conventions: `This reverts commit <sha>.` (the body
 * `git revert` writes) and `Reverts owner/repo#N` (the body of GitHub's "Revert" button). Refs
 * are `#N` (a PR number of the same repository) or a lower-case commit SHA (or its prefix).
 * Sources: https://git-scm.com/docs/git-revert, https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/incorporating-changes-from-a-pull-request/reverting-a-pull-request
 */
export function findRevertRefs(texts: readonly (string | null | undefined)[]): string[] {
  const refs = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const m of text.matchAll(REVERTS_COMMIT)) refs.add(m[1]!.toLowerCase());
    for (const m of text.matchAll(REVERTS_PR)) refs.add(`#${m[1]}`);
  }
  return [...refs];
}
