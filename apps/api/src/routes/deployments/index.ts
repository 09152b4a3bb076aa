import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DEPLOYMENT_SORT_KEYS, type DeploymentListRow, listDeployments } from '@stride/db';
import { type DeploymentItem, type DeploymentListQuery, httpUrlOrNull } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { sendCsv } from '../../lib/csv-reply.ts';
import { endpoint } from '../../lib/endpoint.ts';
import { resolveListQuery, toListPage } from '../../lib/list-query.ts';

const toItem = (row: DeploymentListRow): DeploymentItem => ({
  ...row,
  deployedAt: row.deployedAt.toISOString(),
  // Rows stored before links were checked on the way in may hold another scheme.
  url: httpUrlOrNull(row.url),
  incidents: row.incidents.map((i) => ({ ...i, url: httpUrlOrNull(i.url) })),
  pullRequests: row.pullRequests.map((p) => ({ ...p, url: httpUrlOrNull(p.url) })),
});

async function fetchDeployments(app: FastifyInstance, query: DeploymentListQuery, csv: boolean) {
  const { period, scope, window } = await resolveListQuery(
    app,
    query,
    DEPLOYMENT_SORT_KEYS,
    'deployedAt',
    csv,
  );
  const result = await listDeployments(
    app.db,
    { scope, from: period.from, to: period.to, failed: query.failed, unplanned: query.unplanned },
    window,
  );
  return toListPage(result, toItem, query, window, csv);
}

const COLUMNS = [
  'id',
  'repository',
  'team',
  'source',
  'environment',
  'sha',
  'deployed_at',
  'failed',
  'rolled_back',
  'unplanned',
  'changes',
  'url',
  'incidents',
  'pull_requests',
];

/** `GET /api/deployments` (+ `.csv`): the production deployments behind a DORA figure. */
export const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/deployments', 'GET'),
    handler: (req) => fetchDeployments(app, req.query, false),
  });
  app.route({
    ...endpoint('/api/deployments.csv', 'GET'),
    handler: async (req, reply) => {
      const { items } = await fetchDeployments(app, req.query, true);
      return sendCsv(
        reply,
        'deployments.csv',
        COLUMNS,
        items.map((d) => [
          d.id,
          d.repository,
          d.team,
          d.source,
          d.environment,
          d.sha,
          d.deployedAt,
          d.failed,
          d.rolledBack,
          d.unplanned,
          d.changes,
          d.url,
          // What it caused and what it shipped, space separated: `CHK-1`, `acme/checkout#12`.
          d.incidents.map((i) => i.key ?? i.id).join(' '),
          d.pullRequests.map((p) => `${p.repository}#${p.number}`).join(' '),
        ]),
      );
    },
  });
};
