import {
  getSyncCursor,
  type NewCopilotMetricsDay,
  type RawPayloadInput,
  saveSyncCursor,
  upsertCopilotMetricsDays,
  upsertRawPayloads,
} from '@stride/db';
import { InvalidPayloadError, transformCopilotMetricsDay } from '@stride/ingest';
import type { GitHubClient, GitHubPage } from '../sources/github-client.ts';
import { runCopilotScope } from './run-copilot-scope.ts';
import type { SyncContext, SyncReport } from './sync-context.ts';
import { createGitHubClient } from './sync-github.ts';

/** GitHub serves Copilot metrics for at most this many days back (`since`: "Maximum value is 28 days ago"). */
export const COPILOT_METRICS_MAX_DAYS = 28;
const DAY_MS = 86_400_000;

/** One organisation (`githubTeam` '') or GitHub team whose Copilot metrics are collected. */
export interface CopilotScope {
  org: string;
  githubTeam: string;
}

/**
 * The scopes of a config: every organisation of `ai.copilot.orgs` (default `github.orgs`) and, in
 * each, every configured team under its GitHub slug (`ai.copilot.teams[slug]`, else its own slug).
 */
export function copilotScopes(config: SyncContext['config']): CopilotScope[] {
  const copilot = config.ai.copilot;
  if (!copilot.enabled) return [];
  const orgs = copilot.orgs ?? config.github.orgs;
  const teams = [...new Set(config.teams.map((t) => copilot.teams[t.slug] ?? t.slug))];
  return orgs.flatMap((org) => [
    { org, githubTeam: '' },
    ...teams.map((githubTeam) => ({ org, githubTeam })),
  ]);
}

const scopeName = (s: CopilotScope) => `copilot:${s.org}${s.githubTeam ? `/${s.githubTeam}` : ''}`;

/**
 * Why GitHub refused the metrics of a scope, as a sync-status note (docs: 403 forbidden, 404 not
 * found, 422 "Copilot Usage Metrics API setting is disabled at the organization or enterprise level";
 * 410 Gone, the answer of a retired endpoint: GitHub sunset this API on 2026-04-02); null for any
 * other failure (an error). A 403 of a rate limit is not a permission note.
 */
export function copilotRefusalNote(error: unknown, scope: CopilotScope): string | null {
  const e = error as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
  const what = scope.githubTeam
    ? `GitHub team ${scope.org}/${scope.githubTeam}`
    : `organisation ${scope.org}`;
  const head = `Copilot metrics not collected for ${what}: GitHub answered`;
  if (e?.status === 403) {
    if (e.response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(e.message ?? ''))
      return null;
    return `${head} 403 Forbidden: only organisation owners (and enterprise owners and billing managers) may read them; a classic token needs manage_billing:copilot, read:org or read:enterprise.`;
  }
  if (e?.status === 404)
    return `${head} 404 Not Found: the ${scope.githubTeam ? 'team or organisation' : 'organisation'} is not visible to the token, or it has no Copilot Business or Enterprise plan.`;
  if (e?.status === 422)
    return `${head} 422: the Copilot Metrics API access policy is disabled for the organisation or its enterprise.`;
  if (e?.status === 410)
    return `${head} 410 Gone: GitHub retired the Copilot Metrics API on 2026-04-02 (https://github.blog/changelog/2026-01-29-closing-down-notice-of-legacy-copilot-metrics-apis); Stride reads its successor, the Copilot usage metrics reports, first (see the copilot-reports note of the organisation).`;
  return null;
}

/** `YYYY-MM-DDT00:00:00Z` of a `YYYY-MM-DD` day, `since` as GitHub documents it. */
const sinceOf = (day: string) => `${day}T00:00:00Z`;

/**
 * Collects one scope incrementally. The cursor is the last stored day; the request asks from that
 * day on (`since`, clamped to GitHub's 28 days; the last day is read again, as GitHub may restate
 * it), conditional on the ETag stored for that URL, so until GitHub publishes a new day a sync is
 * answered 304 (no rate limit spent). Pages (`per_page` 28) are stored (days upserted, raw payloads
 * kept) before the cursor and ETag move. @returns rows written, skipped payloads and the refusal
 * note, if any
 */
