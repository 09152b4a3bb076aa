import type { AiImpactQuery } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../lib/api-client.ts';

/** Query key, request and URLs (JSON and CSV) of `GET /api/ai-impact`, from the same parameters. */
export function aiImpactRequest(query: AiImpactQuery) {
  const params = { from: query.from, to: query.to, granularity: query.granularity };
  return {
    queryKey: ['ai-impact', params] as const,
    request: { query: params },
    csvUrl: apiUrl('/api/ai-impact.csv', { query: params }),
  };
}

/** `GET /api/ai-impact`: adoption, AI-assisted vs other changes, and every team with its before/after. */
export function useAiImpact(query: AiImpactQuery) {
  const { queryKey, request } = aiImpactRequest(query);
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => apiGet('/api/ai-impact', request, signal),
  });
}
