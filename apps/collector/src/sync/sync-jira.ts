import {
  type Db,
  deleteIncidents,
  finishSyncRun,
  getSourceVersions,
  getSyncCursor,
  type NewIncident,
  type SyncCursorKey,
  type SyncRunTotals,
  saveSyncCursor,
  startSyncRun,
  startSyncRunHeartbeat,
  upsertIncidents,
  upsertJiraIssues,
  upsertJiraIssueTransitions,
  upsertRawPayloads,
} from '@stride/db';
import {
  countEmbeddedHistories,
  createJiraClassifier,
  deriveLinks,
  JiraPayloadError,
  type MappedJiraIssue,
  mapJiraIssue,
} from '@stride/ingest';
import { subDays } from 'date-fns/subDays';
import { createJiraSource, type JiraSource } from '../sources/jira-client.ts';
import { formatJqlDate } from '../sources/jql-date.ts';
import { isStopping, type SyncContext, type SyncReport } from './sync-context.ts';

/** Issues per search page asked of Jira (the server may answer with fewer). */
const PAGE_SIZE = 100;
/** Changelog requests in flight at once (Jira Cloud's rate limits favour a handful, not dozens). */
const CHANGELOG_CONCURRENCY = 4;
/** When the API user's timezone is unknown, the cursor is moved back by the widest UTC offset. */
const UNKNOWN_TIMEZONE_PAD_HOURS = 14;

type Classify = Parameters<typeof mapJiraIssue>[1]['classify'];

/**
 * Syncs Jira Cloud issues of the configured projects (`jira.projects` plus every team's
 * `jiraProjects`) into `jira_issues`, their status transitions into `jira_issue_transitions`, and
 * issues classified as incidents (docs/metrics.md, Incident) into `incidents`; then attributes
 * incidents to deployments (`incidents.attributionWindowDays`).
 *
 * Incremental per project: JQL `updated >= <cursor>` through the enhanced search
 * (`GET /rest/api/3/search/jql`, nextPageToken pagination), the cursor written in the API user's
 * timezone (from /myself; JQL dates are wall-clock, minute precision). The cursor (the newest
 * `updated` stored, UTC ISO) is saved in the transaction that stores each page; upserts are
 * idempotent, raw issues are kept in `raw_payloads`, and an issue that does not parse is logged
 * with its URL and skipped. Full changelogs are fetched when the search embedded only part.
 *
 * Does nothing (returns []) unless `config.jira` and JIRA_HOST (+ credentials) are set.
 * @returns one report per project; a failed project carries `error` and does not stop the others.
 */
export async function syncJira(ctx: SyncContext): Promise<SyncReport[]> {
  const jira = ctx.config.jira;
  const { JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN } = ctx.env;
  if (!jira || !JIRA_HOST || !JIRA_EMAIL || !JIRA_API_TOKEN) return [];
  const projects = [...new Set([...jira.projects, ...ctx.config.teams.flatMap((t) => t.jiraProjects)])];
  if (projects.length === 0) return [];

  const source = createJiraSource({
    host: JIRA_HOST,
    email: JIRA_EMAIL,
    apiToken: JIRA_API_TOKEN,
    logger: ctx.logger,
    signal: ctx.signal,
    waitUnitMs: ctx.waitUnitMs,
  });

  let timeZone: string | undefined;
  try {
    timeZone = (await source.getMyself()).timeZone;
    if (timeZone) formatJqlDate(new Date(), timeZone); // unknown zone names throw here, not later
  } catch (error) {
    ctx.logger.warn({ err: errorMessage(error) }, 'jira: user timezone unknown, padding the cursor instead');
    timeZone = undefined;
  }

  let classify: Classify;
  try {
    classify = createJiraClassifier(jira, await source.getIssueTypes());
  } catch (error) {
    const message = `cannot list issue types: ${errorMessage(error)}`;
    ctx.logger.error({ err: message }, 'jira sync failed');
    const reports: SyncReport[] = [];
    for (const project of projects) {
      const runId = await startSyncRun(ctx.db, 'jira', project);
      const totals = emptyTotals(source.requests);
      await finishSyncRun(ctx.db, runId, totals, message);
      reports.push(toReport(project, totals, message));
    }
    return reports;
  }

  const reports: SyncReport[] = [];
  let requestsBefore = 0;
  for (const project of projects) {
    if (isStopping(ctx)) break;
    const report = await syncJiraProject(ctx, source, project, { timeZone, classify });
    // Site-wide requests (myself, issue types) are counted with the first project.
    report.requests = source.requests - requestsBefore;
    requestsBefore = source.requests;
    reports.push(report);
  }

  // Jira writes incidents only: no change or deployment links to derive, attribution only.
  const { incidentsAttributed } = await deriveLinks(ctx.db, {
    repositoryIds: [],
    attributionWindowDays: ctx.config.incidents.attributionWindowDays,
  });
  ctx.logger.info({ attributed: incidentsAttributed }, 'jira: incidents attributed to deployments');
  return reports;
}

