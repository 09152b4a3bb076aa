import type { Granularity, TeamHealth } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** Every parameter of the team-health request: each changes the answer (granularity: the throughput series). */
export interface TeamHealthQuery {
  from: string;
  to: string;
  granularity: Granularity;
}

/**
 * Query key and URL of `GET /api/teams/:team/health`, built from the same parameters so the
 * cache never serves one filter's answer for another.
 */
export function teamHealthRequest(team: string, query: TeamHealthQuery) {
  const params = { from: query.from, to: query.to, granularity: query.granularity };
  return {
    queryKey: ['team-health', team, params] as const,
    url: apiUrl(`/teams/${encodeURIComponent(team)}/health`, params),
  };
}

/** `GET /api/teams/:team/health`: cycle-time phases, PR size, WIP, review load, team size... */
export function useTeamHealth(team: string | undefined, query: TeamHealthQuery) {
  const { queryKey, url } = teamHealthRequest(team ?? '', query);
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => getJson<TeamHealth>(url, signal),
    enabled: Boolean(team),
  });
}
