import type { NewPullRequestReview } from '@stride/db';
import { z } from 'zod';
import { isBot, isoTime, parsePayload, userSchema } from './payload.ts';

/** `GET /repos/{o}/{r}/pulls/{n}/reviews` item. GitHub sends review states in UPPER case. */
export const reviewSchema = z.object({
  id: z.number().int(),
  user: userSchema,
  state: z.enum(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']),
  submitted_at: isoTime.nullable().optional(),
});

/**
 * Maps a PR review to a `pull_request_reviews` row; `null` for a PENDING (unsubmitted) review,
 * which has no `submitted_at`. Source: https://docs.github.com/en/rest/pulls/reviews
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformReview(
  payload: unknown,
  options: { pullRequestId: string; botLogins?: readonly string[] },
): NewPullRequestReview | null {
  const review = parsePayload(reviewSchema, 'review', payload);
  if (review.state === 'PENDING' || !review.submitted_at) return null;
  return {
    pull_request_id: options.pullRequestId,
    external_id: String(review.id),
    kind: 'review',
    reviewer_login: review.user?.login ?? null,
    reviewer_is_bot: isBot(review.user, options.botLogins),
    state: review.state,
    submitted_at: review.submitted_at,
  };
}
