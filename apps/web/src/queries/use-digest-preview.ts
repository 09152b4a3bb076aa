import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/**
 * `GET /api/teams/:team/digest` (a team's next pre-retro digest) or, without `team`,
 * `GET /api/org/digest` (the weekly org digest), as it would be sent.
 */
export function useDigestPreview(team: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['digest-preview', team ?? null],
    queryFn: ({ signal }) =>
      team === undefined
        ? apiGet('/api/org/digest', { query: {} }, signal)
        : apiGet('/api/teams/:team/digest', { params: { team }, query: {} }, signal),
    enabled,
  });
}
