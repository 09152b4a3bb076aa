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
  /** True when the secret was registered before and has been revoked since (it stays revoked). */
  revoked: boolean;
}

/**
 * Creates an API token (role viewer | admin | webhook; `scope` = webhook source name or a
 * session's expiry) and stores only its hash. Pass `token` to register a known secret (e.g.
 * STRIDE_ADMIN_TOKEN at boot); registering the same secret twice returns the existing id and
 * never clears a revocation (`revoked: true` then). `origin` says where it came from
 * (`env:<VARIABLE>`, `cli`, `api`, `session`; default `cli`); `parentId` ties a session to the
 * token it was made from.
 */
export async function createApiToken(
  db: Db,
  input: {
    name: string;
    role: ApiTokensTable['role'];
    scope?: string | null;
    token?: string;
    origin?: string;
    parentId?: string | null;
  },
): Promise<CreatedApiToken> {
  const token = input.token ?? `stride_${randomBytes(24).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      name: input.name,
      role: input.role,
      scope: input.scope ?? null,
      token_hash: hashToken(token),
      origin: input.origin ?? 'cli',
      parent_id: input.parentId ?? null,
    })
    // A no-op update so that RETURNING yields the existing row; revoked_at is left as it is.
    .onConflict((oc) =>
      oc.column('token_hash').doUpdateSet((eb) => ({ token_hash: eb.ref('excluded.token_hash') })),
    )
    .returning(['id', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, token, revoked: row.revoked_at !== null };
}
