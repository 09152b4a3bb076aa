import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** Query options of `GET /api/teams/goals` for a period (ISO `from`, exclusive `to`). */
export const teamsGoalsQuery = (period: { from: string; to: string }) => {
  const query = { from: period.from, to: period.to };
  return {
    queryKey: ['teams-goals', query] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/teams/goals', { query }, signal),
  };
};

/**
 * `GET /api/teams/goals`: every team's goals and their status in the period (met, at risk,
 * missed, no data, not started, each with n) in one request: the overview's team-goals table and
 * the board pack's goals pages.
 */
export function useTeamsGoals(period: { from: string; to: string }, enabled = true) {
  return useQuery({ ...teamsGoalsQuery(period), enabled });
}
