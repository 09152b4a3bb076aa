import type { MetricsQuery } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/org/dora`: the five DORA metrics of the whole organisation. */
export function useOrgDora(query: MetricsQuery) {
  return useQuery({
    queryKey: ['org-dora', query],
    queryFn: ({ signal }) => apiGet('/api/org/dora', { query }, signal),
  });
}
