/** The pre-retro digest as it would be sent (docs/metrics.md, "Digests"). */
import { type Static, Type as T } from '@sinclair/typebox';
import { IsoDateOrDateTime } from './common.ts';

export const DigestPreviewSchema = T.Object({
  subject: T.String(),
  /** Plain text: the e-mail's text part and `npm run digest -- --dry-run`. */
  text: T.String(),
  /** The e-mail's HTML part. */
  html: T.String(),
  period: T.Object({ from: T.String({ format: 'date' }), to: T.String({ format: 'date' }) }),
  link: T.String(),
});
export type DigestPreview = Static<typeof DigestPreviewSchema>;

export const DigestQuerySchema = T.Object({
  from: T.Optional(IsoDateOrDateTime('period start; default: the period of the last digest due')),
  to: T.Optional(IsoDateOrDateTime('period end (exclusive); with `from`')),
});
