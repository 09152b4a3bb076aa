import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createGoal,
  deleteGoal,
  type GoalInput,
  type GoalRow,
  listGoals,
  listTeams,
  updateGoal,
} from '@stride/db';
import { checkGoal, evaluateGoal, GOAL_METRICS, parseGoalTarget } from '@stride/metrics';
import {
  type DoraSummary,
  type Goal,
  type GoalBody,
  type GoalStatusList,
  type GoalWithStatus,
  invalidParameter,
  notFound,
  type TeamGoalStatuses,
  type TeamHealth,
  type TeamsGoalStatus,
} from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { endpoint } from '../../lib/endpoint.ts';
import { resolvePeriod } from '../../lib/metrics-query.ts';
import { lastDayOf } from '../../lib/scope.ts';
import { computeDoraSummary, computeTeamsDora } from '../dora/index.ts';
import { computeTeamHealth } from '../teams/index.ts';
import { readGoalFigure } from './goal-figures.ts';

/** A stored goal as the API serves it (with the figure's label and unit). */
export function toGoal(row: GoalRow): Goal {
  const spec = GOAL_METRICS[row.metric];
  return {
    id: row.id,
    team: row.teamSlug,
    metric: row.metric,
    label: spec.label,
    unit: spec.unit,
    statistic: row.statistic,
    target: row.target,
    direction: row.direction,
    startDate: row.startDate,
    origin: row.origin,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Goals judged on the figures of a period and of the previous period of equal length
 * (docs/metrics.md, "Goals"): DORA figures from the summaries, team signals from the team
 * health answers (null for the org, whose goals take DORA figures only).
 */
function judgeGoals(
  goals: readonly GoalRow[],
  figures: {
    dora: DoraSummary['metrics'];
    /** null when the scope has no figures in the previous period (a team that did not exist). */
    previousDora: DoraSummary['metrics'] | null;
    health: TeamHealth | null;
    previousHealth: TeamHealth | null;
  },
  lastDay: string,
): GoalWithStatus[] {
  return goals.map((goal) => {
    const now = readGoalFigure(goal.metric, goal.statistic, figures.dora, figures.health) ?? {
      value: null,
      n: 0,
    };
    const before =
      figures.previousDora === null
        ? null
        : readGoalFigure(goal.metric, goal.statistic, figures.previousDora, figures.previousHealth);
    const evaluation = evaluateGoal(goal, { ...now, previous: before?.value ?? null }, lastDay);
    return { goal: toGoal(goal), ...evaluation };
  });
}

/**
 * The goals of the org (`team` undefined) or of a team and their status in the period `[from,
 * to)` against the previous period of equal length (docs/metrics.md, "Goals"): the figures come
 * from the same DORA summary and team health the dashboard shows.
 * @throws StrideError invalid_parameter (period), not_found (team)
 */
export async function computeGoalStatuses(
  app: FastifyInstance,
  team: string | undefined,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<GoalStatusList> {
  const period = resolvePeriod(query, new Date());
  const target = team === undefined ? ({ type: 'org' } as const) : ({ type: 'team', slug: team } as const);
  const current = { from: period.from.toISOString(), to: period.to.toISOString() };
  const previous = { from: period.previous.from.toISOString(), to: period.previous.to.toISOString() };
  // The team must exist even when it has no goal (a 404 names it).
  const [dora, previousDora] = await Promise.all([
    computeDoraSummary(app, target, { ...current, granularity: 'month' }),
    computeDoraSummary(app, target, { ...previous, granularity: 'month' }),
  ]);
  const goals = await listGoals(app.db, { teamSlug: team ?? null });
  const needsHealth = team !== undefined && goals.some((g) => !GOAL_METRICS[g.metric].org);
  let health: TeamHealth | null = null;
  let previousHealth: TeamHealth | null = null;
  if (needsHealth) {
    [health, previousHealth] = await Promise.all([
      computeTeamHealth(app, team, { ...current, granularity: 'month' }),
      computeTeamHealth(app, team, { ...previous, granularity: 'month' }),
    ]);
  }
  return {
    period: current,
    previousPeriod: previous,
    goals: judgeGoals(
      goals,
      { dora: dora.metrics, previousDora: previousDora.metrics, health, previousHealth },
      lastDayOf(period.to),
    ),
  };
}

/** Teams whose health is computed at the same time by `computeTeamsGoalStatuses`. */
const HEALTH_CONCURRENCY = 4;

/**
 * Every team's goals and their status in the period `[from, to)` (`GET /api/teams/goals`), each
 * equal to `computeGoalStatuses` for that team: the DORA figures of all teams from the batched
 * `computeTeamsDora` (period and previous period), the team health (period and previous) only
 * for the teams with a goal on a team signal, HEALTH_CONCURRENCY teams at a time. Teams are
 * ordered as `GET /api/teams`; a team without goals has an empty list.
 * @throws StrideError invalid_parameter (period)
 */
export async function computeTeamsGoalStatuses(
  app: FastifyInstance,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<TeamsGoalStatus> {
  const period = resolvePeriod(query, new Date());
  const current = { from: period.from.toISOString(), to: period.to.toISOString() };
  const previous = { from: period.previous.from.toISOString(), to: period.previous.to.toISOString() };
  const [dora, previousDora, goals] = await Promise.all([
    computeTeamsDora(app, { ...current, granularity: 'month' }),
    computeTeamsDora(app, { ...previous, granularity: 'month' }),
    listGoals(app.db),
  ]);
  const goalsOf = new Map<string, GoalRow[]>();
  for (const goal of goals) {
    if (goal.teamSlug === null) continue;
    goalsOf.set(goal.teamSlug, [...(goalsOf.get(goal.teamSlug) ?? []), goal]);
  }
  const previousOf = new Map(previousDora.teams.map((t) => [t.scope.id, t]));
  const lastDay = lastDayOf(period.to);
  const teams = dora.teams.map((summary) => ({
    summary,
    previous: previousOf.get(summary.scope.id),
    goals: goalsOf.get(summary.scope.id) ?? [],
  }));
  const results: TeamGoalStatuses[] = new Array(teams.length);
  let next = 0;
  const work = async () => {
    while (next < teams.length) {
      const i = next++;
      const { summary, previous: previousSummary, goals: teamGoals } = teams[i]!;
      const slug = summary.scope.id;
      let health: TeamHealth | null = null;
      let previousHealth: TeamHealth | null = null;
      if (teamGoals.some((g) => !GOAL_METRICS[g.metric].org)) {
        [health, previousHealth] = await Promise.all([
          computeTeamHealth(app, slug, { ...current, granularity: 'month' }),
          computeTeamHealth(app, slug, { ...previous, granularity: 'month' }),
        ]);
      }
      results[i] = {
        team: { slug, name: summary.scope.name },
        goals: judgeGoals(
          teamGoals,
          {
            dora: summary.metrics,
            // A team of the period that did not exist before has no figures there.
            previousDora: previousSummary?.metrics ?? null,
            health,
            previousHealth,
          },
          lastDay,
        ),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(HEALTH_CONCURRENCY, teams.length) }, work));
  return { period: current, previousPeriod: previous, teams: results };
}

/**
 * An admin's goal body checked and read (docs/metrics.md, "Goals"): the statistic the metric
 * allows, a team that exists, a readable target.
 * @throws StrideError invalid_parameter naming the field
 */
async function readGoalBody(app: FastifyInstance, body: GoalBody): Promise<GoalInput> {
  const teamSlug = body.team ?? null;
  const problem = checkGoal({ ...body, scope: teamSlug === null ? 'org' : 'team' });
  if (problem) throw invalidParameter(problem.field, problem.message);
  if (teamSlug !== null) {
    const [known] = await listTeams(app.db, new Date().toISOString().slice(0, 10), teamSlug);
    if (!known) throw invalidParameter('team', `unknown team '${teamSlug}'`);
  }
  const target = parseGoalTarget(body.metric, body.target);
  if (typeof target !== 'number') throw invalidParameter('target', target.error);
  return {
    teamSlug,
    metric: body.metric,
    statistic: body.statistic,
    target,
    direction: body.direction,
    startDate: body.startDate ?? null,
  };
}

/**
 * `GET /api/org/goals`, `GET /api/teams/goals` (every team), `GET /api/teams/:team/goals` (status
 * per period, viewer) and the admin's
 * `GET|POST /api/admin/goals`, `PUT|DELETE /api/admin/goals/:id`.
 */
export const goalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/org/goals', 'GET'),
    handler: (req) => computeGoalStatuses(app, undefined, req.query),
  });
  app.route({
    ...endpoint('/api/teams/goals', 'GET'),
    handler: (req) => computeTeamsGoalStatuses(app, req.query),
  });
  app.route({
    ...endpoint('/api/teams/:team/goals', 'GET'),
    handler: (req) => computeGoalStatuses(app, req.params.team, req.query),
  });
  app.route({
    ...endpoint('/api/admin/goals', 'GET'),
    handler: async () => ({ goals: (await listGoals(app.db)).map(toGoal) }),
  });
  app.route({
    ...endpoint('/api/admin/goals', 'POST'),
    handler: async (req, reply) => {
      const goal = await createGoal(app.db, await readGoalBody(app, req.body as GoalBody));
      return reply.status(201).send(toGoal(goal));
    },
  });
  app.route({
    ...endpoint('/api/admin/goals/:id', 'PUT'),
    handler: async (req) => {
      const goal = await updateGoal(app.db, req.params.id, await readGoalBody(app, req.body as GoalBody));
      if (!goal) throw notFound('admin goal', req.params.id);
      return toGoal(goal);
    },
  });
  app.route({
    ...endpoint('/api/admin/goals/:id', 'DELETE'),
    handler: async (req, reply) => {
      if (!(await deleteGoal(app.db, req.params.id))) throw notFound('admin goal', req.params.id);
      return reply.status(204).send(null);
    },
  });
};
