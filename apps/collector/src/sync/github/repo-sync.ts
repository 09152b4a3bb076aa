import {
  type BulkBatch,
  type BulkRawPayload,
  type BulkWriteResult,
  bulkWrite,
  getSyncCursor,
  type RawPayloadInput,
  saveSyncCursor,
} from '@stride/db';
import { findUnsafeLinks, InvalidPayloadError } from '@stride/ingest';
import type { DeploymentRule } from '@stride/shared/config';
import type { GitHubClient, GitHubPage } from '../../sources/github-client.ts';
import type { SyncContext } from '../sync-context.ts';
import { throwIfStopping } from '../sync-context.ts';

/** What every endpoint sync of one repository shares. */
export interface RepoSync {
  ctx: SyncContext;
  client: GitHubClient;
  fullName: string;
  owner: string;
  repo: string;
  repositoryId: string;
  defaultBranch: string;
  rule: DeploymentRule;
  /** Lower bound of the walk (backfill horizon), or null. */
  since: Date | null;
  counts: SyncCounts;
}

/** What a repository sync wrote, skipped, and could not fetch (part -> PRs missing it, first reason). */
export interface SyncCounts {
  upserted: number;
  skipped: number;
  missing?: Map<string, { count: number; reason: string }>;
}

/** Records that `what` could not be fetched for one item (kept without it); reported in sync status. */
export function recordMissing(r: RepoSync, what: string, reason: string): void {
  r.counts.missing ??= new Map();
  const entry = r.counts.missing.get(what);
  if (entry) entry.count += 1;
  else r.counts.missing.set(what, { count: 1, reason });
}

/** One line for sync status: `pull request comments missing for 3 items (HTTP 403: ...)`. */
export function describeMissing(counts: SyncCounts): string | undefined {
  if (!counts.missing || counts.missing.size === 0) return undefined;
  return `incomplete: ${[...counts.missing]
    .map(
      ([what, { count, reason }]) => `${what} missing for ${count} item${count === 1 ? '' : 's'} (${reason})`,
    )
    .join('; ')}`;
}

export const PER_PAGE = 100;

/**
 * Stored state of a listing endpoint (`sync_cursors.cursor`, JSON):
 * - `watermark`: items older than this (by the endpoint's time field) were all stored by an
 *   earlier complete walk, so the next walk stops there;
 * - `pending`: a walk in progress (pages are newest first, so the watermark only moves once
 *   the whole walk is stored): the page to resume from, the newest/oldest-open times seen so far
 *   and the first page's ETag, saved after each stored page.
 */
export interface ListCursor {
  watermark: string | null;
  pending?: {
    page: number;
    newest: string | null;
    oldestOpen: string | null;
    etag: string | null;
    /** The GraphQL walk's cursor (`endCursor` of the last stored page). */
    after?: string | null;
    /** A page so far kept an item incomplete (see `PageOutcome.refetch`). */
    refetch?: boolean;
  };
}

/**
 * Reads a stored `sync_cursors.cursor`: JSON `ListCursor`; null/empty = never walked; a bare
 * string (the older format) is taken as the watermark. Never throws.
 */
export function parseListCursor(text: string | null): ListCursor {
  if (!text) return { watermark: null };
  try {
    const parsed = JSON.parse(text) as ListCursor;
    return typeof parsed === 'object' && parsed !== null ? parsed : { watermark: null };
  } catch {
    return { watermark: text };
  }
}

/** The `sync_cursors` key of one GitHub listing endpoint (e.g. `pulls`) of the repository. */
export const cursorKey = (r: RepoSync, endpoint: string) => ({
  source: 'github',
  scope: r.fullName,
  endpoint,
});

/** The later of two ISO-8601 UTC times (same format, so string order is time order); null = none. */
export const maxTime = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : a > b ? a : b;
/** The earlier of two ISO-8601 UTC times; null = none. */
export const minTime = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : a < b ? a : b;

