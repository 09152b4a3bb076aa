import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getSyncStatus, listAiImpactSamples, listTeams, REVERT_WINDOW_DAYS } from '@stride/db';
import { prSizeBand } from '@stride/metrics';
import {
  type AiImpactChangesQuery,
  type AiImpactQuery,
  httpUrlOrNull,
  invalidParameter,
} from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { sendCsv } from '../../lib/csv-reply.ts';
import { endpoint } from '../../lib/endpoint.ts';
import { CSV_ROW_LIMIT } from '../../lib/list-query.ts';
import { assertBucketCount, resolveGranularity, resolvePeriod } from '../../lib/metrics-query.ts';
import { lastDayOf, resolveTeam } from '../../lib/scope.ts';
import {
  AI_IMPACT_CSV_COLUMNS,
  aiImpactCsvRows,
  assembleAiImpact,
  inAiGroup,
  teamAdoptionDate,
  uniqueChanges,
} from './ai-impact.ts';
import { loadCopilotUsage } from './copilot-usage.ts';

/** Computes the AI impact of the org (`team` undefined) or a team for a request's query. */
export async function computeAiImpact(app: FastifyInstance, team: string | undefined, query: AiImpactQuery) {
  const period = resolvePeriod(query, new Date());
  const granularity = resolveGranularity(query.granularity);
  assertBucketCount(period.from, period.to, granularity);
  const on = lastDayOf(period.to);
  const span = { from: period.from, to: period.to, granularity };
  if (team !== undefined) {
    const t = await resolveTeam(app.db, team, on);
    const [rows, copilot] = await Promise.all([
      listAiImpactSamples(app.db, { from: period.from, to: period.to, teamId: t.id }),
      loadCopilotUsage(app.db, app.strideConfig, span, t.slug),
    ]);
    return assembleAiImpact({
      scope: { type: 'team', id: t.slug, name: t.name },
      period: span,
      rows,
      teams: [],
      ai: app.strideConfig.ai,
      revertWindowDays: REVERT_WINDOW_DAYS,
      seed: query.seed,
      copilot: { scope: copilot },
    });
  }
  const [rows, teams, notes] = await Promise.all([
    listAiImpactSamples(app.db, { from: period.from, to: period.to }),
    listTeams(app.db, on),
    getSyncStatus(app.db),
  ]);
  const [orgCopilot, ...teamCopilot] = await Promise.all([
    loadCopilotUsage(app.db, app.strideConfig, span, undefined, notes),
    ...teams.map((t) => loadCopilotUsage(app.db, app.strideConfig, span, t.slug, notes)),
  ]);
  return assembleAiImpact({
    scope: { type: 'org', id: 'org', name: 'Organisation' },
    period: span,
    rows,
    teams: teams.map((t) => ({ slug: t.slug, name: t.name })),
    ai: app.strideConfig.ai,
    revertWindowDays: REVERT_WINDOW_DAYS,
    seed: query.seed,
    copilot: {
      scope: orgCopilot!,
      teams: Object.fromEntries(teams.map((t, i) => [t.slug, teamCopilot[i]!])),
    },
  });
}

