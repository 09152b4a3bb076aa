import type { MetricsQuery } from '@stride/shared';
import { useQueries, useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../lib/api-client.ts';

const teamDoraQuery = (team: string, query: MetricsQuery) => ({
  queryKey: ['team-dora', team, query],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiGet('/api/teams/:team/dora', { params: { team }, query }, signal),
});

/** `GET /api/teams/:team/dora`: the five DORA metrics of one team. */
export function useTeamDora(team: string | undefined, query: MetricsQuery) {
  return useQuery({ ...teamDoraQuery(team ?? '', query), enabled: Boolean(team) });
}

/** `GET /api/teams/:team/dora` for several teams at once (org overview, board pack). */
export function useTeamsDora(teams: readonly string[], query: MetricsQuery) {
  return useQueries({ queries: teams.map((team) => teamDoraQuery(team, query)) });
}

/** URL of the CSV variant, `GET /api/teams/:team/dora.csv`. */
export function teamDoraCsvUrl(team: string, query: MetricsQuery): string {
  return apiUrl('/api/teams/:team/dora.csv', { params: { team }, query });
}
