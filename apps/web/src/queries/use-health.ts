import type { Health } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/health`: API and database status. */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => getJson<Health>(apiUrl('/health'), signal),
    refetchInterval: 60_000,
  });
}
