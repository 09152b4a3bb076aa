import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getDoraAggregates } from '@stride/db';
import type { BenchmarkYear } from '@stride/metrics';
import type { FastifyInstance } from 'fastify';
import { sendCsv } from '../../lib/csv-reply.ts';
import { endpoint } from '../../lib/endpoint.ts';
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

/**
 * `GET /api/org/dora`, `/api/teams/:team/dora`, `/api/repositories/:repo/dora` and their `.csv`
 * series exports.
 */
export const doraRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/org/dora', 'GET'),
    handler: (req) => computeDoraSummary(app, { type: 'org' }, req.query),
  });
  app.route({
    ...endpoint('/api/org/dora.csv', 'GET'),
    handler: async (req, reply) => {
      const summary = await computeDoraSummary(app, { type: 'org' }, req.query);
      return sendCsv(reply, 'org-dora.csv', DORA_CSV_COLUMNS, doraCsvRows(summary));
    },
  });

  app.route({
    ...endpoint('/api/teams/:team/dora', 'GET'),
    handler: (req) => computeDoraSummary(app, { type: 'team', slug: req.params.team }, req.query),
  });
  app.route({
    ...endpoint('/api/teams/:team/dora.csv', 'GET'),
    handler: async (req, reply) => {
      const summary = await computeDoraSummary(app, { type: 'team', slug: req.params.team }, req.query);
      return sendCsv(reply, `${req.params.team}-dora.csv`, DORA_CSV_COLUMNS, doraCsvRows(summary));
    },
  });

  app.route({
    ...endpoint('/api/repositories/:repo/dora', 'GET'),
    handler: (req) => computeDoraSummary(app, { type: 'repository', fullName: req.params.repo }, req.query),
  });
  app.route({
    ...endpoint('/api/repositories/:repo/dora.csv', 'GET'),
    handler: async (req, reply) => {
      const summary = await computeDoraSummary(
        app,
        { type: 'repository', fullName: req.params.repo },
        req.query,
      );
      return sendCsv(reply, `${req.params.repo}-dora.csv`, DORA_CSV_COLUMNS, doraCsvRows(summary));
    },
  });
};
