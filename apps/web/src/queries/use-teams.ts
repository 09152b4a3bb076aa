import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** Query options of `GET /api/teams` (shared by the hook and the first page's prefetch). */
export const teamsQuery = () => ({
  queryKey: ['teams'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/teams', undefined, signal),
  staleTime: 5 * 60_000,
});

/** `GET /api/teams`: the configured teams. */
export function useTeams() {
  return useQuery(teamsQuery());
}
