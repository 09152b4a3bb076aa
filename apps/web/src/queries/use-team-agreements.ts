import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/teams/:team/agreements`: the team's working agreements checked on its PRs of the period. */
export function useTeamAgreements(team: string, period: { from: string; to: string }) {
  const query = { from: period.from, to: period.to };
  return useQuery({
    queryKey: ['team-agreements', team, query],
    queryFn: ({ signal }) => apiGet('/api/teams/:team/agreements', { params: { team }, query }, signal),
  });
}
