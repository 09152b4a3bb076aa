import type { DoraSummary } from '@stride/shared';
import { useQueries, useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

const teamDoraQuery = (team: string, query: Record<string, string>) => ({
  queryKey: ['team-dora', team, query],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    getJson<DoraSummary>(apiUrl(`/teams/${encodeURIComponent(team)}/dora`, query), signal),
});

/** `GET /api/teams/:team/dora`: the five DORA metrics of one team. */
export function useTeamDora(team: string | undefined, query: Record<string, string>) {
  return useQuery({ ...teamDoraQuery(team ?? '', query), enabled: Boolean(team) });
}

/** `GET /api/teams/:team/dora` for several teams at once (org overview, board pack). */
export function useTeamsDora(teams: readonly string[], query: Record<string, string>) {
  return useQueries({ queries: teams.map((team) => teamDoraQuery(team, query)) });
}

/** URL of the CSV variant, `GET /api/teams/:team/dora.csv`. */
export function teamDoraCsvUrl(team: string, query: Record<string, string>): string {
  return apiUrl(`/teams/${encodeURIComponent(team)}/dora.csv`, query);
}
