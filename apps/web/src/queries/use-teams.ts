import type { TeamList } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/teams`: the configured teams. */
export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: ({ signal }) => getJson<TeamList>(apiUrl('/teams'), signal),
    staleTime: 5 * 60_000,
  });
}
