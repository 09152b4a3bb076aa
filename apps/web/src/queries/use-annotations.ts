import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/annotations`: the events of a team (with the org-wide ones) or of the org in the period. */
export function useAnnotations(
  team: string | undefined,
  period: { from: string; to: string },
  enabled = true,
) {
  const query = { from: period.from, to: period.to, ...(team === undefined ? {} : { team }) };
  return useQuery({
    queryKey: ['annotations', query],
    queryFn: ({ signal }) => apiGet('/api/annotations', { query }, signal),
    enabled,
  });
}
