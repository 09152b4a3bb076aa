import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/teams/:team/goals` (a team) or `GET /api/org/goals` (no team): goals and their status in the period. */
export function useGoals(team: string | undefined, period: { from: string; to: string }, enabled = true) {
  const query = { from: period.from, to: period.to };
  return useQuery({
    queryKey: ['goals', team ?? null, query],
    queryFn: ({ signal }) =>
      team === undefined
        ? apiGet('/api/org/goals', { query }, signal)
        : apiGet('/api/teams/:team/goals', { params: { team }, query }, signal),
    enabled,
  });
}
