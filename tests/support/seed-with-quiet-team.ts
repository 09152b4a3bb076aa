import { type Db, syncTeamsFromConfig } from '@stride/db';
import type { TeamConfig } from '@stride/shared/config';
import { type DashboardOrgOptions, type SeededOrg, seedDashboardOrg } from '@stride/testkit';

/**
 * The dashboard test organisation (`seedDashboardOrg`) plus one configured team without any data
 * yet (`quiet`, named `quietName`), which the dashboard must show below the teams with data.
 * @returns the seeded org, the quiet team, and every team to configure the API with
 */
export async function seedWithQuietTeam(
  db: Db,
  options: DashboardOrgOptions,
  quietName: string,
): Promise<{ org: SeededOrg; quiet: TeamConfig; teams: TeamConfig[] }> {
  const org = await seedDashboardOrg(db, options);
  const quiet: TeamConfig = {
    slug: 'quiet',
    name: quietName,
    timezone: 'UTC',
    members: [{ name: 'Q', github: 'quiet-dev' }],
    repositories: ['acme/quiet'],
    jiraProjects: [],
  };
  const teams = [...org.teams, quiet];
  await syncTeamsFromConfig(db, teams);
  return { org, quiet, teams };
}
