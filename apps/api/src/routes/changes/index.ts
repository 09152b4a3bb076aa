import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CHANGE_SORT_KEYS, type ChangeListRow, listChanges } from '@stride/db';
import {
  type ChangeItem,
  ChangeItemSchema,
  type ChangeListQuery,
  ChangeListQuerySchema,
  ErrorBodySchema,
  pageOf,
} from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { csvResponse, sendCsv } from '../../lib/csv-reply.ts';
import { iso, resolveListQuery, toListPage } from '../../lib/list-query.ts';

const toItem = (row: ChangeListRow): ChangeItem => ({
  ...row,
  firstCommitAt: iso(row.firstCommitAt),
  openedAt: row.openedAt.toISOString(),
  firstReviewAt: iso(row.firstReviewAt),
  mergedAt: iso(row.mergedAt),
  deployedAt: iso(row.deployedAt),
  size: row.size === null ? null : Number(row.size),
});

async function fetchChanges(app: FastifyInstance, query: ChangeListQuery, csv: boolean) {
  const { period, scope, window } = await resolveListQuery(
    app,
    query,
    CHANGE_SORT_KEYS,
    query.state === 'open' ? 'openedAt' : 'mergedAt',
    csv,
  );
  const result = await listChanges(
    app.db,
    {
      scope,
      from: period.from,
      to: period.to,
      dateField: query.dateField,
      state: query.state,
      deployed: query.deployed,
      withLeadTime: query.withLeadTime,
      reviewed: query.reviewed,
      unplanned: query.unplanned,
      stale: query.stale,
      includeBots: query.includeBots,
    },
    window,
  );
  return toListPage(result, toItem, query, window, csv);
}

const COLUMNS = [
  'id',
  'repository',
  'number',
  'title',
  'author',
  'team',
  'first_commit_at',
  'opened_at',
  'first_review_at',
  'merged_at',
  'deployed_at',
  'lead_time_seconds',
  'attribution',
  'size',
  'url',
];

/** `GET /api/changes` (+ `.csv`): the changes (merged PRs) or open PRs behind a figure. */
export const changeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const description =
    'Changes merged into the default branch with merged_at (dateField=merged, default) or deployed_at (dateField=deployed) in [from, to); team = author a member on the day of the merge. withLeadTime=true&dateField=deployed lists the change lead time sample; reviewed=false the PRs merged without review; state=open the work in progress at `to` (stale=true: opened over 7 days before). Bots are excluded unless includeBots=true. Sort keys: mergedAt, deployedAt, openedAt, leadTime, size, number.';
  app.get(
    '/api/changes',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['drill-down'],
        summary: 'Changes behind a figure',
        description,
        querystring: ChangeListQuerySchema,
        response: {
          200: pageOf(ChangeItemSchema),
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          404: ErrorBodySchema,
        },
      },
    },
    (req) => fetchChanges(app, req.query, false),
  );
  app.get(
    '/api/changes.csv',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['export'],
        summary: 'Changes as CSV (all rows, no paging)',
        description,
        querystring: ChangeListQuerySchema,
        produces: ['text/csv'],
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const { items } = await fetchChanges(app, req.query, true);
      return sendCsv(
        reply,
        'changes.csv',
        COLUMNS,
        items.map((c) => [
          c.id,
          c.repository,
          c.number,
          c.title,
          c.author,
          c.team,
          c.firstCommitAt,
          c.openedAt,
          c.firstReviewAt,
          c.mergedAt,
          c.deployedAt,
          c.leadTimeSeconds,
          c.attribution,
          c.size,
          c.url,
        ]),
      );
    },
  );
};