/** Normalises an ISO time for comparisons (GitHub sends `...Z` at second precision). */
export const isoOf = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/** Logs a malformed payload with its URL and counts it as skipped; rethrows anything else. */
export function skipInvalid(r: RepoSync, error: unknown, url: string, what: string): void {
  if (!(error instanceof InvalidPayloadError)) throw error;
  r.counts.skipped += 1;
  r.ctx.logger.warn({ url, repository: r.fullName, reason: error.reason }, `skipped malformed ${what}`);
}

/** Logs each link of the payloads the transforms drop because it is not http(s) (field and scheme only). */
export function logUnsafeLinks(r: RepoSync, rows: readonly RawPayloadInput[]): void {
  for (const row of rows) {
    const links = findUnsafeLinks(row.payload);
    if (links.length > 0) {
      r.ctx.logger.warn(
        { repository: r.fullName, kind: row.kind, id: row.externalId, links },
        'dropped links that are not http(s)',
      );
    }
  }
}

/** A raw payload as a `raw_payloads` bulk row, under the repository's scope. */
export const bulkRawOf =
  (r: RepoSync) =>
  (row: RawPayloadInput): BulkRawPayload => ({
    source: row.source,
    kind: row.kind,
    external_id: row.externalId,
    scope: row.scope ?? r.fullName,
    url: row.url ?? null,
    payload: row.payload,
  });

/**
 * Writes a batch of rows (a page's PRs with their commits, reviews and raw payloads, or its
 * deployments) through the COPY-stage-merge loader of @stride/db (`bulkWrite`): COPY into
 * temporary staging tables, one merge per table with the upserts' "newer state wins" rules, all in
 * one transaction, committed without waiting for the WAL flush (`asyncCommit`: the walk's next
 * cursor save, a synchronous commit, flushes it first). A row a column cannot hold is logged and skipped (counted as skipped), the
 * others written. Its counts and wall-clock seconds go to `ctx.onBulkWrite` (benches).
 * @throws the database's error (nothing of the batch is written then).
 */
export async function writeBatch(r: RepoSync, batch: BulkBatch): Promise<BulkWriteResult> {
  const started = performance.now();
  const result = await bulkWrite(r.ctx.db, batch, {
    // Each walk saves its cursor (a synchronous commit) only after the batches it stands for.
    asyncCommit: true,
    onReject: (rejected) => {
      r.counts.skipped += 1;
      r.ctx.logger.warn(
        { repository: r.fullName, table: rejected.table, row: rejected.row, reason: rejected.reason },
        'skipped a row the database cannot hold',
      );
    },
  });
  r.ctx.onBulkWrite?.(result, (performance.now() - started) / 1000);
  return result;
}

/**
 * Stores the raw payloads of a page (`raw_payloads`, idempotent on source, kind and id) under the
 * repository's scope, before its rows are upserted, and logs each link the transforms dropped
 * because it is not http(s). Throws the database error.
 */
export async function storeRaw(r: RepoSync, rows: RawPayloadInput[]): Promise<void> {
  logUnsafeLinks(r, rows);
  if (rows.length) await writeBatch(r, { raw_payloads: rows.map(bulkRawOf(r)) });
}

export interface PageOutcome {
  /** Newest time seen on the page (the next watermark when nothing stays open). */
  newest: string | null;
  /** Oldest time of an item that may still change (e.g. a deployment in progress). */
  oldestOpen: string | null;
  /** The walk reached items at or below the watermark / horizon: stop after this page. */
  stop: boolean;
  /** The page itself was malformed: end this walk without moving the cursor (next run retries). */
  invalid?: boolean;
  /**
   * An item of the page was stored incomplete (a part failed for a passing reason) and must be
   * fetched again by the next walk, although the listing itself may not change: the walk then
   * keeps no ETag of its first page, so the next walk is not answered 304 before reaching it.
   */
  refetch?: boolean;
}

