import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getAppSetting, getSyncStatus } from '@stride/db';
import { endpoint } from '../../lib/endpoint.ts';

/**
 * `GET /api/sync-status`: the last sync run per source and scope (status, error, requests, 304s,
 * remaining rate limit) and `demo` = true when app setting `demo` is true (generated data).
 */
export const syncStatusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/sync-status', 'GET'),
    handler: async () => {
      const [demo, rows] = await Promise.all([getAppSetting(app.db, 'demo'), getSyncStatus(app.db)]);
      return {
        demo: demo === true,
        sources: rows.map((row) => ({
          ...row,
          lastRunAt: row.lastRunAt?.toISOString() ?? null,
          lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
        })),
      };
    },
  });
};
