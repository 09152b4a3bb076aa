import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CHANGE_SORT_KEYS, type ChangeListRow, listChanges } from '@stride/db';
import { pullRequestWaitingOn } from '@stride/metrics';
import { type ChangeItem, type ChangeListQuery, httpUrlOrNull } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { sendCsv } from '../../lib/csv-reply.ts';
import { endpoint } from '../../lib/endpoint.ts';
import { iso, resolveListQuery, toListPage } from '../../lib/list-query.ts';

const toItem = (row: ChangeListRow): ChangeItem => ({
  ...row,
  readyAt: row.readyAt.toISOString(),
  // Open PRs (open at `to`; their reviews, requests and CI as last collected) wait on someone.
  waitingOn:
    row.ageSeconds !== null
      ? pullRequestWaitingOn({
          draft: row.draft,
          ciState: row.ciState,
          requestedReviewers: row.requestedReviewers.length + row.requestedTeams.length,
          verdict: row.verdict,
        })
      : null,
  firstCommitAt: iso(row.firstCommitAt),
  openedAt: row.openedAt.toISOString(),
  firstReviewAt: iso(row.firstReviewAt),
  mergedAt: iso(row.mergedAt),
  deployedAt: iso(row.deployedAt),
  size: row.size === null ? null : Number(row.size),
  // Rows stored before links were checked on the way in may hold another scheme.
  url: httpUrlOrNull(row.url),
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
  'draft',
  'ready_at',
  'coding_seconds',
  'pickup_seconds',
  'review_seconds',
  'deploy_seconds',
  'age_seconds',
  'requested_reviewers',
  'requested_teams',
  'ci_state',
  'review_verdict',
  'waiting_on',
];

/** `GET /api/changes` (+ `.csv`): the changes (merged PRs) or open PRs behind a figure. */
export const changeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/changes', 'GET'),
    handler: (req) => fetchChanges(app, req.query, false),
  });
  app.route({
    ...endpoint('/api/changes.csv', 'GET'),
    handler: async (req, reply) => {
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
          c.draft,
          c.readyAt,
          c.codingSeconds,
          c.pickupSeconds,
          c.reviewSeconds,
          c.deploySeconds,
          c.ageSeconds,
          c.requestedReviewers.join(' '),
          c.requestedTeams.join(' '),
          c.ciState,
          c.verdict,
          c.waitingOn,
        ]),
      );
    },
  });
};
