/** `GET /api/health`: liveness, database readiness and whether it can write. */
import { type Static, Type as T } from '@sinclair/typebox';

export const HealthSchema = T.Object({
  status: T.Union([T.Literal('ok'), T.Literal('degraded')]),
  database: T.Union([T.Literal('up'), T.Literal('down')]),
  /** `failing`: writes fail (a full disk, SQLSTATE 53100); reads may still work. Absent while the database is down. */
  writes: T.Optional(T.Union([T.Literal('ok'), T.Literal('failing')])),
});
export type Health = Static<typeof HealthSchema>;
