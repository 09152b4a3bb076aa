import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../connection.ts';
import type { ApiTokensTable } from '../schema.ts';

/** SHA-256 hex of a token: the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreatedApiToken {
  id: string;
  /** The plaintext token: shown once, never stored. */
  token: string;
}

/**
 * Creates an API token (role viewer | admin | webhook; `scope` = webhook source name) and stores
 * only its hash. Pass `token` to register a known secret (e.g. STRIDE_ADMIN_TOKEN at boot);
 * registering the same secret twice returns the existing id.
 */
export async function createApiToken(
  db: Db,
  input: { name: string; role: ApiTokensTable['role']; scope?: string | null; token?: string },
): Promise<CreatedApiToken> {
  const token = input.token ?? `stride_${randomBytes(24).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({ name: input.name, role: input.role, scope: input.scope ?? null, token_hash: hashToken(token) })
    .onConflict((oc) => oc.column('token_hash').doUpdateSet({ revoked_at: null }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}
