import type { NewPullRequestCommit } from '@stride/db';
import { z } from 'zod';
import { isoTime, parsePayload, userSchema } from './payload.ts';

const gitActorSchema = z.object({
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  date: isoTime,
});

/** `GET /repos/{o}/{r}/pulls/{n}/commits` item (also a compare API commit). */
export const commitSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hex commit SHA'),
  commit: z.object({ author: gitActorSchema, committer: gitActorSchema.nullable().optional() }),
  author: userSchema,
});

/**
 * Maps a PR commit to a `pull_request_commits` row; `authored_at` is `commit.author.date`, the
 * time `first_commit_at` is derived from (docs/metrics.md, Change).
 * Source: https://docs.github.com/en/rest/pulls/pulls#list-commits-on-a-pull-request
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformPullRequestCommit(
  payload: unknown,
  options: { pullRequestId: string },
): NewPullRequestCommit {
  const c = parsePayload(commitSchema, 'commit', payload);
  return {
    pull_request_id: options.pullRequestId,
    sha: c.sha,
    author_login: c.author?.login ?? null,
    author_email: c.commit.author.email ?? null,
    authored_at: c.commit.author.date,
    committed_at: c.commit.committer?.date ?? null,
  };
}
