import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** Query options of the goals of a team or the org (shared by the hook and the first page's prefetch). */
export const goalsQuery = (team: string | undefined, period: { from: string; to: string }) => {
  const query = { from: period.from, to: period.to };
  return {
    queryKey: ['goals', team ?? null, query] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      team === undefined
        ? apiGet('/api/org/goals', { query }, signal)
        : apiGet('/api/teams/:team/goals', { params: { team }, query }, signal),
  };
};

/** `GET /api/teams/:team/goals` (a team) or `GET /api/org/goals` (no team): goals and their status in the period. */
export function useGoals(team: string | undefined, period: { from: string; to: string }, enabled = true) {
  return useQuery({ ...goalsQuery(team, period), enabled });
}
