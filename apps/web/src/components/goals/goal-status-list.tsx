import { describeGoal } from '@stride/metrics';
import type { Goal, GoalWithStatus } from '@stride/shared';
import { formatNumber, formatValue } from '../../lib/format.ts';
import { useGoals } from '../../queries/use-goals.ts';
import { QueryState } from '../metrics/query-state.tsx';

const statusText: Record<GoalWithStatus['status'], string> = {
  met: 'Met',
  at_risk: 'At risk',
  missed: 'Missed',
  no_data: 'No data',
  not_started: 'Not started',
};

/** A goal's figure in its unit: durations and rates as everywhere, other figures as numbers. */
export function formatGoalValue(goal: Goal, value: number | null): string {
  if (goal.unit === 'seconds' || goal.unit === 'ratio') return formatValue(goal.unit, value);
  const text = formatNumber(value, 1);
  if (value === null) return text;
  return goal.unit === 'per_week' ? `${text}/week` : goal.unit === 'lines' ? `${text} lines` : text;
}

/** One status badge: met / at risk (heading the wrong way) / missed / no data / not started. */
export function GoalStatusBadge({ status }: { status: GoalWithStatus['status'] }) {
  return (
    <span className={`goal-status goal-status-${status}`} data-status={status}>
      {statusText[status]}
    </span>
  );
}

/**
 * The goals of a team (or the org without `team`) with their status in `period`, each with its
 * value, the previous period's value and n. Shows nothing when the scope has no goal.
 */
export function GoalStatusList({
  team,
  period,
  title = 'Goals',
  compact = false,
}: {
  team?: string;
  period: { from: string; to: string };
  title?: string;
  /** Fewer columns (overview, board pack). */
  compact?: boolean;
}) {
  const goals = useGoals(team, period);
  return (
    <QueryState query={goals}>
      {(data) =>
        data.goals.length === 0 ? null : (
          <section className="goal-status-list" aria-label={title} data-testid="goal-status">
            <h3>{title}</h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">Goal</th>
                  <th scope="col">Status</th>
                  <th scope="col">Now</th>
                  {!compact && <th scope="col">Before</th>}
                  <th scope="col">n</th>
                </tr>
              </thead>
              <tbody>
                {data.goals.map((g) => (
                  <tr key={g.goal.id} data-metric={g.goal.metric}>
                    <td>
                      {describeGoal(g.goal)}
                      {g.goal.startDate && <span className="muted"> from {g.goal.startDate}</span>}
                    </td>
                    <td>
                      <GoalStatusBadge status={g.status} />
                      {g.status === 'at_risk' && <span className="muted"> heading the wrong way</span>}
                    </td>
                    <td>{formatGoalValue(g.goal, g.value)}</td>
                    {!compact && <td>{formatGoalValue(g.goal, g.previous)}</td>}
                    <td>{formatNumber(g.n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )
      }
    </QueryState>
  );
}
