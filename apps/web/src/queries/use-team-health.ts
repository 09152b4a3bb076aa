import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/teams/:team/health`: cycle-time phases, PR size, WIP, review load, team size... */
export function useTeamHealth(team: string | undefined, period: { from: string; to: string }) {
  return useQuery({
    queryKey: ['team-health', team, period.from, period.to],
    queryFn: ({ signal }) =>
      apiGet(
        '/api/teams/:team/health',
        { params: { team: team ?? '' }, query: { from: period.from, to: period.to } },
        signal,
      ),
    enabled: Boolean(team),
  });
}
