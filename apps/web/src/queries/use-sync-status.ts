import type { SyncStatus } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/sync-status`: last sync per source, errors, and whether the data is the demo org. */
export function useSyncStatus() {
  return useQuery({
    queryKey: ['sync-status'],
    queryFn: ({ signal }) => getJson<SyncStatus>(apiUrl('/sync-status'), signal),
    refetchInterval: 60_000,
  });
}
