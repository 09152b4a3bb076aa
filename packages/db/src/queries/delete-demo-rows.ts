import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/**
 * Deletes a generated demo organisation before another is loaded: its repositories (and with
 * them, by cascade, their PRs, reviews, commits, deployments and links), its Jira issues and
 * incidents (external ids starting with `idPrefix`), its organisation's Copilot metrics days and
 * the teams named in `teamSlugs`.
 * Collected data of other repositories is untouched. Runs in one transaction.
 *
 * @param owner GitHub owner of the demo repositories (e.g. `stride-demo`)
 * @param idPrefix prefix of the demo's external ids (e.g. `demo:`)
 */
export async function deleteDemoRows(
  db: Db,
  owner: string,
  idPrefix: string,
  teamSlugs: readonly string[],
): Promise<void> {
  const pattern = `${idPrefix.replace(/[\\%_]/g, '\\$&')}%`;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('incidents').where('external_id', 'like', pattern).execute();
    await trx.deleteFrom('jira_issues').where('external_id', 'like', pattern).execute();
    await trx.deleteFrom('copilot_metrics_days').where('org', '=', owner).execute();
    await trx
      .deleteFrom('repositories')
      .where(sql<boolean>`starts_with(full_name, ${`${owner}/`})`)
      .execute();
    if (teamSlugs.length > 0)
      await trx
        .deleteFrom('teams')
        .where('slug', 'in', [...teamSlugs])
        .execute();
  });
}
