/** `GET /api/sync-status`: the last sync per source and whether the data is the demo org. */
import { type Static, Type as T } from '@sinclair/typebox';
import { NullableIsoDateTime } from './common.ts';

export const SyncStatusSchema = T.Object({
  demo: T.Boolean({ description: 'true when the data is the generated demo organisation' }),
  sources: T.Array(
    T.Object({
      source: T.String(),
      scope: T.String(),
      lastRunAt: NullableIsoDateTime,
      lastSuccessAt: NullableIsoDateTime,
      status: T.String(),
      error: T.Union([T.String(), T.Null()]),
      note: T.Union([T.String(), T.Null()], {
        description:
          'what a successful run could not collect and why (e.g. the token may not read Copilot metrics): a note, not an error',
      }),
      requests: T.Integer(),
      notModified: T.Integer(),
      rateLimitRemaining: T.Union([T.Integer(), T.Null()]),
    }),
  ),
  /** The latest digest deliveries (at most 50, newest first): a failed one is retried by its job. */
  digests: T.Array(
    T.Object({
      /** `team:<slug>` or `org`. */
      digest: T.String(),
      /** The digest's period, `from..to` (ISO dates, `to` exclusive). */
      period: T.String(),
      channel: T.Union([T.Literal('slack'), T.Literal('email')]),
      status: T.Union([T.Literal('sending'), T.Literal('sent'), T.Literal('failed')]),
      /** Attempts so far (1 = sent or failed at the first try). */
      attempts: T.Integer(),
      /** Why the last attempt failed (no secrets), null once sent. */
      error: T.Union([T.String(), T.Null()]),
      sentAt: NullableIsoDateTime,
      updatedAt: T.String({ format: 'date-time' }),
    }),
  ),
});
export type SyncStatus = Static<typeof SyncStatusSchema>;
