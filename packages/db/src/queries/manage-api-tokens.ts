import type { Db } from '../connection.ts';
import { createApiToken, hashToken } from './create-api-token.ts';

/** One token as an admin sees it: never the secret, only the first 8 hex digits of its hash. */
export interface ApiTokenListRow {
  id: string;
  name: string;
  /** viewer | admin | webhook */
  role: 'viewer' | 'admin' | 'webhook';
  /** `token` or `session` */
  kind: 'token' | 'session';
  /** Webhook source name (webhook tokens), else null. */
  source: string | null;
  origin: string;
  hashPrefix: string;
  parentId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/**
 * Every token, newest first; `includeRevoked` false (default) lists live ones only, `sessions`
 * false (default) leaves sessions out. Only a hash prefix is returned, never a secret.
 */
export async function listApiTokens(
  db: Db,
  options: { includeRevoked?: boolean; sessions?: boolean; role?: 'viewer' | 'admin' | 'webhook' } = {},
): Promise<ApiTokenListRow[]> {
  let query = db
    .selectFrom('api_tokens')
    .select([
      'id',
      'name',
      'role',
      'scope',
      'origin',
      'token_hash',
      'parent_id',
      'created_at',
      'last_used_at',
      'revoked_at',
      'revoked_reason',
    ])
    .orderBy('id', 'desc');
  if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
  if (!options.sessions) query = query.where('origin', '<>', 'session');
  if (options.role) query = query.where('role', '=', options.role);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    kind: r.origin === 'session' ? 'session' : 'token',
    source: r.role === 'webhook' ? r.scope : null,
    origin: r.origin,
    hashPrefix: r.token_hash.slice(0, 8),
    parentId: r.parent_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
  }));
}

/**
 * Revokes tokens (and the sessions made from them) matching `where`: an id, a hash (a presented
 * secret's), a hash prefix (at least 8 hex digits, as listed), or every token of a webhook source.
 * @returns the ids revoked (empty when nothing live matched).
 */
export async function revokeApiTokens(
  db: Db,
  where: { id: string } | { token: string } | { hashPrefix: string } | { webhookSource: string },
  reason: string,
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date(), revoked_reason: reason })
      .where('revoked_at', 'is', null);
    if ('id' in where) {
      if (!/^\d{1,18}$/.test(where.id)) return [];
      query = query.where('id', '=', where.id);
    } else if ('token' in where) query = query.where('token_hash', '=', hashToken(where.token));
    else if ('hashPrefix' in where) {
      if (!/^[0-9a-f]{8,64}$/.test(where.hashPrefix)) return [];
      query = query.where('token_hash', 'like', `${where.hashPrefix}%`);
    } else query = query.where('role', '=', 'webhook').where('scope', '=', where.webhookSource);
    const revoked = (await query.returning('id').execute()).map((r) => r.id);
    if (revoked.length > 0) {
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: new Date(), revoked_reason: 'parent' })
        .where('parent_id', 'in', revoked)
        .where('revoked_at', 'is', null)
        .execute();
    }
    return revoked;
  });
}

/**
 * Revokes the live token an operator names as listed (`npm run token -- revoke <ref>`): an id, or
 * a hash prefix (8 to 64 hex digits). A prefix may be all digits (about 2 % of them are), so a
 * string of digits is tried as an id first and then, when no live token has that id, as a prefix.
 * @returns the ids revoked (empty when nothing live matched either way).
 */
export async function revokeApiTokensByReference(db: Db, ref: string, reason: string): Promise<string[]> {
  const text = ref.trim().toLowerCase();
  if (/^\d{1,18}$/.test(text)) {
    const byId = await revokeApiTokens(db, { id: text }, reason);
    if (byId.length > 0) return byId;
  }
  return /^[0-9a-f]{8,64}$/.test(text) ? revokeApiTokens(db, { hashPrefix: text }, reason) : [];
}

/** Revokes the token whose plaintext is `token` (e.g. a session at logout); @returns whether one was. */
export async function revokeApiToken(db: Db, token: string, reason = 'logout'): Promise<boolean> {
  return (await revokeApiTokens(db, { token }, reason)).length > 0;
}

/** Environment variables whose value is registered as a token at boot, and the role each gets. */
export const ENV_TOKEN_ROLES = { STRIDE_ADMIN_TOKEN: 'admin', STRIDE_VIEWER_TOKEN: 'viewer' } as const;

export interface EnvTokenRegistration {
  /** Tokens (and their sessions) revoked because their variable changed or was removed. */
  rotated: number;
  /** Variables whose current value an admin has revoked: it stays revoked. */
  stillRevoked: (keyof typeof ENV_TOKEN_ROLES)[];
}

/**
 * Registers STRIDE_ADMIN_TOKEN / STRIDE_VIEWER_TOKEN at boot (hashed), and revokes the tokens
 * registered from earlier values of each variable, or all of them when the variable is unset,
 * together with their sessions (reason `rotated`). A value revoked before is not revived.
 */
export async function registerEnvTokens(
  db: Db,
  values: Partial<Record<keyof typeof ENV_TOKEN_ROLES, string | undefined>>,
): Promise<EnvTokenRegistration> {
  const result: EnvTokenRegistration = { rotated: 0, stillRevoked: [] };
  for (const [variable, role] of Object.entries(ENV_TOKEN_ROLES) as [
    keyof typeof ENV_TOKEN_ROLES,
    'admin' | 'viewer',
  ][]) {
    const value = values[variable];
    const stale = await db
      .selectFrom('api_tokens')
      .select('id')
      .where('origin', '=', `env:${variable}`)
      .where('revoked_at', 'is', null)
      .$if(value !== undefined, (q) => q.where('token_hash', '<>', hashToken(value!)))
      .execute();
    for (const { id } of stale) result.rotated += (await revokeApiTokens(db, { id }, 'rotated')).length;
    if (value === undefined) continue;
    const created = await createApiToken(db, {
      name: `env ${variable}`,
      role,
      token: value,
      origin: `env:${variable}`,
    });
    if (created.revoked) result.stillRevoked.push(variable);
  }
  return result;
}
