import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pingDatabase } from '@stride/db';
import { endpoint } from '../../lib/endpoint.ts';

/** `GET /api/health`: liveness, and readiness of the database (a `select 1`). 503 when it is down. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/health', 'GET'),
    handler: async (_request, reply) => {
      try {
        await pingDatabase(app.db);
        return { status: 'ok' as const, database: 'up' as const };
      } catch {
        return reply.status(503).send({ status: 'degraded' as const, database: 'down' as const });
      }
    },
  });
};
