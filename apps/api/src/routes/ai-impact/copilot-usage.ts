import { type Db, getSyncStatus, listCopilotUsage } from '@stride/db';
import type { Granularity } from '@stride/metrics';
import type { CopilotUsage } from '@stride/shared';
import type { StrideConfig } from '@stride/shared/config';

/** The GitHub team slug of a Stride team (`ai.copilot.teams[slug]`, else the same slug). */
export const githubTeamOf = (config: StrideConfig, slug: string) => config.ai.copilot.teams[slug] ?? slug;

/** Why a scope has no Copilot metrics, in the user's words. */
function notCollectedNote(
  config: StrideConfig,
  label: string,
  syncNote: string | null,
  anyStored: boolean,
): string {
  if (syncNote) return syncNote;
  const orgs = config.ai.copilot.orgs ?? config.github.orgs;
  if (!config.ai.copilot.enabled) return `Copilot metrics not collected: ai.copilot.enabled is false.`;
  if (orgs.length === 0 && !anyStored)
    return 'Copilot metrics not collected: no GitHub organisation is configured (github.orgs or ai.copilot.orgs).';
  return `Copilot metrics not collected for ${label} yet: no day of GitHub's Copilot usage metrics reports has been stored for it (a GitHub team appears once its members are in the user-teams report).`;
}

/**
 * Copilot usage of the organisation (`team` undefined) or one Stride team over a period, from the
 * stored days (`listCopilotUsage`), with the sync-status note of its scope when nothing is stored
 * (the organisation's `copilot-reports:` note first, else the legacy `copilot:` scope's).
 */
export async function loadCopilotUsage(
  db: Db,
  config: StrideConfig,
  period: { from: Date; to: Date; granularity: Granularity },
  team: string | undefined,
  notes?: Awaited<ReturnType<typeof getSyncStatus>>,
): Promise<CopilotUsage> {
  const githubTeam = team === undefined ? null : githubTeamOf(config, team);
  const { storedDays, anyStored, series } = await listCopilotUsage(db, {
    ...period,
    githubTeams: githubTeam === null ? null : [githubTeam],
  });
  const runs = notes ?? (storedDays === 0 ? await getSyncStatus(db) : []);
  // The reports' note (organisation-wide: teams come from the same reports) wins over the legacy API's.
  const syncNote =
    runs.find((r) => r.scope.startsWith('copilot-reports:') && (r.note || r.error)) ??
    runs.find(
      (r) =>
        r.scope.startsWith('copilot:') &&
        (githubTeam === null ? !r.scope.includes('/') : r.scope.endsWith(`/${githubTeam}`)) &&
        (r.note || r.error),
    ) ??
    null;
  const days = series.reduce((n, b) => n + b.days, 0);
  const weighted = (f: (b: (typeof series)[number]) => number | null) =>
    days === 0 ? null : series.reduce((s, b) => s + (f(b) ?? 0) * b.days, 0) / days;
  const suggestions = series.reduce((n, b) => n + b.suggestions, 0);
  const acceptances = series.reduce((n, b) => n + b.acceptances, 0);
  return {
    collected: storedDays > 0,
    githubTeam,
    note:
      storedDays > 0
        ? null
        : notCollectedNote(
            config,
            githubTeam === null ? 'the organisation' : `GitHub team ${githubTeam}`,
            syncNote?.note ?? syncNote?.error ?? null,
            anyStored,
          ),
    days,
    activeUsersMean: weighted((b) => b.activeUsersMean),
    engagedUsersMean: weighted((b) => b.engagedUsersMean),
    acceptanceRate: suggestions > 0 ? acceptances / suggestions : null,
    series: series.map((b) => ({
      bucket: b.bucket.toISOString(),
      days: b.days,
      activeUsersMean: b.activeUsersMean ?? 0,
      activeUsersMax: b.activeUsersMax ?? 0,
      engagedUsersMean: b.engagedUsersMean ?? 0,
      suggestions: b.suggestions,
      acceptances: b.acceptances,
    })),
  };
}
