import type { Db } from '../connection.ts';

/**
 * Number of live (not revoked) API tokens of the given roles. When there are no viewer or admin
 * tokens at all, the API leaves reads open (fresh install, demo).
 */
export async function countApiTokens(
  db: Db,
  roles: readonly ('viewer' | 'admin' | 'webhook')[] = ['viewer', 'admin'],
): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('revoked_at', 'is', null)
    .where('role', 'in', [...roles])
    .where('origin', '<>', 'session')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
