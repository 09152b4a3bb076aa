/** `GET /api/health`: liveness and database readiness. */
import { type Static, Type as T } from '@sinclair/typebox';

export const HealthSchema = T.Object({
  status: T.Union([T.Literal('ok'), T.Literal('degraded')]),
  database: T.Union([T.Literal('up'), T.Literal('down')]),
});
export type Health = Static<typeof HealthSchema>;
