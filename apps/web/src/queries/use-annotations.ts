import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** Query options of `GET /api/annotations` (shared by the hook and the first page's prefetch). */
export const annotationsQuery = (team: string | undefined, period: { from: string; to: string }) => {
  const query = { from: period.from, to: period.to, ...(team === undefined ? {} : { team }) };
  return {
    queryKey: ['annotations', query] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/annotations', { query }, signal),
  };
};

/** `GET /api/annotations`: the events of a team (with the org-wide ones) or of the org in the period. */
export function useAnnotations(
  team: string | undefined,
  period: { from: string; to: string },
  enabled = true,
) {
  return useQuery({ ...annotationsQuery(team, period), enabled });
}
