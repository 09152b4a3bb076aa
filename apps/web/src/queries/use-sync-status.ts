import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/sync-status`: last sync per source, errors, and whether the data is the demo org. */
export function useSyncStatus() {
  return useQuery({
    queryKey: ['sync-status'],
    queryFn: ({ signal }) => apiGet('/api/sync-status', undefined, signal),
    refetchInterval: 60_000,
  });
}
