import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listTeams } from '@stride/db';
import { ErrorBodySchema, TeamListSchema } from '@stride/shared';

/** `GET /api/teams`: every team with members today, owned repositories and Jira projects. */
export const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/teams',
    {
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
};
