import {
  getSyncCursor,
  type NewCopilotMetricsDay,
  saveSyncCursor,
  upsertCopilotMetricsDays,
} from '@stride/db';
import {
  aggregateCopilotUsageReports,
  copilotOrganizationReportRowSchema,
  copilotReportLinksSchema,
  copilotUserReportRowSchema,
  copilotUserTeamRowSchema,
  parseCopilotReportNdjson,
} from '@stride/ingest';
import type { z } from 'zod';
import type { GitHubClient } from '../sources/github-client.ts';
import { runCopilotScope } from './run-copilot-scope.ts';
import type { SyncContext, SyncReport } from './sync-context.ts';
import { syncCopilotMetrics } from './sync-copilot-metrics.ts';
import { createGitHubClient } from './sync-github.ts';

/** First day GitHub serves Copilot usage metrics reports for (REST docs: "starting from October 10, 2025"). */
export const COPILOT_REPORTS_FIRST_DAY = '2025-10-10';
/** Reports are kept for this many days back ("historical data ... up to 1 year from the current date"). */
export const COPILOT_REPORTS_MAX_DAYS = 365;
const DAY_MS = 86_400_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * A signed report link as it may be shown (logs, errors, sync status): origin and path only. Its
 * query string is the signature, a bearer secret, and never leaves this module.
 */
export function redactSignedUrl(link: string): string {
  try {
    const u = new URL(link);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(unparseable report link)';
  }
}

/**
 * Why GitHub refused the usage metrics reports of an organisation, as a sync-status note: 403 (the
 * token may not read them: organisation owners/billing managers; fine-grained "Organization Copilot
 * metrics" read, classic `manage_billing:copilot` or `read:org`), 404 (no Copilot plan, not visible,
 * or no report), 422 (the "Copilot usage metrics" policy is disabled); null for anything else (an
 * error). A 403 of a rate limit is not a permission note.
 */
export function copilotReportsRefusalNote(error: unknown, org: string): string | null {
  const e = error as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
  const head = `Copilot usage metrics reports not collected for organisation ${org}: GitHub answered`;
  if (e?.status === 403) {
    if (e.response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(e.message ?? ''))
      return null;
    return `${head} 403 Forbidden: only organisation owners and billing managers (or a token with the "Organization Copilot metrics" read permission; classic: manage_billing:copilot or read:org) may read them.`;
  }
  if (e?.status === 404)
    return `${head} 404 Not Found: the organisation is not visible to the token, has no Copilot Business or Enterprise plan, or has no report for the day.`;
  if (e?.status === 422)
    return `${head} 422: the Copilot usage metrics policy is disabled for the organisation or its enterprise.`;
  return null;
}

class ReportDownloadError extends Error {}

/**
 * Downloads every file of a report's signed links and parses its NDJSON rows. The signed URL is
 * fetched with no Authorization header (the signature is the credential; a token sent to the
 * storage host would leak it) and no redirects; errors name the link without its query.
 */