/** The changes behind an AI-impact figure, newest first. @throws 400 naming `group` for before/after without a team */
async function listAiChanges(app: FastifyInstance, query: AiImpactChangesQuery, csv: boolean) {
  const period = resolvePeriod(query, new Date());
  const group = query.group ?? 'ai';
  if ((group === 'before' || group === 'after') && query.team === undefined) {
    throw invalidParameter('group', `'${group}' needs a team (each team has its own adoption date)`);
  }
  const team = query.team === undefined ? null : await resolveTeam(app.db, query.team, lastDayOf(period.to));
  const stored = await listAiImpactSamples(app.db, { from: period.from, to: period.to, teamId: team?.id });
  const rows = team ? stored : uniqueChanges(stored);
  const adoptedAt = team
    ? teamAdoptionDate(
        team.slug,
        rows,
        { from: period.from, to: period.to, granularity: 'month' },
        app.strideConfig.ai,
      ).adoptedAt
    : null;
  const listed = inAiGroup(rows, group, adoptedAt)
    .filter((r) => query.band === undefined || prSizeBand(r.size) === query.band)
    .reverse();
  const page = csv ? 1 : (query.page ?? 1);
  const pageSize = csv ? CSV_ROW_LIMIT : (query.pageSize ?? 50);
  const items = listed.slice((page - 1) * pageSize, page * pageSize).map((r) => ({
    id: r.id,
    team: r.team,
    repository: r.repository,
    number: r.number,
    title: r.title,
    url: httpUrlOrNull(r.url),
    mergedAt: r.mergedAt.toISOString(),
    aiClass: r.aiClass,
    evidence: Array.isArray(r.aiEvidence)
      ? (r.aiEvidence as { rule: string; tool: string; detail: string; sha: string | null }[])
      : [],
    codingSeconds: r.codingSeconds,
    pickupSeconds: r.pickupSeconds,
    reviewSeconds: r.reviewSeconds,
    deploySeconds: r.deploySeconds,
    size: r.size,
    changesRequested: r.changesRequested,
    reverted: r.reverted,
    failedDeployment: r.failedDeployment,
  }));
  return { items, total: listed.length, page, pageSize };
}

/** `GET /api/ai-impact`, `/api/teams/:team/ai-impact`, `/api/ai-impact/changes` (each + `.csv`). */
export const aiImpactRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/ai-impact', 'GET'),
    handler: (req) => computeAiImpact(app, undefined, req.query),
  });
  app.route({
    ...endpoint('/api/ai-impact.csv', 'GET'),
    handler: async (req, reply) =>
      sendCsv(
        reply,
        'ai-impact.csv',
        AI_IMPACT_CSV_COLUMNS,
        aiImpactCsvRows(await computeAiImpact(app, undefined, req.query)),
      ),
  });
  app.route({
    ...endpoint('/api/teams/:team/ai-impact', 'GET'),
    handler: (req) => computeAiImpact(app, req.params.team, req.query),
  });
  app.route({
    ...endpoint('/api/teams/:team/ai-impact.csv', 'GET'),
    handler: async (req, reply) =>
      sendCsv(
        reply,
        `${req.params.team}-ai-impact.csv`,
        AI_IMPACT_CSV_COLUMNS,
        aiImpactCsvRows(await computeAiImpact(app, req.params.team, req.query)),
      ),
  });
  app.route({
    ...endpoint('/api/ai-impact/changes', 'GET'),
    handler: (req) => listAiChanges(app, req.query, false),
  });
  app.route({
    ...endpoint('/api/ai-impact/changes.csv', 'GET'),
    handler: async (req, reply) => {
      const { items } = await listAiChanges(app, req.query, true);
      return sendCsv(
        reply,
        `ai-impact-changes-${req.query.team ?? 'org'}-${req.query.group ?? 'ai'}.csv`,
        [
          'team',
          'repository',
          'number',
          'title',
          'url',
          'merged_at',
          'ai_class',
          'evidence',
          'coding_seconds',
          'pickup_seconds',
          'review_seconds',
          'deploy_seconds',
          'size',
          'changes_requested',
          'reverted',
          'failed_deployment',
        ],
        items.map((c) => [
          c.team,
          c.repository,
          c.number,
          c.title,
          c.url,
          c.mergedAt,
          c.aiClass,
          c.evidence.map((e) => `${e.tool}: ${e.detail}`).join(' | '),
          c.codingSeconds,
          c.pickupSeconds,
          c.reviewSeconds,
          c.deploySeconds,
          c.size,
          c.changesRequested,
          c.reverted,
          c.failedDeployment,
        ]),
      );
    },
  });
};
