import type { IncidentItem, Page } from '@stride/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/incidents`: the drill-down list (team, repository, from, to, page, pageSize, sort, order + filters). */
export function useIncidents(query: Record<string, string>, enabled = true) {
  return useQuery({
    queryKey: ['incidents', query],
    queryFn: ({ signal }) => getJson<Page<IncidentItem>>(apiUrl('/incidents', query), signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** URL of the CSV variant, `GET /api/incidents.csv` (all rows matching the filters). */
export function incidentsCsvUrl(query: Record<string, string>): string {
  const { page: _page, pageSize: _pageSize, ...rest } = query;
  return apiUrl('/incidents.csv', rest);
}
