import type { NewPullRequestReview } from '@stride/db';
import { z } from 'zod';
import { isBot, isoTime, parsePayload, userSchema } from './payload.ts';

/** `GET /repos/{o}/{r}/issues/{n}/comments` item: a comment on a PR's conversation. */
export const issueCommentSchema = z.object({
  id: z.number().int(),
  user: userSchema,
  created_at: isoTime,
});

/**
 * Maps a PR conversation comment to a `pull_request_reviews` row of kind `comment`: pickup time
 * ends at the first review **or comment** by someone other than the author (docs/metrics.md).
 * Its id is prefixed (`comment:`) as comments and reviews are numbered apart.
 * Source: https://docs.github.com/en/rest/issues/comments
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformIssueComment(
  payload: unknown,
  options: { pullRequestId: string; botLogins?: readonly string[] },
): NewPullRequestReview {
  const comment = parsePayload(issueCommentSchema, 'issue comment', payload);
  return {
    pull_request_id: options.pullRequestId,
    external_id: `comment:${comment.id}`,
    kind: 'comment',
    reviewer_login: comment.user?.login ?? null,
    reviewer_is_bot: isBot(comment.user, options.botLogins),
    state: 'COMMENTED',
    submitted_at: comment.created_at,
  };
}
