import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/teams/:team/digest`: the team's next pre-retro digest as it would be sent. */
export function useDigestPreview(team: string, enabled: boolean) {
  return useQuery({
    queryKey: ['digest-preview', team],
    queryFn: ({ signal }) => apiGet('/api/teams/:team/digest', { params: { team }, query: {} }, signal),
    enabled,
  });
}