/**
 * Walks a newest-first listing page by page: page 1 conditionally (stored ETag: a 304 means
 * nothing changed and costs no rate limit), each page handled and stored before the cursor
 * moves, the walk resumable after a crash (it restarts one page early: upserts are idempotent,
 * so an overlap duplicates nothing). The watermark moves only once the walk is complete. A walk
 * that left an item incomplete (`PageOutcome.refetch`) keeps no ETag, so the next one looks again.
 */
export async function walkList<T>(
  r: RepoSync,
  endpoint: string,
  fetchPage: (page: number, etag: string | null) => Promise<GitHubPage<T>>,
  itemsOf: (data: T) => unknown[],
  handlePage: (items: unknown[], watermark: string | null, url: string) => Promise<PageOutcome>,
): Promise<void> {
  const key = cursorKey(r, endpoint);
  const stored = await getSyncCursor(r.ctx.db, key);
  const cursor = parseListCursor(stored.cursor);
  const backfill = r.ctx.backfill === true;
  const watermark = backfill ? null : cursor.watermark;
  const pending = cursor.pending;
  let page = pending ? Math.max(1, pending.page - 1) : 1;
  let newest = pending?.newest ?? null;
  let oldestOpen = pending?.oldestOpen ?? null;
  let firstEtag = pending?.etag ?? null;
  let refetch = pending?.refetch ?? false;
  for (;;) {
    throwIfStopping(r.ctx);
    const conditional = page === 1 && !pending && !backfill ? stored.etag : null;
    const result = await fetchPage(page, conditional);
    if (result.notModified) return; // nothing changed since the last complete walk
    if (page === 1) firstEtag = result.etag;
    const outcome = await handlePage(itemsOf(result.data), watermark, result.url);
    if (outcome.invalid) return;
    newest = maxTime(newest, outcome.newest);
    oldestOpen = minTime(oldestOpen, outcome.oldestOpen);
    refetch ||= outcome.refetch === true;
    r.ctx.onProgress?.({
      scope: r.fullName,
      phase: endpoint,
      done: page,
      ...(result.lastPage ? { total: result.lastPage } : {}),
    });
    if (outcome.stop || !result.hasNext) {
      const next: ListCursor = { watermark: oldestOpen ?? newest ?? cursor.watermark };
      // With an item to fetch again, a 304 on the first page must not end the next walk early.
      await saveSyncCursor(r.ctx.db, key, { cursor: JSON.stringify(next), etag: refetch ? null : firstEtag });
      return;
    }
    page += 1;
    const progress: ListCursor = {
      watermark: cursor.watermark,
      pending: { page, newest, oldestOpen, etag: firstEtag, ...(refetch ? { refetch } : {}) },
    };
    await saveSyncCursor(r.ctx.db, key, { cursor: JSON.stringify(progress) });
  }
}

/** Fetches every page of a small sub-list (a PR's commits or reviews, a deployment's statuses). */
export async function fetchAll(
  r: RepoSync,
  route: string,
  params: Record<string, unknown>,
): Promise<{ items: unknown[]; url: string }> {
  const items: unknown[] = [];
  let url = '';
  for (let page = 1; ; page += 1) {
    const result = await r.client.get<unknown>(route, { ...params, per_page: PER_PAGE, page });
    if (result.notModified) break;
    if (page === 1) url = result.url;
    if (!Array.isArray(result.data)) {
      skipInvalid(r, new InvalidPayloadError(route, 'expected a JSON array'), result.url, 'list');
      break;
    }
    items.push(...result.data);
    if (!result.hasNext) break;
  }
  return { items, url };
}

/**
 * A page that is not the array (or object) the endpoint documents: logged with its URL, and the
 * walk ends there without moving its cursor, so the next run asks again (nothing is lost).
 */
export function badPage(r: RepoSync, url: string, expected: string): PageOutcome {
  skipInvalid(r, new InvalidPayloadError('page', `expected ${expected}`), url, 'page');
  return { newest: null, oldestOpen: null, stop: true, invalid: true };
}

/** `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Splits `items` into chunks of `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
