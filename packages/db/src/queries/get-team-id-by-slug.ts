import type { Db } from '../connection.ts';

/** Our id of the team with this slug (stride.config.yaml), or undefined. */
export async function getTeamIdBySlug(db: Db, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom('teams').select('id').where('slug', '=', slug).executeTakeFirst();
  return row?.id;
}
