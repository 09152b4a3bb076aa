import { type GoalStatistic, parseGoalTarget } from '@stride/metrics';
import type { GoalConfig, StrideConfig } from '@stride/shared/config';
import type { Db } from '../connection.ts';
import { syncAnnotationsFromConfig } from './manage-annotations.ts';
import { type GoalInput, syncGoalsFromConfig } from './manage-goals.ts';

function goalInput(teamSlug: string | null, goal: GoalConfig): GoalInput & { configKey: string } {
  const target = parseGoalTarget(goal.metric, goal.target);
  // The config schema already refused unreadable targets; this only narrows the type.
  if (typeof target !== 'number') throw new Error(`goal target: ${target.error}`);
  return {
    teamSlug,
    metric: goal.metric,
    statistic: goal.statistic as GoalStatistic,
    target,
    direction: goal.direction,
    startDate: goal.startDate ?? null,
    configKey: `${teamSlug ?? 'org'}:${goal.metric}:${goal.statistic}:${goal.direction}`,
  };
}

/**
 * Makes the stored goals and annotations of origin `config` match a validated config (org and
 * team goals, `annotations`); what admins added through the API stays. Runs at boot beside
 * `syncTeamsFromConfig`.
 */
export async function syncPlansFromConfig(
  db: Db,
  config: Pick<StrideConfig, 'goals' | 'annotations' | 'teams'>,
): Promise<void> {
  const goals = [
    ...(config.goals ?? []).map((g) => goalInput(null, g)),
    ...config.teams.flatMap((t) => (t.goals ?? []).map((g) => goalInput(t.slug, g))),
  ];
  // Two goals on the same figure and direction: the later one wins, as in a YAML override.
  const byKey = new Map(goals.map((g) => [g.configKey, g]));
  await syncGoalsFromConfig(db, [...byKey.values()]);
  await syncAnnotationsFromConfig(
    db,
    (config.annotations ?? []).map((a) => ({
      teamSlug: a.team ?? null,
      kind: a.kind,
      title: a.title,
      startsOn: a.date,
      endsOn: a.endDate ?? null,
    })),
  );
}
