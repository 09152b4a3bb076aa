import type { Db } from '../connection.ts';

/**
 * Returns the id of the repository `fullName`, creating a placeholder (like syncTeamsFromConfig
 * does) when it was never collected. An existing row is left untouched, unlike upsertRepositories.
 */
export async function ensureRepository(db: Db, fullName: string, provider = 'github'): Promise<string> {
  const existing = await db
    .selectFrom('repositories')
    .select('id')
    .where('full_name', '=', fullName)
    .executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto('repositories')
    .values({ provider, external_id: `name:${fullName}`, full_name: fullName })
    .onConflict((oc) => oc.column('full_name').doUpdateSet({ full_name: fullName }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
