import type { DoraSummary, MetricsQuery } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
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

/** Query options of `GET /api/teams/dora` (shared by the hook and the first page's prefetch). */
export const teamsDoraQuery = (query: MetricsQuery) => ({
  queryKey: ['teams-dora', query] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/teams/dora', { query }, signal),
});

/** What a page reads of one team's DORA answer (the shape of a query result). */
export interface TeamDoraResult {
  data: DoraSummary | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/**
 * `GET /api/teams/dora`: every team's DORA summary in one request (org overview, board pack),
 * handed out per team in the order of `teams`. A team the answer lacks (configured after the
 * request) reads as an error of its own row only.
 */
export function useTeamsDora(teams: readonly string[], query: MetricsQuery): TeamDoraResult[] {
  const all = useQuery(teamsDoraQuery(query));
  return useMemo(() => {
    const bySlug = new Map((all.data?.teams ?? []).map((t) => [t.scope.id, t]));
    return teams.map((slug) => {
      const data = bySlug.get(slug);
      const missing = all.data !== undefined && data === undefined;
      return {
        data,
        error: all.error ?? (missing ? new Error(`No DORA figures for team ${slug}`) : null),
        isPending: all.isPending,
        refetch: all.refetch,
      };
    });
  }, [teams, all.data, all.error, all.isPending, all.refetch]);
}

/** URL of the CSV variant, `GET /api/teams/:team/dora.csv`. */
export function teamDoraCsvUrl(team: string, query: MetricsQuery): string {
  return apiUrl('/api/teams/:team/dora.csv', { params: { team }, query });
}