async function syncJiraProject(
  ctx: SyncContext,
  source: JiraSource,
  project: string,
  options: { timeZone: string | undefined; classify: Classify },
): Promise<SyncReport> {
  const runId = await startSyncRun(ctx.db, 'jira', project);
  const stopHeartbeat = startSyncRunHeartbeat(ctx.db, runId);
  const totals = emptyTotals(0);
  const requestsAtStart = source.requests;
  try {
    await source.getProject(project);
    const cursorKey: SyncCursorKey = { source: 'jira', scope: project, endpoint: 'search/jql' };
    const { cursor } = await getSyncCursor(ctx.db, cursorKey);
    const since = cursor
      ? new Date(cursor)
      : (ctx.since ?? subDays(new Date(), ctx.config.sync.backfillDays));
    const jqlSince = options.timeZone
      ? formatJqlDate(since, options.timeZone)
      : formatJqlDate(new Date(since.getTime() - UNKNOWN_TIMEZONE_PAD_HOURS * 3600_000), 'UTC');
    const jql = `project = "${project.replaceAll('"', '\\"')}" AND updated >= "${jqlSince}" ORDER BY updated ASC`;

    let newest = cursor ? new Date(cursor) : undefined;
    let nextPageToken: string | undefined;
    do {
      const page = await source.searchIssues({ jql, nextPageToken, maxResults: PAGE_SIZE });
      const mapped: { raw: unknown; url: string; result: MappedJiraIssue }[] = [];
      // Issues whose changelog the search truncated need one more request each: a few at a time.
      for (let start = 0; start < page.issues.length; start += CHANGELOG_CONCURRENCY) {
        const chunk = page.issues.slice(start, start + CHANGELOG_CONCURRENCY);
        const results = await Promise.allSettled(
          chunk.map((raw) => mapWithChangelog(source, raw, options.classify)),
        );
        results.forEach((result, index) => {
          const raw = chunk[index];
          if (result.status === 'fulfilled') {
            mapped.push({ raw, url: page.url, result: result.value });
            return;
          }
          if (!(result.reason instanceof JiraPayloadError)) throw result.reason;
          totals.itemsSkipped += 1;
          ctx.logger.warn(
            { url: page.url, issue: describeRaw(raw), reason: result.reason.message },
            'jira: malformed issue skipped',
          );
        });
      }

      // The cursor is inclusive (JQL minute precision): the last issues of the previous sync come
      // again. An issue stored with the same `updated` is unchanged: nothing to write.
      const versions = await getSourceVersions(
        ctx.db,
        { table: 'jira_issues' },
        mapped.map((m) => m.result.issue.external_id),
      );
      const changed = mapped.filter(
        (m) =>
          versions.get(m.result.issue.external_id)?.sourceUpdatedAt?.getTime() !==
          m.result.updatedAt.getTime(),
      );
      const pageNewest = mapped.reduce<Date | undefined>(
        (max, m) => (!max || m.result.updatedAt > max ? m.result.updatedAt : max),
        undefined,
      );
      await ctx.db.transaction().execute(async (trx) => {
        await storeIssues(trx, project, changed);
        if (pageNewest && (!newest || pageNewest > newest)) {
          newest = pageNewest;
          await saveSyncCursor(trx, cursorKey, { cursor: pageNewest.toISOString() });
        }
      });
      totals.itemsUpserted += changed.length;
      ctx.onProgress?.({ scope: `jira:${project}`, done: totals.itemsUpserted, phase: 'issues' });
      nextPageToken = page.nextPageToken;
    } while (nextPageToken && !isStopping(ctx));

    totals.requests = source.requests - requestsAtStart;
    // Stopped between pages (shutdown): the saved cursor resumes it next run.
    await finishSyncRun(ctx.db, runId, totals, undefined, undefined, Boolean(nextPageToken));
    ctx.logger.info({ project, upserted: totals.itemsUpserted, skipped: totals.itemsSkipped }, 'jira synced');
    return toReport(project, totals);
  } catch (error) {
    const message = errorMessage(error);
    totals.requests = source.requests - requestsAtStart;
    await finishSyncRun(ctx.db, runId, totals, message);
    ctx.logger.error({ project, err: message }, 'jira project sync failed');
    return toReport(project, totals, message);
  } finally {
    stopHeartbeat();
  }
}

