import type { MetricsQuery } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** Query options of `GET /api/org/dora` (shared by the hook and the first page's prefetch). */
export const orgDoraQuery = (query: MetricsQuery) => ({
  queryKey: ['org-dora', query] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/org/dora', { query }, signal),
});

/** `GET /api/org/dora`: the five DORA metrics of the whole organisation. */
export function useOrgDora(query: MetricsQuery) {
  return useQuery(orgDoraQuery(query));
}
