import type { Db } from '../connection.ts';
import { hashToken } from './create-api-token.ts';

export interface ApiTokenIdentity {
  id: string;
  name: string;
  role: 'viewer' | 'admin' | 'webhook';
  /** Webhook source name, or `session:<expiry ISO time>` for a session. */
  scope: string | null;
  /** The token a session was made from (null for other tokens). */
  parentId: string | null;
  /** When the token was last marked used (see touchApiToken). */
  lastUsedAt: Date | null;
}

/**
 * Looks a presented token up by its hash. A revoked token is not found, nor is a session whose
 * parent token is revoked (rotating or revoking a token ends its sessions). Read-only: marking
 * the token used is touchApiToken's job, throttled by the caller.
 * @returns the token's identity, or undefined when unknown or revoked.
 */
export async function findApiToken(db: Db, token: string): Promise<ApiTokenIdentity | undefined> {
  return db
    .selectFrom('api_tokens as t')
    .leftJoin('api_tokens as p', 'p.id', 't.parent_id')
    .select([
      't.id',
      't.name',
      't.role',
      't.scope',
      't.parent_id as parentId',
      't.last_used_at as lastUsedAt',
    ])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.parent_id', 'is', null), eb('p.revoked_at', 'is', null)]))
    .executeTakeFirst();
}

/**
 * Marks a token used now, unless it was marked less than `minIntervalSeconds` ago (the
 * condition is in SQL, so several API processes together still write at most once per interval).
 * @returns whether the row was written.
 */
export async function touchApiToken(db: Db, id: string, minIntervalSeconds = 60): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', new Date(Date.now() - minIntervalSeconds * 1000)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
