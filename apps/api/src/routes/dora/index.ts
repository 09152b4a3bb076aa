import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type DoraAggregates,
  getDoraAggregates,
  getTeamsDoraAggregates,
  listTeams,
  type TeamListRow,
} from '@stride/db';
import type { BenchmarkYear, Granularity } from '@stride/metrics';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AnswerWaiter, CachedAnswer } from '../../lib/answer-cache.ts';
import { sendCsv } from '../../lib/csv-reply.ts';
import { endpoint } from '../../lib/endpoint.ts';
import { assertBucketCount, resolveGranularity, resolvePeriod } from '../../lib/metrics-query.ts';
import { lastDayOf, resolveScope } from '../../lib/scope.ts';
import {
  assembleDoraSummary,
  DORA_CSV_COLUMNS,
  doraCsvRows,
  EMPTY_AGGREGATES,
  teamsDoraOverviewOf,
} from './dora-summary.ts';

type Target = { type: 'org' } | { type: 'team'; slug: string } | { type: 'repository'; fullName: string };

/**
 * The answer of `compute` through the app's answer cache under `inputs` (exact for the DORA data
 * version, shared between concurrent requests, see `AnswerCache`), or computed directly when the
 * cache is off. `inputs` must hold everything the answer depends on besides the data the DORA
 * version covers (the raw tables the figures read and the team tables).
 */
async function cachedDora<T>(
  app: FastifyInstance,
  inputs: unknown,
  compute: () => Promise<T>,
  waiter?: AnswerWaiter,
): Promise<CachedAnswer<T>> {
  const cache = app.answerCache;
  if (cache) return cache.get(JSON.stringify(inputs), compute, waiter);
  const value = await compute();
  return {
    version: '',
    value,
    body: (serialize) => serialize(value),
    encoded: async (serialize) => Buffer.from(serialize(value)),
  };
}

/** Content codings a DORA answer is sent in, by the request's Accept-Encoding (br first). */
const encodings = new Negotiator({ supportedValues: ['br', 'gzip', 'identity'], cache: new Map() });

/**
 * Sends an answer as the route's JSON: its body is serialised by the route's response serialiser
 * and compressed for the request's Accept-Encoding (brotli or gzip, as @fastify/compress would)
 * once per answer and encoding; every request sharing a cached answer is sent the same bytes.
 * Without the cache (ANSWER_CACHE_ENTRIES=0) the body is left to @fastify/compress.
 */
async function sendAnswer<T>(app: FastifyInstance, reply: FastifyReply, answer: CachedAnswer<T>) {
  const serialize = (value: T) => String(reply.serialize(value));
  reply.type('application/json; charset=utf-8');
  if (!app.answerCache) return reply.send(answer.body(serialize));
  const accepted = reply.request.headers['accept-encoding'];
  const negotiated = typeof accepted === 'string' ? encodings.negotiate(accepted) : null;
  const encoding = negotiated === 'br' || negotiated === 'gzip' ? negotiated : 'identity';
  const bytes = await answer.encoded(serialize, encoding);
  reply.header('vary', 'accept-encoding');
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(bytes);
}

/**
 * Computes the DORA summary of a scope for a request's query (docs/metrics.md). The same figures
 * from the answer cache while the data is unchanged. `waiter`: the reply of the request asking.
 */
export async function computeDoraSummary(
  app: FastifyInstance,
  target: Target,
  query: DoraQuery,
  waiter?: AnswerWaiter,
) {
  return (await doraSummaryAnswer(app, target, query, waiter)).value;
}

async function doraSummaryAnswer(
  app: FastifyInstance,
  target: Target,
  query: DoraQuery,
  waiter?: AnswerWaiter,
) {
  const { period, granularity, benchmark } = resolveDoraQuery(app, query);
  const { scope, describe } = await resolveScope(app.db, target, lastDayOf(period.to));
  return cachedDora(
    app,
    ['summary', scope, describe, period, granularity, benchmark],
    async () => {
      const [current, previous] = await Promise.all([
        getDoraAggregates(app.db, { scope, from: period.from, to: period.to, granularity }),
        getDoraAggregates(app.db, { scope, from: period.previous.from, to: period.previous.to }),
      ]);
      return assembleDoraSummary({ scope: describe, period, granularity, benchmark, current, previous });
    },
    waiter,
  );
}

type DoraQuery = { from?: string; to?: string; granularity?: string; benchmark?: string };

/** Period, granularity and benchmark year of a DORA request. @throws StrideError invalid_parameter */
function resolveDoraQuery(app: FastifyInstance, query: DoraQuery) {
  const period = resolvePeriod(query, new Date());
  const granularity = resolveGranularity(query.granularity);
  assertBucketCount(period.from, period.to, granularity);
  const benchmark: BenchmarkYear =
    query.benchmark === undefined ? app.strideConfig.benchmark : (Number(query.benchmark) as BenchmarkYear);
  return { period, granularity, benchmark };
}

