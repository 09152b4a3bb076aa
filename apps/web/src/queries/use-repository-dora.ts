import type { DoraSummary } from '@stride/shared';
import { useQueries, useQuery } from '@tanstack/react-query';
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

/** `GET /api/repositories/:repo/dora` for several repositories at once (team page breakdown). */
export function useRepositoriesDora(repositories: readonly string[], query: Record<string, string>) {
  return useQueries({
    queries: repositories.map((repository) => ({
      queryKey: ['repository-dora', repository, query],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        getJson<DoraSummary>(apiUrl(`/repositories/${encodeURIComponent(repository)}/dora`, query), signal),
    })),
  });
}
