import type { Db } from '../connection.ts';
import { hashToken } from './create-api-token.ts';

export interface ApiTokenIdentity {
  id: string;
  name: string;
  role: 'viewer' | 'admin' | 'webhook';
  scope: string | null;
}

/**
 * Looks a presented token up by its hash; revoked tokens are not found. Marks it used.
 * @returns the token's identity, or undefined when unknown or revoked.
 */
export async function findApiToken(db: Db, token: string): Promise<ApiTokenIdentity | undefined> {
  const row = await db
    .updateTable('api_tokens')
    .set({ last_used_at: new Date() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .returning(['id', 'name', 'role', 'scope'])
    .executeTakeFirst();
  return row;
}
