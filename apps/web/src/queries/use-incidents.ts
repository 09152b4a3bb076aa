import type { IncidentListQuery } from '@stride/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../lib/api-client.ts';

/** `GET /api/incidents`: the drill-down list (team, repository, from, to, page, pageSize, sort, order + filters). */
export function useIncidents(query: IncidentListQuery, enabled = true) {
  return useQuery({
    queryKey: ['incidents', query],
    queryFn: ({ signal }) => apiGet('/api/incidents', { query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** URL of the CSV variant, `GET /api/incidents.csv` (all rows matching the filters). */
export function incidentsCsvUrl(query: IncidentListQuery): string {
  const { page: _page, pageSize: _pageSize, ...rest } = query;
  return apiUrl('/api/incidents.csv', { query: rest });
}
