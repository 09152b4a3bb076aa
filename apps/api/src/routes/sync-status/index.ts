import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getAppSetting, getSyncStatus } from '@stride/db';
import { ErrorBodySchema, SyncStatusSchema } from '@stride/shared';

/**
 * `GET /api/sync-status`: the last sync run per source and scope (status, error, requests, 304s,
 * remaining rate limit) and `demo` = true when app setting `demo` is true (generated data).
 */
export const syncStatusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sync-status',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['system'],
        summary: 'Last sync per source, errors, rate limit, demo flag',
        response: { 200: SyncStatusSchema, 401: ErrorBodySchema },
      },
    },
    async () => {
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
  );
};
