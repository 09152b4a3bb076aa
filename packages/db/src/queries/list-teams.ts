import { compareNames } from '@stride/shared';
import { sql } from 'kysely';
import type { Db } from '../connection.ts';

export interface TeamListRow {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  /** Members whose dated membership covers `on` (a 'YYYY-MM-DD' UTC date). */
  members: number;
  repositories: string[];
  jiraProjects: string[];
}

/**
 * Every team with its member count on the UTC date `on`, its owned repositories (full names) and
 * Jira projects, in natural order of name ("Team 2" before "Team 10", see compareNames), then slug:
 * every list of teams (API answers, CSVs, board pack, digest) follows this order.
 * @param slug only this team (the list is then 0 or 1 long)
 */
export async function listTeams(db: Db, on: string, slug?: string): Promise<TeamListRow[]> {
  const result = await sql<TeamListRow>`
    select t.id::text as id, t.slug, t.name, t.timezone,
      (select count(distinct coalesce(lower(tm.github_login), tm.jira_account_id))::int from team_memberships tm
        where tm.team_id = t.id and tm.valid_from <= ${on}::date
          and (tm.valid_to is null or tm.valid_to >= ${on}::date)) as members,
      coalesce((select array_agg(r.full_name order by r.full_name) from team_repositories tr
        join repositories r on r.id = tr.repository_id where tr.team_id = t.id), '{}') as "repositories",
      coalesce((select array_agg(tjp.project_key order by tjp.project_key) from team_jira_projects tjp
        where tjp.team_id = t.id), '{}') as "jiraProjects"
    from teams t
    ${slug === undefined ? sql`` : sql`where t.slug = ${slug}`}
    order by t.slug`.execute(db);
  // Natural order is not a SQL collation every server has (ICU's numeric ordering): sorted here.
  return result.rows.sort(
    (a, b) => compareNames(a.name, b.name) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );
}

/** Our id of a repository by its full name (`owner/name`, case-insensitive); undefined when unknown. */
export async function findRepositoryId(db: Db, fullName: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('repositories')
    .select('id')
    .where(sql<string>`lower(full_name)`, '=', fullName.toLowerCase())
    .executeTakeFirst();
  return row?.id;
}
