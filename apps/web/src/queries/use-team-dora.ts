import type { ColumnSeries, DoraSummary, MetricsQuery, SeriesPoint, TeamsDoraOverview } from '@stride/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { apiGet, apiUrl } from '../lib/api-client.ts';

const teamDoraQuery = (team: string, query: MetricsQuery) => ({
  queryKey: ['team-dora', team, query],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiGet('/api/teams/:team/dora', { params: { team }, query }, signal),
});

/** `GET /api/teams/:team/dora`: the five DORA metrics of one team. */
export function useTeamDora(team: string | undefined, query: MetricsQuery) {
  return useQuery({ ...teamDoraQuery(team ?? '', query), enabled: Boolean(team) });
}

/** Query options of `GET /api/teams/dora` (shared by the hook and the first page's prefetch). */
export const teamsDoraQuery = (query: MetricsQuery) => ({
  queryKey: ['teams-dora', query] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/teams/dora', { query }, signal),
});

/**
 * The compact overview answer back as one DoraSummary per team (the shape the table's cells,
 * sorting and compare charts read): each series' value and n columns zipped with the shared
 * buckets. Series points carry no p90 (the overview shows none); everything else is as
 * `GET /api/teams/dora` answers it.
 */
export function expandTeamsDoraOverview(answer: TeamsDoraOverview): { teams: DoraSummary[] } {
  const { buckets, period, previousPeriod, granularity, benchmark, reference } = answer;
  const points = (series: ColumnSeries): SeriesPoint[] =>
    buckets.map((bucket, i) => ({ bucket, value: series.value[i] ?? null, n: series.n[i] ?? 0 }));
  return {
    teams: answer.teams.map(({ scope, metrics: m }) => ({
      scope,
      period,
      previousPeriod,
      granularity,
      benchmark,
      reference,
      metrics: {
        deploymentFrequency: { ...m.deploymentFrequency, series: points(m.deploymentFrequency.series) },
        changeLeadTime: { ...m.changeLeadTime, series: points(m.changeLeadTime.series) },
        changeFailureRate: { ...m.changeFailureRate, series: points(m.changeFailureRate.series) },
        failedDeploymentRecoveryTime: {
          ...m.failedDeploymentRecoveryTime,
          series: points(m.failedDeploymentRecoveryTime.series),
        },
        deploymentReworkRate: { ...m.deploymentReworkRate, series: points(m.deploymentReworkRate.series) },
      },
    })),
  };
}

/**
 * Query options of `GET /api/teams/dora-overview` (the overview's hook and the first page's
 * prefetch): every team's DORA in about a quarter of the bytes of `/api/teams/dora`, expanded
 * to one DoraSummary per team once, when it arrives.
 */
export const teamsDoraOverviewQuery = (query: MetricsQuery) => ({
  queryKey: ['teams-dora-overview', query] as const,
  queryFn: async ({ signal }: { signal: AbortSignal }) =>
    expandTeamsDoraOverview(await apiGet('/api/teams/dora-overview', { query }, signal)),
});

/** What a page reads of one team's DORA answer (the shape of a query result). */
export interface TeamDoraResult {
  data: DoraSummary | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/**
 * `GET /api/teams/dora`: every team's DORA summary in one request (org overview, board pack),
 * handed out per team in the order of `teams`. A team the answer lacks (configured after the
 * request) reads as an error of its own row only. `compact`: from `GET /api/teams/dora-overview`
 * instead (same figures, series without p90: the overview's table).
 */
export function useTeamsDora(
  teams: readonly string[],
  query: MetricsQuery,
  { compact = false }: { compact?: boolean } = {},
): TeamDoraResult[] {
  // One of the two answers (the other query is disabled); both are lists of DoraSummary.
  const full = useQuery({ ...teamsDoraQuery(query), enabled: !compact });
  const overview = useQuery({ ...teamsDoraOverviewQuery(query), enabled: compact });
  const all = compact ? overview : full;
  return useMemo(() => {
    const bySlug = new Map((all.data?.teams ?? []).map((t) => [t.scope.id, t]));
    return teams.map((slug) => {
      const data = bySlug.get(slug);
      const missing = all.data !== undefined && data === undefined;
      return {
        data,
        error: all.error ?? (missing ? new Error(`No DORA figures for team ${slug}`) : null),
        isPending: all.isPending,
        refetch: all.refetch,
      };
    });
  }, [teams, all.data, all.error, all.isPending, all.refetch]);
}

/** URL of the CSV variant, `GET /api/teams/:team/dora.csv`. */
export function teamDoraCsvUrl(team: string, query: MetricsQuery): string {
  return apiUrl('/api/teams/:team/dora.csv', { params: { team }, query });
}
