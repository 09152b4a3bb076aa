/** Browser sessions and who the caller is. */
import { type Static, Type as T } from '@sinclair/typebox';

/** `GET/POST /api/session`: whether reads are open (no viewer/admin token exists) and the caller's role. */
export const SessionSchema = T.Object({
  open: T.Boolean(),
  role: T.Union([T.Literal('viewer'), T.Literal('admin'), T.Null()]),
});
export type Session = Static<typeof SessionSchema>;
