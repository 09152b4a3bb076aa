import type { GoalDirection, GoalMetric, GoalStatistic } from '@stride/metrics';
import type { Db } from '../connection.ts';

/** The fields of a goal an admin writes: `target` in the figure's unit (seconds, ratio 0..1, lines, per week, count). */
export interface GoalInput {
  /** null = an org goal. */
  teamSlug: string | null;
  metric: GoalMetric;
  statistic: GoalStatistic;
  target: number;
  direction: GoalDirection;
  startDate: string | null;
}

/** A stored goal. */
export interface GoalRow extends GoalInput {
  id: string;
  origin: 'config' | 'api';
  createdAt: Date;
  updatedAt: Date;
}

const columns = [
  'id',
  'team_slug',
  'metric',
  'statistic',
  'target',
  'direction',
  'start_date',
  'origin',
  'created_at',
  'updated_at',
] as const;

function toGoalRow(r: {
  id: string;
  team_slug: string | null;
  metric: string;
  statistic: string;
  target: number;
  direction: string;
  start_date: string | null;
  origin: 'config' | 'api';
  created_at: Date;
  updated_at: Date;
}): GoalRow {
  return {
    id: r.id,
    teamSlug: r.team_slug,
    metric: r.metric as GoalMetric,
    statistic: r.statistic as GoalStatistic,
    target: r.target,
    direction: r.direction as GoalDirection,
    startDate: r.start_date,
    origin: r.origin,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Goals, ordered by team (org first), metric and id. @param scope `{ teamSlug }` a team's goals,
 * `{ teamSlug: null }` the org's, omitted every goal.
 */
export async function listGoals(db: Db, scope?: { teamSlug: string | null }): Promise<GoalRow[]> {
  let query = db.selectFrom('goals').select(columns);
  if (scope) {
    query =
      scope.teamSlug === null
        ? query.where('team_slug', 'is', null)
        : query.where('team_slug', '=', scope.teamSlug);
  }
  const rows = await query.orderBy('team_slug', 'asc').orderBy('metric').orderBy('id').execute();
  return rows.map(toGoalRow);
}

/** Stores an admin's goal (origin `api`). @returns the stored goal */
export async function createGoal(db: Db, goal: GoalInput): Promise<GoalRow> {
  const row = await db
    .insertInto('goals')
    .values({
      team_slug: goal.teamSlug,
      metric: goal.metric,
      statistic: goal.statistic,
      target: goal.target,
      direction: goal.direction,
      start_date: goal.startDate,
      origin: 'api',
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toGoalRow(row);
}

/**
 * Replaces an admin's goal. Config goals are the config file's: they are not changed here.
 * @returns the goal, or undefined when no api goal has this id
 */
export async function updateGoal(db: Db, id: string, goal: GoalInput): Promise<GoalRow | undefined> {
  const row = await db
    .updateTable('goals')
    .set({
      team_slug: goal.teamSlug,
      metric: goal.metric,
      statistic: goal.statistic,
      target: goal.target,
      direction: goal.direction,
      start_date: goal.startDate,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('origin', '=', 'api')
    .returning(columns)
    .executeTakeFirst();
  return row && toGoalRow(row);
}

/** Deletes an admin's goal. @returns whether an api goal with this id existed */
export async function deleteGoal(db: Db, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('goals')
    .where('id', '=', id)
    .where('origin', '=', 'api')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Makes the config goals in the table match `goals` (each with a stable `configKey`): new ones are
 * added, changed ones updated (their `created_at` kept), removed ones deleted. Admin goals stay.
 */
export async function syncGoalsFromConfig(
  db: Db,
  goals: readonly (GoalInput & { configKey: string })[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const keys = goals.map((g) => g.configKey);
    let stale = trx.deleteFrom('goals').where('origin', '=', 'config');
    if (keys.length > 0) stale = stale.where('config_key', 'not in', keys);
    await stale.execute();
    for (const goal of goals) {
      const values = {
        team_slug: goal.teamSlug,
        metric: goal.metric,
        statistic: goal.statistic,
        target: goal.target,
        direction: goal.direction,
        start_date: goal.startDate,
      };
      await trx
        .insertInto('goals')
        .values({ ...values, origin: 'config', config_key: goal.configKey })
        .onConflict((oc) => oc.column('config_key').doUpdateSet({ ...values, updated_at: new Date() }))
        .execute();
    }
  });
}
