import type { NewPullRequest } from '@stride/db';
import { z } from 'zod';
import type { AiDetectionRules } from '../../ai/classify-ai-change.ts';
import { classifyPullRequestPayload } from '../../ai/classify-pull-request.ts';
import { isBot, isoTime, linkUrl, parsePayload, userSchema } from './payload.ts';

const labelSchema = z.union([z.object({ name: z.string() }), z.string()]);

/** Fields of `GET /repos/{o}/{r}/pulls` (list) and `GET /pulls/{n}` (detail, with size fields). */
export const pullRequestSchema = z.object({
  id: z.number().int(),
  number: z.number().int().positive(),
  title: z.string(),
  user: userSchema,
  state: z.enum(['open', 'closed']),
  draft: z.boolean().nullable().optional(),
  created_at: isoTime,
  updated_at: isoTime,
  closed_at: isoTime.nullable().optional(),
  merged_at: isoTime.nullable().optional(),
  merge_commit_sha: z.string().nullable().optional(),
  base: z.object({ ref: z.string() }),
  head: z.object({ ref: z.string(), sha: z.string().optional() }),
  requested_reviewers: z
    .array(z.object({ login: z.string() }).nullable())
    .nullable()
    .optional(),
  requested_teams: z
    .array(z.object({ slug: z.string() }))
    .nullable()
    .optional(),
  labels: z.array(labelSchema).nullable().optional(),
  html_url: linkUrl,
  body: z.string().nullable().optional(),
  additions: z.number().int().nonnegative().optional(),
  deletions: z.number().int().nonnegative().optional(),
  changed_files: z.number().int().nonnegative().optional(),
  commits: z.number().int().nonnegative().optional(),
});
export type PullRequestPayload = z.output<typeof pullRequestSchema>;

export interface PullRequestTransformOptions {
  repositoryId: string;
  /** Labels that make a PR unplanned work (bug, hotfix, revert), case-insensitive. */
  unplannedLabels?: readonly string[];
  botLogins?: readonly string[];
  /** AI detection rules (`aiDetectionRulesFor(config.ai)`); default: the built-in lists. */
  aiRules?: AiDetectionRules;
}

const ISSUE_KEY = /\b[A-Z][A-Z0-9_]+-\d+\b/g;

/** Jira-style issue keys (`PAY-123`) named in a PR's title or head branch, deduplicated. */
export function findLinkedIssueKeys(title: string, headBranch: string): string[] {
  const found = new Set<string>();
  for (const text of [title, headBranch.toUpperCase()]) {
    for (const match of text.matchAll(ISSUE_KEY)) found.add(match[0]);
  }
  return [...found];
}

/**
 * Maps a GitHub pull request (list or detail shape; also the `pull_request` of a webhook) to a
 * `pull_requests` row. `state` is `merged` when `merged_at` is set. Size fields stay null for the
 * list shape (the upsert keeps known values). A PR is unplanned when it carries an unplanned
 * label or its title starts with `Revert` (docs/metrics.md, rework rate). Its AI class comes from
 * the PR alone (author, labels, description): null (unknown) unless those already show it; the
 * collector classifies again with the commits (`classifyPullRequestPayload`).
 * Source: https://docs.github.com/en/rest/pulls/pulls
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformPullRequest(payload: unknown, options: PullRequestTransformOptions): NewPullRequest {
  const pr = parsePayload(pullRequestSchema, 'pull request', payload);
  const labels = (pr.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name));
  const unplanned = new Set(
    (options.unplannedLabels ?? ['bug', 'hotfix', 'revert']).map((l) => l.toLowerCase()),
  );
  const isUnplanned =
    labels.some((l) => unplanned.has(l.toLowerCase())) || /^revert\b/i.test(pr.title.trim());
  return {
    repository_id: options.repositoryId,
    external_id: String(pr.id),
    number: pr.number,
    title: pr.title,
    author_login: pr.user?.login ?? null,
    author_is_bot: isBot(pr.user, options.botLogins),
    state: pr.merged_at ? 'merged' : pr.state,
    draft: pr.draft ?? false,
    base_branch: pr.base.ref,
    head_branch: pr.head.ref,
    created_at: pr.created_at,
    merged_at: pr.merged_at ?? null,
    closed_at: pr.closed_at ?? null,
    source_updated_at: pr.updated_at,
    additions: pr.additions ?? null,
    deletions: pr.deletions ?? null,
    changed_files: pr.changed_files ?? null,
    commits_count: pr.commits ?? null,
    merge_commit_sha: pr.merge_commit_sha ?? null,
    labels,
    is_unplanned: isUnplanned,
    linked_issue_keys: findLinkedIssueKeys(pr.title, pr.head.ref),
    html_url: pr.html_url ?? null,
    // Requested and not yet reviewed: GitHub drops a reviewer from the list once they review.
    requested_reviewers: (pr.requested_reviewers ?? []).flatMap((u) => (u ? [u.login] : [])),
    requested_teams: (pr.requested_teams ?? []).map((t) => t.slug),
    head_sha: pr.head.sha ?? null,
    ...classifyPullRequestPayload(payload, null, options.aiRules),
  };
}
