import type { DeploymentItem, Page } from '@stride/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/deployments`: the drill-down list (team, repository, from, to, page, pageSize, sort, order + filters). */
export function useDeployments(query: Record<string, string>, enabled = true) {
  return useQuery({
    queryKey: ['deployments', query],
    queryFn: ({ signal }) => getJson<Page<DeploymentItem>>(apiUrl('/deployments', query), signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** URL of the CSV variant, `GET /api/deployments.csv` (all rows matching the filters). */
export function deploymentsCsvUrl(query: Record<string, string>): string {
  const { page: _page, pageSize: _pageSize, ...rest } = query;
  return apiUrl('/deployments.csv', rest);
}
