import type { ChangeItem, Page } from '@stride/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/changes`: the drill-down list (team, repository, from, to, page, pageSize, sort, order + filters). */
export function useChanges(query: Record<string, string>, enabled = true) {
  return useQuery({
    queryKey: ['changes', query],
    queryFn: ({ signal }) => getJson<Page<ChangeItem>>(apiUrl('/changes', query), signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** URL of the CSV variant, `GET /api/changes.csv` (all rows matching the filters). */
export function changesCsvUrl(query: Record<string, string>): string {
  const { page: _page, pageSize: _pageSize, ...rest } = query;
  return apiUrl('/changes.csv', rest);
}
