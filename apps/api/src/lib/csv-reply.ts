import { type CsvValue, toCsv } from '@stride/shared';
import type { FastifyReply } from 'fastify';

/** Sends an RFC 4180 CSV download named `filename`. */
export function sendCsv(
  reply: FastifyReply,
  filename: string,
  columns: readonly string[],
  rows: readonly (readonly CsvValue[])[],
): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
    .send(toCsv(columns, rows));
}
