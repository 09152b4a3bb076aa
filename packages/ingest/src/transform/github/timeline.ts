import { z } from 'zod';
import { isoTime, parsePayload } from './payload.ts';

/** The fields Stride reads of an issue timeline event (`GET /repos/{o}/{r}/issues/{n}/timeline`). */
const timelineEventSchema = z.object({
  event: z.string().optional(),
  created_at: isoTime.nullable().optional(),
});

/**
 * When a PR opened as a draft was marked ready for review (docs/metrics.md, pickup time): the
 * `created_at` of the first `ready_for_review` event, when that event comes before any
 * `convert_to_draft` (else the PR was opened ready, and creation stays its opening). `null` when
 * the timeline has no such event (opened ready, or still a draft).
 * Events without an `event` name (some kinds of the timeline) are ignored.
 * Source: https://docs.github.com/en/rest/issues/timeline
 * @throws InvalidPayloadError when the timeline is not an array or an event is malformed.
 */
export function readyForReviewAt(payload: unknown): string | null {
  const events = parsePayload(z.array(timelineEventSchema), 'issue timeline', payload);
  for (const e of events) {
    if (e.event === 'convert_to_draft') return null;
    if (e.event === 'ready_for_review' && e.created_at) return e.created_at;
  }
  return null;
}
