import type { DoraSummary } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/repositories/:repo/dora` (repo = owner/name): the DORA metrics of one repository. */
export function useRepositoryDora(repository: string | undefined, query: Record<string, string>) {
  return useQuery({
    queryKey: ['repository-dora', repository, query],
    queryFn: ({ signal }) =>
      getJson<DoraSummary>(
        apiUrl(`/repositories/${encodeURIComponent(repository ?? '')}/dora`, query),
        signal,
      ),
    enabled: Boolean(repository),
  });
}
