import type { Db } from '../connection.ts';
import type { NewRepository } from '../schema.ts';

/**
 * Inserts or updates repositories by `full_name` (a placeholder created from the config is
 * completed with the source's id). @returns id by full name.
 */
export async function upsertRepositories(
  db: Db,
  rows: readonly NewRepository[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const result = await db
    .insertInto('repositories')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('full_name').doUpdateSet((eb) => ({
        provider: eb.ref('excluded.provider'),
        external_id: eb.ref('excluded.external_id'),
        default_branch: eb.ref('excluded.default_branch'),
        html_url: eb.ref('excluded.html_url'),
        archived: eb.ref('excluded.archived'),
        created_at: eb.ref('excluded.created_at'),
        updated_at: eb.fn('now'),
      })),
    )
    .returning(['id', 'full_name'])
    .execute();
  for (const row of result) ids.set(row.full_name, row.id);
  return ids;
}
