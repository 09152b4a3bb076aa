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
});
export type SyncStatus = Static<typeof SyncStatusSchema>;
