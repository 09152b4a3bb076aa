import type { ChangeListQuery } from '@stride/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../lib/api-client.ts';

/** `GET /api/changes`: the drill-down list (team, repository, from, to, page, pageSize, sort, order + filters). */
export function useChanges(query: ChangeListQuery, enabled = true) {
  return useQuery({
    queryKey: ['changes', query],
    queryFn: ({ signal }) => apiGet('/api/changes', { query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** URL of the CSV variant, `GET /api/changes.csv` (all rows matching the filters). */
export function changesCsvUrl(query: ChangeListQuery): string {
  const { page: _page, pageSize: _pageSize, ...rest } = query;
  return apiUrl('/api/changes.csv', { query: rest });
}
