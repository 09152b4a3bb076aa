import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isDiskFullError, pingDatabase, probeDatabaseWrite } from '@stride/db';
import { endpoint } from '../../lib/endpoint.ts';

/**
 * `GET /api/health`: liveness, readiness of the database (a `select 1`) and whether it can write
 * (`probeDatabaseWrite`: a rolled-back row in a fresh table, so a full disk shows). 503
 * `degraded` when the database is down or its writes fail (`writes: "failing"`, e.g. a full disk:
 * webhooks then answer 503 with Retry-After); `ok` again as soon as writes succeed.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/health', 'GET'),
    handler: async (request, reply) => {
      try {
        await pingDatabase(app.db);
      } catch {
        return reply.status(503).send({ status: 'degraded' as const, database: 'down' as const });
      }
      try {
        await probeDatabaseWrite(app.db);
        return { status: 'ok' as const, database: 'up' as const, writes: 'ok' as const };
      } catch (error) {
        if (!isDiskFullError(error)) throw error;
        request.log.warn('database writes failing: disk full');
        return reply
          .status(503)
          .send({ status: 'degraded' as const, database: 'up' as const, writes: 'failing' as const });
      }
    },
  });
};
