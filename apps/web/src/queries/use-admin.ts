import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client.ts';

/** `GET /api/admin/goals`: every goal, config-file and admin ones (admin session only). */
export function useAdminGoals() {
  return useQuery({
    queryKey: ['admin-goals'],
    queryFn: ({ signal }) => apiGet('/api/admin/goals', undefined, signal),
  });
}

/** `GET /api/admin/annotations`: every stored event, config-file and admin ones (admin session only). */
export function useAdminAnnotations() {
  return useQuery({
    queryKey: ['admin-annotations'],
    queryFn: ({ signal }) => apiGet('/api/admin/annotations', undefined, signal),
  });
}

/**
 * A change of an admin (its `run` sends it with `apiSend`); after it succeeds, the admin lists and
 * every goal status, target line and event marker are fetched again.
 */
export function useAdminChange<A>(run: (arg: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await Promise.all(
        ['admin-goals', 'admin-annotations', 'goals', 'annotations'].map((key) =>
          client.invalidateQueries({ queryKey: [key] }),
        ),
      );
    },
  });
}