async function syncScope(
  ctx: SyncContext,
  client: GitHubClient,
  scope: CopilotScope,
  now: Date,
): Promise<{ upserted: number; skipped: number; note?: string }> {
  const key = { source: 'github', scope: scopeName(scope), endpoint: 'copilot-metrics' };
  const stored = ctx.backfill ? { cursor: null, etag: null } : await getSyncCursor(ctx.db, key);
  const earliest = new Date(now.getTime() - COPILOT_METRICS_MAX_DAYS * DAY_MS).toISOString().slice(0, 10);
  const from = stored.cursor && stored.cursor > earliest ? stored.cursor : earliest;
  const route = scope.githubTeam
    ? 'GET /orgs/{org}/team/{team_slug}/copilot/metrics'
    : 'GET /orgs/{org}/copilot/metrics';
  const params = {
    org: scope.org,
    ...(scope.githubTeam ? { team_slug: scope.githubTeam } : {}),
    per_page: COPILOT_METRICS_MAX_DAYS,
  };
  let upserted = 0;
  let skipped = 0;
  let last = stored.cursor;
  /** Reads every page from `since` on, stores the days; @returns the first page's ETag (null: not modified). */
  const walk = async (since: string, etag: string | null): Promise<string | null> => {
    let firstEtag: string | null = null;
    for (let page = 1; ; page += 1) {
      const answer: GitHubPage<unknown> = await client.get(
        route,
        { ...params, since: sinceOf(since), page },
        page === 1 ? etag : null,
      );
      if (answer.notModified) return null;
      if (page === 1) firstEtag = answer.etag;
      if (!Array.isArray(answer.data)) {
        skipped += 1;
        ctx.logger.warn(
          { url: answer.url },
          'malformed Copilot metrics page (not an array of days): skipped',
        );
        return firstEtag;
      }
      const rows: NewCopilotMetricsDay[] = [];
      const raw: RawPayloadInput[] = [];
      for (const payload of answer.data) {
        try {
          const row = transformCopilotMetricsDay(payload, scope);
          rows.push(row);
          raw.push({
            source: 'github',
            kind: 'copilot_metrics_day',
            externalId: `${scope.org}/${scope.githubTeam}/${row.day}`,
            scope: key.scope,
            url: answer.url,
            payload,
          });
          if (last === null || row.day > last) last = row.day;
        } catch (error) {
          if (!(error instanceof InvalidPayloadError)) throw error;
          skipped += 1;
          ctx.logger.warn(
            { url: answer.url, reason: error.reason },
            'malformed Copilot metrics day: skipped',
          );
        }
      }
      upserted += await upsertCopilotMetricsDays(ctx.db, rows);
      await upsertRawPayloads(ctx.db, raw);
      if (!answer.hasNext) return firstEtag;
    }
  };
  try {
    // An ETag answers for a body: sent whatever URL it came from, a different answer is simply a 200.
    let etag = await walk(from, stored.etag);
    if (etag === null) return { upserted, skipped }; // 304: nothing new since the last stored day
    // The cursor moved: the next sync asks from the new last day, so that URL's ETag is fetched
    // now (one small answer: the last day, read again) and a sync before GitHub's next day is a 304.
    const moved = last !== null && last !== from;
    if (moved) etag = await walk(last!, null);
    await saveSyncCursor(ctx.db, key, { cursor: last, etag });
    return { upserted, skipped };
  } catch (error) {
    const note = copilotRefusalNote(error, scope);
    if (note === null) throw error;
    return { upserted, skipped, note };
  }
}

/**
 * Syncs GitHub's Copilot metrics (https://docs.github.com/rest/copilot/copilot-metrics) of every
 * scope of `copilotScopes`: one `sync_runs` row and report per scope (requests, 304s, days stored).
 * A refusal (403, 404, 422: no permission, no plan, API disabled) ends the scope's run as succeeded
 * with a note saying so; other failures are the scope's error, and the other scopes still run.
 * `orgs`: only these organisations' scopes (syncCopilotUsage's fallback, for organisations whose
 * Copilot usage metrics reports could not be read).
 */
export async function syncCopilotMetrics(
  ctx: SyncContext,
  options: { client?: GitHubClient; now?: Date; orgs?: readonly string[] } = {},
): Promise<SyncReport[]> {
  const scopes = copilotScopes(ctx.config).filter((s) => !options.orgs || options.orgs.includes(s.org));
  if (scopes.length === 0) return [];
  const client = options.client ?? createGitHubClient(ctx);
  const now = options.now ?? new Date();
  const reports: SyncReport[] = [];
  for (const scope of scopes) {
    ctx.signal?.throwIfAborted();
    if (ctx.stop?.aborted) break;
    const report = await runCopilotScope(
      ctx,
      client,
      scopeName(scope),
      () => syncScope(ctx, client, scope, now),
      {
        empty: { upserted: 0, skipped: 0 },
        summary: (r) =>
          `github ${r.scope}: ${r.requests} requests, ${r.notModified} not modified (304), ${r.itemsUpserted} days`,
      },
    );
    reports.push(report);
  }
  return reports;
}
