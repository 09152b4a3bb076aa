import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getTeamHealthAggregates, listTeams } from '@stride/db';
import type { FastifyInstance } from 'fastify';
import { sendCsv } from '../../lib/csv-reply.ts';
import { endpoint } from '../../lib/endpoint.ts';
import { assertBucketCount, resolveGranularity, resolvePeriod } from '../../lib/metrics-query.ts';
import { lastDayOf, resolveTeam } from '../../lib/scope.ts';
import { assembleTeamHealth, HEALTH_CSV_COLUMNS, healthCsvRows } from './team-health.ts';

/** Computes a team's health signals for a request's query (docs/metrics.md). */
export async function computeTeamHealth(
  app: FastifyInstance,
  slug: string,
  query: { from?: string; to?: string; granularity?: string },
) {
  const period = resolvePeriod(query, new Date());
  const granularity = resolveGranularity(query.granularity);
  assertBucketCount(period.from, period.to, granularity);
  const team = await resolveTeam(app.db, slug, lastDayOf(period.to));
  const aggregates = await getTeamHealthAggregates(app.db, {
    teamId: team.id,
    timezone: team.timezone,
    from: period.from,
    to: period.to,
    granularity,
  });
  return assembleTeamHealth({
    scope: { type: 'team', id: team.slug, name: team.name },
    from: period.from,
    to: period.to,
    granularity,
    members: team.members,
    aggregates,
  });
}

/** `GET /api/teams`, `GET /api/teams/:team/health` (+ `.csv`). */
export const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/teams', 'GET'),
    handler: async () => {
      const rows = await listTeams(app.db, new Date().toISOString().slice(0, 10));
      return { teams: rows.map(({ id: _id, ...team }) => team) };
    },
  });

  app.route({
    ...endpoint('/api/teams.csv', 'GET'),
    handler: async (_req, reply) => {
      const rows = await listTeams(app.db, new Date().toISOString().slice(0, 10));
      return sendCsv(
        reply,
        'teams.csv',
        ['slug', 'name', 'timezone', 'members', 'repositories', 'jira_projects'],
        rows.map((t) => [
          t.slug,
          t.name,
          t.timezone,
          t.members,
          t.repositories.join(' '),
          t.jiraProjects.join(' '),
        ]),
      );
    },
  });

  app.route({
    ...endpoint('/api/teams/:team/health', 'GET'),
    handler: (req) => computeTeamHealth(app, req.params.team, req.query),
  });
  app.route({
    ...endpoint('/api/teams/:team/health.csv', 'GET'),
    handler: async (req, reply) => {
      const health = await computeTeamHealth(app, req.params.team, req.query);
      return sendCsv(reply, `${req.params.team}-health.csv`, HEALTH_CSV_COLUMNS, healthCsvRows(health));
    },
  });
};
