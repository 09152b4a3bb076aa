import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { getTeamHealthAggregates, listTeams } from '@stride/db';
import { ErrorBodySchema, MetricsQuerySchema, TeamHealthSchema, TeamListSchema } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { csvResponse, sendCsv } from '../../lib/csv-reply.ts';
import { assertBucketCount, resolveGranularity, resolvePeriod } from '../../lib/metrics-query.ts';
import { lastDayOf, resolveTeam } from '../../lib/scope.ts';
import { assembleTeamHealth, HEALTH_CSV_COLUMNS, healthCsvRows } from './team-health.ts';

const TeamParams = T.Object({ team: T.String({ description: 'team slug' }) });
const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema };

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
  app.get(
    '/api/teams',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['teams'],
        summary: 'Teams with their members today, repositories and Jira projects',
        response: { 200: TeamListSchema, 401: ErrorBodySchema },
      },
    },
    async () => {
      const rows = await listTeams(app.db, new Date().toISOString().slice(0, 10));
      return { teams: rows.map(({ id: _id, ...team }) => team) };
    },
  );

  app.get(
    '/api/teams.csv',
    {
      config: { access: 'viewer' },
      schema: { tags: ['export'], summary: 'Teams as CSV', produces: ['text/csv'], response: csvResponse },
    },
    async (_req, reply) => {
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
  );

  app.get(
    '/api/teams/:team/health',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['teams'],
        summary:
          'Team health: cycle-time phases, PR size, throughput, WIP, review load, size, bus factor, unplanned work, out-of-hours, incidents',
        querystring: MetricsQuerySchema,
        params: TeamParams,
        response: { 200: TeamHealthSchema, ...errors },
      },
    },
    (req) => computeTeamHealth(app, req.params.team, req.query),
  );
  app.get(
    '/api/teams/:team/health.csv',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['export'],
        summary: 'Team health figures and throughput series as CSV',
        querystring: MetricsQuerySchema,
        params: TeamParams,
        produces: ['text/csv'],
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const health = await computeTeamHealth(app, req.params.team, req.query);
      return sendCsv(reply, `${req.params.team}-health.csv`, HEALTH_CSV_COLUMNS, healthCsvRows(health));
    },
  );
};