async function downloadReport<T>(
  ctx: SyncContext,
  links: readonly string[],
  schema: z.ZodType<T>,
): Promise<{ rows: T[]; skipped: number }> {
  const rows: T[] = [];
  let skipped = 0;
  for (const link of links) {
    let response: Response;
    try {
      response = await fetch(link, { redirect: 'error', ...(ctx.signal ? { signal: ctx.signal } : {}) });
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      throw new ReportDownloadError(`Copilot report download from ${redactSignedUrl(link)} failed`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ReportDownloadError(
        `Copilot report download from ${redactSignedUrl(link)} answered ${response.status}`,
      );
    }
    const parsed = parseCopilotReportNdjson(await response.text(), schema);
    rows.push(...parsed.rows);
    skipped += parsed.skipped;
  }
  return { rows, skipped };
}

/** The GitHub team slugs whose usage is stored: each configured team's (`ai.copilot.teams[slug]`, else its slug). */
function githubTeamsOf(config: SyncContext['config']): Set<string> {
  return new Set(config.teams.map((t) => config.ai.copilot.teams[t.slug] ?? t.slug));
}

/**
 * Collects one organisation's days: from the day after the cursor (the last complete day stored;
 * first sync: a year back, not before 2025-10-10) up to yesterday (UTC), each day's organisation,
 * users and user-teams reports are fetched, downloaded, aggregated per team at once
 * (aggregateCopilotUsageReports: no per-person row is kept) and stored before the cursor moves.
 * A day whose report is not published yet (404 within the last 3 days) ends the walk; an older
 * missing day is skipped. @returns days stored, rows skipped, refusal note
 */
async function syncOrgReports(
  ctx: SyncContext,
  client: GitHubClient,
  org: string,
  now: Date,
): Promise<{ upserted: number; skipped: number; days: number; note?: string }> {
  const key = { source: 'github', scope: `copilot-reports:${org}`, endpoint: 'copilot-usage-reports' };
  const stored = ctx.backfill ? { cursor: null } : await getSyncCursor(ctx.db, key);
  const today = Date.parse(now.toISOString().slice(0, 10));
  const yesterday = dayOf(today - DAY_MS);
  let earliest = dayOf(today - COPILOT_REPORTS_MAX_DAYS * DAY_MS);
  if (earliest < COPILOT_REPORTS_FIRST_DAY) earliest = COPILOT_REPORTS_FIRST_DAY;
  const next = stored.cursor ? dayOf(Date.parse(`${stored.cursor}T00:00:00Z`) + DAY_MS) : earliest;
  const from = next > earliest ? next : earliest;
  const teams = githubTeamsOf(ctx.config);
  let upserted = 0;
  let skipped = 0;
  let days = 0;
  let answered = false;
  const links = async (kind: string, day: string) => {
    const answer = await client.get(`GET /orgs/{org}/copilot/metrics/reports/${kind}-1-day`, { org, day });
    if (answer.notModified) return [];
    const parsed = copilotReportLinksSchema.safeParse(answer.data);
    if (!parsed.success) throw new ReportDownloadError(`malformed ${kind} report answer for ${day}`);
    return parsed.data.download_links;
  };
  for (let t = Date.parse(`${from}T00:00:00Z`); dayOf(t) <= yesterday; t += DAY_MS) {
    ctx.signal?.throwIfAborted();
    if (ctx.stop?.aborted) break;
    const day = dayOf(t);
    let rows: NewCopilotMetricsDay[];
    try {
      const organization = await downloadReport(
        ctx,
        await links('organization', day),
        copilotOrganizationReportRowSchema,
      );
      const users = await downloadReport(ctx, await links('users', day), copilotUserReportRowSchema);
      const userTeams = await downloadReport(ctx, await links('user-teams', day), copilotUserTeamRowSchema);
      answered = true;
      skipped += organization.skipped + users.skipped + userTeams.skipped;
      rows = aggregateCopilotUsageReports({
        org,
        day,
        users: users.rows,
        userTeams: userTeams.rows,
        organization: organization.rows[0] ?? null,
        githubTeams: teams,
      });
    } catch (error) {
      const status = (error as { status?: number }).status;
      const recent = today - t <= 3 * DAY_MS;
      if (status === 404 && recent && (answered || stored.cursor !== null)) break; // not published yet: asked again next sync
      if (status === 404 && answered) {
        skipped += 1;
        ctx.logger.warn({ org, day }, 'no Copilot usage metrics report for this day: skipped');
        await saveSyncCursor(ctx.db, key, { cursor: day, etag: null });
        continue;
      }
      const note = copilotReportsRefusalNote(error, org);
      if (note === null || answered) throw error;
      return { upserted, skipped, days, note };
    }
    upserted += await upsertCopilotMetricsDays(ctx.db, rows);
    days += 1;
    await saveSyncCursor(ctx.db, key, { cursor: day, etag: null });
  }
  return { upserted, skipped, days };
}

/**
 * Syncs GitHub's Copilot usage metrics reports (https://docs.github.com/rest/copilot/copilot-usage-metrics)
 * of every organisation of `ai.copilot.orgs` (default `github.orgs`) into `copilot_metrics_days`
 * (organisation and GitHub-team days): one `sync_runs` row and report per organisation, scope
 * `copilot-reports:{org}`. A refusal (403, 404, 422) ends the run as succeeded with a note; other
 * failures are the organisation's error. Then, for the organisations whose reports could not be
 * read, the legacy Copilot Metrics API (syncCopilotMetrics) is tried as a fallback (GitHub retired
 * it on 2026-04-02; its 410 is a note too). @returns the reports of both, in that order
 */
export async function syncCopilotUsage(
  ctx: SyncContext,
  options: { client?: GitHubClient; now?: Date } = {},
): Promise<SyncReport[]> {
  const copilot = ctx.config.ai.copilot;
  if (!copilot.enabled) return [];
  const orgs = copilot.orgs ?? ctx.config.github.orgs;
  if (orgs.length === 0) return [];
  const client = options.client ?? createGitHubClient(ctx);
  const now = options.now ?? new Date();
  const reports: SyncReport[] = [];
  const fallback: string[] = [];
  for (const org of orgs) {
    ctx.signal?.throwIfAborted();
    if (ctx.stop?.aborted) break;
    const report = await runCopilotScope(
      ctx,
      client,
      `copilot-reports:${org}`,
      () => syncOrgReports(ctx, client, org, now),
      {
        empty: { upserted: 0, skipped: 0, days: 0 },
        summary: (r, result) => `github ${r.scope}: ${r.requests} requests, ${result.days} days stored`,
      },
    );
    // Reports refused or failed: the legacy API is asked for this organisation instead.
    if (report.note || report.error) fallback.push(org);
    reports.push(report);
  }
  if (fallback.length > 0) reports.push(...(await syncCopilotMetrics(ctx, { client, now, orgs: fallback })));
  return reports;
}