async function mapWithChangelog(source: JiraSource, raw: unknown, classify: Classify) {
  const { embedded, total } = countEmbeddedHistories(raw);
  let histories: unknown[] | undefined;
  const id = (raw as { id?: unknown } | null)?.id;
  if (total > embedded && typeof id === 'string') {
    histories = [];
    for (let startAt = 0; ; ) {
      const page = await source.getChangelog(id, startAt);
      histories.push(...page.values);
      startAt += page.values.length;
      if (page.isLast || page.values.length === 0 || startAt >= page.total) break;
    }
  }
  return mapJiraIssue(raw, { classify, siteUrl: source.siteUrl, histories });
}

async function storeIssues(
  db: Db,
  project: string,
  mapped: { raw: unknown; url: string; result: MappedJiraIssue }[],
): Promise<void> {
  if (mapped.length === 0) return;
  await upsertRawPayloads(
    db,
    mapped.map((m) => ({
      source: 'jira',
      kind: 'issue',
      externalId: m.result.issue.external_id,
      scope: project,
      url: m.url,
      payload: m.raw,
    })),
  );
  const ids = await upsertJiraIssues(
    db,
    mapped.map((m) => m.result.issue),
  );
  await upsertJiraIssueTransitions(
    db,
    mapped.flatMap((m) =>
      m.result.transitions.map((t) => ({ ...t, jira_issue_id: ids.get(m.result.issue.external_id)! })),
    ),
  );
  const incidents = mapped.map((m) => m.result.incident).filter((i): i is NewIncident => i !== null);
  await upsertIncidents(db, incidents);
  // An issue retyped away from incident stops being one.
  await deleteIncidents(
    db,
    'jira',
    mapped.filter((m) => m.result.incident === null).map((m) => m.result.issue.external_id),
  );
}

function describeRaw(raw: unknown): string {
  const r = raw as { key?: unknown; id?: unknown } | null;
  return String(r?.key ?? r?.id ?? 'unknown');
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status;
    return typeof status === 'number' ? `HTTP ${status}: ${error.message}` : error.message;
  }
  return String(error);
}

function emptyTotals(requests: number): SyncRunTotals {
  return {
    requests,
    notModified: 0,
    itemsUpserted: 0,
    itemsSkipped: 0,
    rateLimitRemaining: null,
    rateLimitResetAt: null,
  };
}

function toReport(scope: string, totals: SyncRunTotals, error?: string): SyncReport {
  return {
    source: 'jira',
    scope,
    requests: totals.requests,
    notModified: totals.notModified,
    itemsUpserted: totals.itemsUpserted,
    itemsSkipped: totals.itemsSkipped,
    rateLimitRemaining: totals.rateLimitRemaining,
    ...(error ? { error } : {}),
  };
}
