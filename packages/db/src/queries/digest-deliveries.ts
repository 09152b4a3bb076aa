import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/** One digest sent (or tried) to one channel for one period. */
export interface DigestDeliveryKey {
  /** `team:<slug>` or `org`. */
  digest: string;
  /** The digest's period, e.g. `2026-11-23..2026-11-30`. */
  periodKey: string;
  channel: 'slack' | 'email';
}

/**
 * Claims the delivery of a digest to a channel before sending: a new row, or a retry of one that
 * failed. @returns the attempt's number (1 for the first), or null when this digest, period and
 *   channel was already sent (never send twice) or another attempt is sending it right now
 *   (within the last `staleSeconds`, default 300)
 */
export async function claimDigestDelivery(
  db: Db,
  key: DigestDeliveryKey,
  staleSeconds = 300,
): Promise<number | null> {
  const { rows } = await sql<{ id: string; attempts: number }>`
    insert into digest_deliveries (digest, period_key, channel, status, attempts)
    values (${key.digest}, ${key.periodKey}, ${key.channel}, 'sending', 1)
    on conflict (digest, period_key, channel) do update
      set status = 'sending', attempts = digest_deliveries.attempts + 1, error = null, updated_at = now()
      where digest_deliveries.status = 'failed'
        or (digest_deliveries.status = 'sending'
          and digest_deliveries.updated_at < now() - make_interval(secs => ${staleSeconds}))
    returning id, attempts`.execute(db);
  return rows[0]?.attempts ?? null;
}

/** Records the outcome of a claimed delivery: `sent`, or `failed` with the reason (no secrets). */
export async function finishDigestDelivery(db: Db, key: DigestDeliveryKey, error?: string): Promise<void> {
  await db
    .updateTable('digest_deliveries')
    .set({
      status: error ? 'failed' : 'sent',
      error: error ?? null,
      sent_at: error ? null : new Date(),
      updated_at: new Date(),
    })
    .where('digest', '=', key.digest)
    .where('period_key', '=', key.periodKey)
    .where('channel', '=', key.channel)
    .execute();
}

/**
 * Deliveries of a digest (every digest when omitted), newest first (at most `limit`, default 200):
 * status `sending` / `sent` / `failed`, `attempts` so far, the last error (no secrets).
 */
export async function listDigestDeliveries(db: Db, digest?: string, limit = 200) {
  let query = db
    .selectFrom('digest_deliveries')
    .select([
      'digest',
      'period_key as periodKey',
      'channel',
      'status',
      'attempts',
      'error',
      'sent_at as sentAt',
      'updated_at as updatedAt',
    ])
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (digest !== undefined) query = query.where('digest', '=', digest);
  return query.execute();
}
