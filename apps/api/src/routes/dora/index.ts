import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { getDoraAggregates } from '@stride/db';
import type { BenchmarkYear } from '@stride/metrics';
import { DoraSummarySchema, ErrorBodySchema, MetricsQuerySchema } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { csvResponse, sendCsv } from '../../lib/csv-reply.ts';
import { assertBucketCount, resolveGranularity, resolvePeriod } from '../../lib/metrics-query.ts';
import { lastDayOf, resolveScope } from '../../lib/scope.ts';
import { assembleDoraSummary, DORA_CSV_COLUMNS, doraCsvRows } from './dora-summary.ts';

type Target = { type: 'org' } | { type: 'team'; slug: string } | { type: 'repository'; fullName: string };

/** Computes the DORA summary of a scope for a request's query (docs/metrics.md). */
export async function computeDoraSummary(
  app: FastifyInstance,
  target: Target,
  query: { from?: string; to?: string; granularity?: string; benchmark?: string },
) {
  const period = resolvePeriod(query, new Date());
  const granularity = resolveGranularity(query.granularity);
  assertBucketCount(period.from, period.to, granularity);
  const benchmark: BenchmarkYear =
    query.benchmark === undefined ? app.strideConfig.benchmark : (Number(query.benchmark) as BenchmarkYear);
  const { scope, describe } = await resolveScope(app.db, target, lastDayOf(period.to));
  const [current, previous] = await Promise.all([
    getDoraAggregates(app.db, { scope, from: period.from, to: period.to, granularity }),
    getDoraAggregates(app.db, { scope, from: period.previous.from, to: period.previous.to }),
  ]);
  return assembleDoraSummary({ scope: describe, period, granularity, benchmark, current, previous });
}

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema };
const TeamParams = T.Object({ team: T.String({ description: 'team slug' }) });
const RepoParams = T.Object({
  repo: T.String({ description: 'repository full name owner/name, URL-encoded' }),
});
const description =
  'The five DORA metrics for the period [from, to) with p50/p90 for durations, n, performance level (benchmark 2023 or 2024 boundaries), trend against the previous period of equal length and a series per bucket. Definitions: docs/metrics.md.';

/**
 * `GET /api/org/dora`, `/api/teams/:team/dora`, `/api/repositories/:repo/dora` and their `.csv`
 * series exports.
 */
export const doraRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const json = { tags: ['dora'], description, querystring: MetricsQuerySchema };
  const csv = { tags: ['export'], querystring: MetricsQuerySchema, produces: ['text/csv'] };

  app.get(
    '/api/org/dora',
    {
      config: { access: 'viewer' },
      schema: {
        ...json,
        summary: 'DORA metrics of the whole org',
        response: { 200: DoraSummarySchema, ...errors },
      },
    },
    (req) => computeDoraSummary(app, { type: 'org' }, req.query),
  );
  app.get(
    '/api/org/dora.csv',
    {
      config: { access: 'viewer' },
      schema: { ...csv, summary: 'DORA series of the org as CSV', response: csvResponse },
    },
    async (req, reply) => {
      const summary = await computeDoraSummary(app, { type: 'org' }, req.query);
      return sendCsv(reply, 'org-dora.csv', DORA_CSV_COLUMNS, doraCsvRows(summary));
    },
  );

  app.get(
    '/api/teams/:team/dora',
    {
      config: { access: 'viewer' },
      schema: {
        ...json,
        params: TeamParams,
        summary: 'DORA metrics of a team',
        response: { 200: DoraSummarySchema, ...errors },
      },
    },
    (req) => computeDoraSummary(app, { type: 'team', slug: req.params.team }, req.query),
  );
  app.get(
    '/api/teams/:team/dora.csv',
    {
      config: { access: 'viewer' },
      schema: { ...csv, params: TeamParams, summary: 'DORA series of a team as CSV', response: csvResponse },
    },
    async (req, reply) => {
      const summary = await computeDoraSummary(app, { type: 'team', slug: req.params.team }, req.query);
      return sendCsv(reply, `${req.params.team}-dora.csv`, DORA_CSV_COLUMNS, doraCsvRows(summary));
    },
  );

  app.get(
    '/api/repositories/:repo/dora',
    {
      config: { access: 'viewer' },
      schema: {
        ...json,
        params: RepoParams,
        summary: 'DORA metrics of a repository',
        response: { 200: DoraSummarySchema, ...errors },
      },
    },
    (req) => computeDoraSummary(app, { type: 'repository', fullName: req.params.repo }, req.query),
  );
  app.get(
    '/api/repositories/:repo/dora.csv',
    {
      config: { access: 'viewer' },
      schema: {
        ...csv,
        params: RepoParams,
        summary: 'DORA series of a repository as CSV',
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const summary = await computeDoraSummary(
        app,
        { type: 'repository', fullName: req.params.repo },
        req.query,
      );
      return sendCsv(reply, `${req.params.repo}-dora.csv`, DORA_CSV_COLUMNS, doraCsvRows(summary));
    },
  );
};
