import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getAppSetting, getSyncStatus, listDigestDeliveries } from '@stride/db';
import { endpoint } from '../../lib/endpoint.ts';

/**
 * `GET /api/sync-status`: the last sync run per source and scope (status, error, requests, 304s,
 * remaining rate limit), the latest digest deliveries with their attempts (a failed one is
 * retried by its pg-boss job) and `demo` = true when app setting `demo` is true (generated data).
 */
export const syncStatusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/sync-status', 'GET'),
    handler: async () => {
      const [demo, rows, deliveries] = await Promise.all([
        getAppSetting(app.db, 'demo'),
        getSyncStatus(app.db),
        listDigestDeliveries(app.db, undefined, 50),
      ]);
      return {
        demo: demo === true,
        sources: rows.map((row) => ({
          ...row,
          lastRunAt: row.lastRunAt?.toISOString() ?? null,
          lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
        })),
        digests: deliveries.map((d) => ({
          digest: d.digest,
          period: d.periodKey,
          channel: d.channel as 'slack' | 'email',
          status: d.status as 'sending' | 'sent' | 'failed',
          attempts: d.attempts,
          error: d.error,
          sentAt: d.sentAt?.toISOString() ?? null,
          updatedAt: d.updatedAt.toISOString(),
        })),
      };
    },
  });
};
