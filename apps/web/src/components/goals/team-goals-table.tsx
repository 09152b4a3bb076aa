import { describeGoal } from '@stride/metrics';
import type { GoalWithStatus } from '@stride/shared';
import { Link } from 'react-router-dom';
import { useTeamsGoals } from '../../queries/use-teams-goals.ts';
import { QueryState } from '../metrics/query-state.tsx';
import { formatGoalValue, GoalStatusBadge } from './goal-status-list.tsx';

/** How many of `goals` have each judgement that counts (met, at risk, missed). */
export function countGoalStatuses(goals: readonly GoalWithStatus[]) {
  return {
    met: goals.filter((g) => g.status === 'met').length,
    atRisk: goals.filter((g) => g.status === 'at_risk').length,
    missed: goals.filter((g) => g.status === 'missed').length,
  };
}

/**
 * The overview's team-goals table: one row per team with goals (in the order of `GET
 * /api/teams`), linking to the team page with the same filters (`search`), with how many of its
 * goals are met, at risk and missed in `period`, and each goal with its status, value and n;
 * teams without goals are named under the table. One request: `GET /api/teams/goals`.
 */
export function TeamGoalsTable({ period, search }: { period: { from: string; to: string }; search: string }) {
  const goals = useTeamsGoals(period);
  return (
    <section aria-labelledby="team-goals-heading" className="team-goals">
      <h2 id="team-goals-heading">Team goals</h2>
      <QueryState query={goals}>
        {(data) => {
          const withGoals = data.teams.filter((t) => t.goals.length > 0);
          const without = data.teams.filter((t) => t.goals.length === 0);
          if (withGoals.length === 0)
            return (
              <p className="muted" data-testid="team-goals-empty">
                No team has a goal yet: set them in stride.config.yaml (<code>teams[].goals</code>) or as an
                admin under Goals and events.
              </p>
            );
          return (
            <>
              <div className="table-scroll">
                <table className="team-goals-table" data-testid="team-goals">
                  <thead>
                    <tr>
                      <th scope="col">Team</th>
                      <th scope="col">Met</th>
                      <th scope="col">At risk</th>
                      <th scope="col">Missed</th>
                      <th scope="col">Goals: status, value in the period, n</th>
                    </tr>
                  </thead>
                  <tbody>
                    {withGoals.map(({ team, goals: teamGoals }) => {
                      const counts = countGoalStatuses(teamGoals);
                      return (
                        <tr key={team.slug} data-team={team.slug}>
                          <th scope="row">
                            <Link to={`/teams/${encodeURIComponent(team.slug)}?${search}`}>{team.name}</Link>
                          </th>
                          <td data-count="met">{counts.met}</td>
                          <td data-count="at_risk">{counts.atRisk}</td>
                          <td data-count="missed">{counts.missed}</td>
                          <td>
                            <ul className="team-goal-items">
                              {teamGoals.map((g) => (
                                <li key={g.goal.id} data-metric={g.goal.metric} data-status={g.status}>
                                  <GoalStatusBadge status={g.status} /> {describeGoal(g.goal)}:{' '}
                                  {formatGoalValue(g.goal, g.value)}{' '}
                                  <span className="muted" data-testid="goal-n">
                                    n = {g.n}
                                  </span>
                                </li>
                              ))}
                            </ul>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              {without.length > 0 && (
                <p className="muted" data-testid="teams-without-goals">
                  No goals: {without.map((t) => t.team.name).join(', ')}
                </p>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
