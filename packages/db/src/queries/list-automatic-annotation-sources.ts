import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/** What automatic annotations are derived from: membership changes and incidents with a severity. */
export interface AutomaticAnnotationSources {
  /** A member joined (valid_from) or left (the day after valid_to) a team on `date`. */
  membershipChanges: { teamSlug: string; date: string; change: 'joined' | 'left'; member: string }[];
  /** Incidents with a severity, started on `date` (UTC), by their team. */
  incidents: { teamSlug: string | null; date: string; key: string; title: string; severity: string }[];
}

/**
 * Membership changes and incidents with a severity whose day falls in [from, to] (inclusive ISO
 * dates), of one team (`teamSlug`) or every team (undefined). Memberships starting on 1970-01-01
 * (no `from` in the config) are not changes. Incidents belong to their team as in docs/metrics.md.
 */
export async function listAutomaticAnnotationSources(
  db: Db,
  options: { from: string; to: string; teamSlug?: string },
): Promise<AutomaticAnnotationSources> {
  const team = options.teamSlug;
  const memberships = await sql<{
    teamSlug: string;
    date: string;
    change: 'joined' | 'left';
    member: string;
  }>`
    select * from (
      select t.slug as "teamSlug", tm.valid_from::text as date, 'joined' as change,
        coalesce(tm.member_name, tm.github_login, tm.jira_account_id) as member
      from team_memberships tm join teams t on t.id = tm.team_id
      where tm.valid_from > '1970-01-01'
      union all
      select t.slug, (tm.valid_to + 1)::text, 'left',
        coalesce(tm.member_name, tm.github_login, tm.jira_account_id)
      from team_memberships tm join teams t on t.id = tm.team_id
      where tm.valid_to is not null
    ) m
    where m.date between ${options.from} and ${options.to}
      ${team === undefined ? sql`` : sql`and m."teamSlug" = ${team}`}
    order by m.date, m."teamSlug", m.member`.execute(db);
  const incidents = await sql<{
    teamSlug: string | null;
    date: string;
    key: string;
    title: string;
    severity: string;
  }>`
    select * from (
      select coalesce(
          (select t.slug from teams t where t.id = i.team_id),
          (select t.slug from team_repositories tr join teams t on t.id = tr.team_id
            where tr.repository_id = i.repository_id order by t.slug limit 1),
          (select t.slug from team_jira_projects tjp join teams t on t.id = tjp.team_id
            where tjp.project_key = i.jira_project_key order by t.slug limit 1)) as "teamSlug",
        (i.started_at at time zone 'UTC')::date::text as date,
        coalesce(i.key, i.external_id) as key, i.title, i.severity
      from incidents i
      where i.severity is not null
        and i.started_at >= ${options.from}::date
        and i.started_at < (${options.to}::date + 1)
    ) x
    ${team === undefined ? sql`` : sql`where x."teamSlug" = ${team}`}
    order by x.date, x.key`.execute(db);
  return { membershipChanges: memberships.rows, incidents: incidents.rows };
}
