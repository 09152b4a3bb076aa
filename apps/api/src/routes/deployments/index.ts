import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DEPLOYMENT_SORT_KEYS, type DeploymentListRow, listDeployments } from '@stride/db';
import {
  type DeploymentItem,
  DeploymentItemSchema,
  type DeploymentListQuery,
  DeploymentListQuerySchema,
  ErrorBodySchema,
  pageOf,
} from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { csvResponse, sendCsv } from '../../lib/csv-reply.ts';
import { resolveListQuery, toListPage } from '../../lib/list-query.ts';

const toItem = (row: DeploymentListRow): DeploymentItem => ({
  ...row,
  deployedAt: row.deployedAt.toISOString(),
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
  'unplanned',
  'changes',
  'url',
];

/** `GET /api/deployments` (+ `.csv`): the production deployments behind a DORA figure. */
export const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const description =
    'Production deployments with deployed_at in [from, to) of the org, a team (owner of the repository) or a repository. failed=true lists the change-failure-rate numerator, unplanned=true the rework-rate numerator. Sort keys: deployedAt, repository, changes.';
  app.get(
    '/api/deployments',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['drill-down'],
        summary: 'Deployments behind a figure',
        description,
        querystring: DeploymentListQuerySchema,
        response: {
          200: pageOf(DeploymentItemSchema),
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          404: ErrorBodySchema,
        },
      },
    },
    (req) => fetchDeployments(app, req.query, false),
  );
  app.get(
    '/api/deployments.csv',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['export'],
        summary: 'Deployments as CSV (all rows, no paging)',
        description,
        querystring: DeploymentListQuerySchema,
        produces: ['text/csv'],
        response: csvResponse,
      },
    },
    async (req, reply) => {
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
          d.unplanned,
          d.changes,
          d.url,
        ]),
      );
    },
  );
};
