import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiSend } from '../lib/api-client.ts';

/** `GET /api/session`: whether reads are open (no viewer/admin token exists) and the caller's role. */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: ({ signal }) => apiGet('/api/session', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

/**
 * `POST /api/session { token }`: exchanges a viewer/admin token for an httpOnly session cookie
 * (the token is not kept by the dashboard), then refetches everything.
 */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => apiSend('POST', '/api/session', { token }),
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
