import type { TeamConfig } from '@stride/shared/config';
import type { Db } from '../connection.ts';

/**
 * Makes the team tables match the config: teams by slug (created or renamed), their dated
 * memberships, owned repositories (created as placeholders when not yet collected) and Jira
 * projects. Teams absent from the config are left in place (their history stays queryable).
 * Runs in one transaction. @returns the ids of the configured teams by slug.
 */
export async function syncTeamsFromConfig(
  db: Db,
  teams: readonly TeamConfig[],
): Promise<Map<string, string>> {
  return db.transaction().execute(async (trx) => {
    const ids = new Map<string, string>();
    for (const team of teams) {
      const { id } = await trx
        .insertInto('teams')
        .values({ slug: team.slug, name: team.name, timezone: team.timezone })
        .onConflict((oc) => oc.column('slug').doUpdateSet({ name: team.name, timezone: team.timezone }))
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(team.slug, id);

      await trx.deleteFrom('team_memberships').where('team_id', '=', id).execute();
      if (team.members.length > 0) {
        await trx
          .insertInto('team_memberships')
          .values(
            team.members.map((m) => ({
              team_id: id,
              member_name: m.name ?? null,
              github_login: m.github ?? null,
              jira_account_id: m.jira ?? null,
              valid_from: m.from ?? '1970-01-01',
              valid_to: m.to ?? null,
            })),
          )
          .execute();
      }

      await trx.deleteFrom('team_repositories').where('team_id', '=', id).execute();
      for (const fullName of team.repositories) {
        const repo = await trx
          .insertInto('repositories')
          .values({ external_id: `name:${fullName}`, full_name: fullName })
          .onConflict((oc) => oc.column('full_name').doUpdateSet({ full_name: fullName }))
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('team_repositories').values({ team_id: id, repository_id: repo.id }).execute();
      }

      await trx.deleteFrom('team_jira_projects').where('team_id', '=', id).execute();
      if (team.jiraProjects.length > 0) {
        await trx
          .insertInto('team_jira_projects')
          .values(team.jiraProjects.map((key) => ({ team_id: id, project_key: key })))
          .execute();
      }
    }
    return ids;
  });
}
