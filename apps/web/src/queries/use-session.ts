import type { Session } from '@stride/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiUrl, getJson } from '../lib/api-client.ts';

/** `GET /api/session`: whether reads are open (no viewer/admin token exists) and the caller's role. */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: ({ signal }) => getJson<Session>(apiUrl('/session'), signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

async function send(method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
  const response = await fetch(apiUrl('/session'), {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    throw new ApiError(
      response.status,
      error.error?.code ?? 'error',
      error.error?.message ?? response.statusText,
    );
  }
}

/**
 * `POST /api/session { token }`: exchanges a viewer/admin token for an httpOnly session cookie
 * (the token is not kept by the dashboard), then refetches everything.
 */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => send('POST', { token }),
    onSuccess: () => client.resetQueries(),
  });
}

/** `DELETE /api/session`: ends the session. */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => send('DELETE'),
    onSuccess: () => client.resetQueries(),
  });
}
