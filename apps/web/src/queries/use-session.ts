import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiSend } from '../lib/api-client.ts';

/** Query options of `GET /api/session` (shared by the hook and the first page's prefetch). */
export const sessionQuery = () => ({
  queryKey: ['session'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/session', undefined, signal),
  staleTime: Number.POSITIVE_INFINITY,
  retry: false as const,
});

/** `GET /api/session`: whether reads are open (no viewer/admin token exists) and the caller's role. */
export function useSession() {
  return useQuery(sessionQuery());
}

/**
 * `POST /api/session { token }`: exchanges a viewer/admin token for an httpOnly session cookie
 * (the token is not kept by the dashboard), then refetches everything.
 */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => apiSend('POST', '/api/session', { body: { token } }),
    onSuccess: () => client.resetQueries(),
  });
}

/** `DELETE /api/session`: ends the session. */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend('DELETE', '/api/session'),
    onSuccess: () => client.resetQueries(),
  });
}
