import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/teams`: the configured teams. */
export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: ({ signal }) => apiGet('/api/teams', undefined, signal),
    staleTime: 5 * 60_000,
  });
}
