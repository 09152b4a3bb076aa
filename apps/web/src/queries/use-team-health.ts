import type { TeamHealth } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/teams/:team/health`: cycle-time phases, PR size, WIP, review load, team size... */
export function useTeamHealth(team: string | undefined, period: { from: string; to: string }) {
  return useQuery({
    queryKey: ['team-health', team, period.from, period.to],
    queryFn: ({ signal }) =>
      getJson<TeamHealth>(
        apiUrl(`/teams/${encodeURIComponent(team ?? '')}/health`, { from: period.from, to: period.to }),
        signal,
      ),
    enabled: Boolean(team),
  });
}
