import type { AiImpactChangesQuery } from '@stride/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../lib/api-client.ts';

/** `GET /api/ai-impact/changes`: the changes behind an AI-impact figure, with their evidence. */
export function useAiImpactChanges(query: AiImpactChangesQuery, enabled = true) {
  return useQuery({
    queryKey: ['ai-impact-changes', query],
    queryFn: ({ signal }) => apiGet('/api/ai-impact/changes', { query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** URL of the CSV variant, `GET /api/ai-impact/changes.csv` (every row of the group). */
export function aiImpactChangesCsvUrl(query: AiImpactChangesQuery): string {
  const { page: _page, pageSize: _pageSize, ...rest } = query;
  return apiUrl('/api/ai-impact/changes.csv', { query: rest });
}
