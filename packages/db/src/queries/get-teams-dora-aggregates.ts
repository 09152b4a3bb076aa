import type { Granularity } from '@stride/metrics';
import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import { type DoraAggregates, runDoraStatements } from './get-dora-aggregates.ts';
import { readDoraRollups } from './rollups/read-dora-rollups.ts';

/**
 * Every team's DORA aggregates as the API serves them: from the day rollups (`readDoraRollups`),
 * the same figures as `getTeamsDoraAggregatesFromRaw` (docs/metrics.md, "How figures are served").
 * @returns aggregates by team id; a team with no rows in the period is absent.
 */
export async function getTeamsDoraAggregates(
  db: Db,
  input: { from: Date; to: Date; granularity?: Granularity | undefined },
): Promise<Map<string, DoraAggregates>> {
  return readDoraRollups(db, { target: { type: 'all-teams' }, ...input });
}

/**
 * The DORA aggregates of every team at once (docs/metrics.md, "Which team a figure belongs to"),
 * straight from the raw tables, the same figures `getDoraAggregatesFromRaw` gives for one team scope, from the same four statements
 * for all teams instead of four per team: each row is joined to the teams it belongs to.
 * - deployments: the teams owning the deployment's repository;
 * - changes: the teams the author belonged to on the UTC day of `merged_at` (dated memberships);
 * - incidents: the incident's own team, else the teams owning its repository or its Jira project.
 * @returns aggregates by team id (our `teams.id`); a team with no rows in the period is absent.
 */
export async function getTeamsDoraAggregatesFromRaw(
  db: Db,
  input: { from: Date; to: Date; granularity?: Granularity | undefined },
): Promise<Map<string, DoraAggregates>> {
  const owners = sql`join team_repositories tr on tr.repository_id = d.repository_id`;
  return runDoraStatements(db, {
    ...input,
    grouping: {
      deployments: { key: sql`tr.team_id::text`, join: owners, where: sql<boolean>`true` },
      changes: {
        key: sql`m.team_id::text`,
        // every team the author was a member of on the day of the merge, once per team
        join: sql`join lateral (
          select distinct tm.team_id from team_memberships tm
          where tm.github_login is not null and lower(tm.github_login) = lower(pr.author_login)
            and (pr.merged_at at time zone 'UTC')::date >= tm.valid_from
            and (tm.valid_to is null or (pr.merged_at at time zone 'UTC')::date <= tm.valid_to)
        ) m on true`,
        where: sql<boolean>`true`,
      },
      incidents: {
        key: sql`t.team_id::text`,
        join: sql`join lateral (
          select i.team_id as team_id where i.team_id is not null
          union select tr.team_id from team_repositories tr
            where i.team_id is null and tr.repository_id = i.repository_id
          union select tjp.team_id from team_jira_projects tjp
            where i.team_id is null and tjp.project_key = i.jira_project_key
        ) t on true`,
        where: sql<boolean>`true`,
      },
    },
  });
}
