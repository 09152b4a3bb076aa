import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/health`: API and database status. */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => apiGet('/api/health', undefined, signal),
    refetchInterval: 60_000,
  });
}
