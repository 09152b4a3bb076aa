import type { Db } from '../connection.ts';
import type { Repository } from '../schema.ts';

/** The repository row of `owner/name`, or undefined. */
export async function getRepositoryByName(db: Db, fullName: string): Promise<Repository | undefined> {
  return db.selectFrom('repositories').selectAll().where('full_name', '=', fullName).executeTakeFirst();
}