/**
 * Every team's DORA summary for a request's query: the same figures as `computeDoraSummary` per
 * team, from two batched aggregate queries (period and previous period) instead of two per team.
 */
export async function computeTeamsDora(app: FastifyInstance, query: DoraQuery, waiter?: AnswerWaiter) {
  return (await teamsDoraAnswer(app, query, waiter)).value;
}

async function teamsDoraAnswer(app: FastifyInstance, query: DoraQuery, waiter?: AnswerWaiter) {
  const { period, granularity, benchmark } = resolveDoraQuery(app, query);
  // The teams are read inside the computation: the DORA version covers the team tables.
  return cachedDora(
    app,
    ['teams', period, granularity, benchmark],
    async () => {
      const [teams, current, previous] = await Promise.all([
        listTeams(app.db, lastDayOf(period.to)),
        getTeamsDoraAggregates(app.db, { from: period.from, to: period.to, granularity }),
        getTeamsDoraAggregates(app.db, { from: period.previous.from, to: period.previous.to }),
      ]);
      return assembleTeamsDora(teams, { period, granularity, benchmark, current, previous });
    },
    waiter,
  );
}

/**
 * The overview's compact form of every team's DORA (`TeamsDoraOverview`): the answer of
 * `teamsDoraAnswer` for the same query (shared through the cache: the board pack and the
 * overview compute the aggregates once), each series as columns over one bucket list.
 */
async function teamsDoraOverviewAnswer(app: FastifyInstance, query: DoraQuery, waiter?: AnswerWaiter) {
  const { period, granularity, benchmark } = resolveDoraQuery(app, query);
  return cachedDora(
    app,
    ['teams-overview', period, granularity, benchmark],
    async () => teamsDoraOverviewOf((await teamsDoraAnswer(app, query, waiter)).value),
    waiter,
  );
}

function assembleTeamsDora(
  teams: TeamListRow[],
  input: {
    period: ReturnType<typeof resolveDoraQuery>['period'];
    granularity: Granularity;
    benchmark: BenchmarkYear;
    current: Map<string, DoraAggregates>;
    previous: Map<string, DoraAggregates>;
  },
) {
  const { period, granularity, benchmark, current, previous } = input;
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    previousPeriod: { from: period.previous.from.toISOString(), to: period.previous.to.toISOString() },
    granularity,
    benchmark,
    teams: teams.map((team) =>
      assembleDoraSummary({
        scope: { type: 'team', id: team.slug, name: team.name },
        period,
        granularity,
        benchmark,
        current: current.get(team.id) ?? EMPTY_AGGREGATES,
        previous: previous.get(team.id) ?? EMPTY_AGGREGATES,
      }),
    ),
  };
}

/**
 * `GET /api/org/dora`, `/api/teams/dora` (all teams), `/api/teams/dora-overview` (all teams, compact), `/api/teams/:team/dora`, `/api/repositories/:repo/dora` and their `.csv`
 * series exports.
 */
export const doraRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/org/dora', 'GET'),
    handler: async (req, reply) => {
      await sendAnswer(app, reply, await doraSummaryAnswer(app, { type: 'org' }, req.query, reply));
      return reply;
    },
  });
  app.route({
    ...endpoint('/api/org/dora.csv', 'GET'),
    handler: async (req, reply) => {
      const summary = await computeDoraSummary(app, { type: 'org' }, req.query);
      return sendCsv(reply, 'org-dora.csv', DORA_CSV_COLUMNS, doraCsvRows(summary));
    },
  });

  app.route({
    ...endpoint('/api/teams/dora', 'GET'),
    handler: async (req, reply) => {
      await sendAnswer(app, reply, await teamsDoraAnswer(app, req.query, reply));
      return reply;
    },
  });

  app.route({
    ...endpoint('/api/teams/dora-overview', 'GET'),
    handler: async (req, reply) => {
      await sendAnswer(app, reply, await teamsDoraOverviewAnswer(app, req.query, reply));
      return reply;
    },
  });

  app.route({
    ...endpoint('/api/teams/:team/dora', 'GET'),
    handler: async (req, reply) => {
      await sendAnswer(
        app,
        reply,
        await doraSummaryAnswer(app, { type: 'team', slug: req.params.team }, req.query, reply),
      );
      return reply;
    },
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
    handler: async (req, reply) => {
      const target = { type: 'repository', fullName: req.params.repo } as const;
      await sendAnswer(app, reply, await doraSummaryAnswer(app, target, req.query, reply));
      return reply;
    },
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
