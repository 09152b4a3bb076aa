import type { MetricsQuery } from '@stride/shared';
import { useQueries, useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/repositories/:repo/dora` (repo = owner/name): the DORA metrics of one repository. */
export function useRepositoryDora(repository: string | undefined, query: MetricsQuery) {
  return useQuery({
    queryKey: ['repository-dora', repository, query],
    queryFn: ({ signal }) =>
      apiGet('/api/repositories/:repo/dora', { params: { repo: repository ?? '' }, query }, signal),
    enabled: Boolean(repository),
  });
}

/** `GET /api/repositories/:repo/dora` for several repositories at once (team page breakdown). */
export function useRepositoriesDora(repositories: readonly string[], query: MetricsQuery) {
  return useQueries({
    queries: repositories.map((repository) => ({
      queryKey: ['repository-dora', repository, query],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiGet('/api/repositories/:repo/dora', { params: { repo: repository }, query }, signal),
    })),
  });
}
