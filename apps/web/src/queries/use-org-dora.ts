import type { DoraSummary } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/org/dora`: the five DORA metrics of the whole organisation. */
export function useOrgDora(query: Record<string, string>) {
  return useQuery({
    queryKey: ['org-dora', query],
    queryFn: ({ signal }) => getJson<DoraSummary>(apiUrl('/org/dora', query), signal),
  });
}
