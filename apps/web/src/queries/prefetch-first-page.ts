import type { QueryClient } from '@tanstack/react-query';
import { metricsQuery, parseFilters } from '../lib/period.ts';
import { annotationsQuery } from './use-annotations.ts';
import { goalsQuery } from './use-goals.ts';
import { orgDoraQuery } from './use-org-dora.ts';
import { sessionQuery } from './use-session.ts';
import { teamsDoraOverviewQuery } from './use-team-dora.ts';
import { teamsQuery } from './use-teams.ts';

/**
 * Starts the overview's data requests (teams, the org's and every team's DORA, the org's goals
 * and events drawn on its charts) as the
 * script starts, beside the session check, instead of after it: the page waits for the check
 * before mounting (SessionGate), and chaining the figures behind it cost a round trip of the
 * busiest requests. Same query keys as the page's hooks, so the page reads what is on its way.
 * Other paths prefetch nothing. On a closed API the requests answer 401 like the check does and
 * the sign-in form shows (the 401 handler re-checks the session).
 * @param location `window.location` (pathname and search of the first page)
 * @returns the paths prefetched (none off the overview)
 */
export function prefetchFirstPage(
  client: QueryClient,
  location: { pathname: string; search: string },
): string[] {
  if (location.pathname !== '/') return [];
  // The check first: the page mounts when it answers.
  void client.prefetchQuery(sessionQuery());
  const filters = parseFilters(new URLSearchParams(location.search));
  const query = metricsQuery(filters);
  void client.prefetchQuery(teamsQuery());
  void client.prefetchQuery(orgDoraQuery(query));
  void client.prefetchQuery(teamsDoraOverviewQuery(query));
  void client.prefetchQuery(goalsQuery(undefined, filters));
  void client.prefetchQuery(annotationsQuery(undefined, filters));
  return [
    '/api/session',
    '/api/teams',
    '/api/org/dora',
    '/api/teams/dora-overview',
    '/api/org/goals',
    '/api/annotations',
  ];
}
