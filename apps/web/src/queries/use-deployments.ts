import type { DeploymentListQuery } from '@stride/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../lib/api-client.ts';

/** `GET /api/deployments`: the drill-down list (team, repository, from, to, page, pageSize, sort, order + filters). */
export function useDeployments(query: DeploymentListQuery, enabled = true) {
  return useQuery({
    queryKey: ['deployments', query],
    queryFn: ({ signal }) => apiGet('/api/deployments', { query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** URL of the CSV variant, `GET /api/deployments.csv` (all rows matching the filters). */
export function deploymentsCsvUrl(query: DeploymentListQuery): string {
  const { page: _page, pageSize: _pageSize, ...rest } = query;
  return apiUrl('/api/deployments.csv', { query: rest });
}
