import { type Db, findRepositoryId, listTeams, type MetricScope, type TeamListRow } from '@stride/db';
import { notFound, type Scope } from '@stride/shared';

/** The UTC date of the last instant of [from, to): the period's last day. */
export function lastDayOf(to: Date): string {
  return new Date(to.getTime() - 1).toISOString().slice(0, 10);
}

/** @throws StrideError not_found naming the team */
export async function resolveTeam(db: Db, slug: string, on: string): Promise<TeamListRow> {
  const [team] = await listTeams(db, on, slug);
  if (!team) throw notFound('team', slug);
  return team;
}

/** Resolves `org`, a team slug or a repository full name to a metric scope and its description. */
export async function resolveScope(
  db: Db,
  target: { type: 'org' } | { type: 'team'; slug: string } | { type: 'repository'; fullName: string },
  on: string,
): Promise<{ scope: MetricScope; describe: Scope }> {
  if (target.type === 'team') {
    const team = await resolveTeam(db, target.slug, on);
    return {
      scope: { type: 'team', teamId: team.id },
      describe: { type: 'team', id: team.slug, name: team.name },
    };
  }
  if (target.type === 'repository') {
    const id = await findRepositoryId(db, target.fullName);
    if (!id) throw notFound('repository', target.fullName);
    return {
      scope: { type: 'repository', repositoryId: id },
      describe: { type: 'repository', id: target.fullName, name: target.fullName },
    };
  }
  return { scope: { type: 'org' }, describe: { type: 'org', id: 'org', name: 'Organisation' } };
}
