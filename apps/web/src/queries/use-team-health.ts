import type { Granularity } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../lib/api-client.ts';

/** Every parameter of the team-health request: each changes the answer (granularity: the throughput series). */
export interface TeamHealthQuery {
  from: string;
  to: string;
  granularity: Granularity;
}

/**
 * Query key, request and URL of `GET /api/teams/:team/health`, built from the same parameters
 * so the cache never serves one filter's answer for another.
 */
export function teamHealthRequest(team: string, query: TeamHealthQuery) {
  const params = { from: query.from, to: query.to, granularity: query.granularity };
  const request = { params: { team }, query: params };
  return {
    queryKey: ['team-health', team, params] as const,
    request,
    url: apiUrl('/api/teams/:team/health', request),
  };
}

/** `GET /api/teams/:team/health`: cycle-time phases, PR size, WIP, review load, team size... */
export function useTeamHealth(team: string | undefined, query: TeamHealthQuery) {
  const { queryKey, request } = teamHealthRequest(team ?? '', query);
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => apiGet('/api/teams/:team/health', request, signal),
    enabled: Boolean(team),
  });
}
