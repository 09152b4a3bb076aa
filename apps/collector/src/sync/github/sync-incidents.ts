import type { NewIncident, RawPayloadInput } from '@stride/db';
import { transformIssueToIncident } from '@stride/ingest';
import {
  badPage,
  bulkRawOf,
  isoOf,
  logUnsafeLinks,
  type PageOutcome,
  PER_PAGE,
  type RepoSync,
  skipInvalid,
  walkList,
  writeBatch,
} from './repo-sync.ts';

/**
 * The `since` of the issues listing: the backfill horizon at the start of its UTC day. The
 * horizon moves with the clock (now minus `sync.backfillDays`), and a `since` that moved makes
 * another URL, so the stored ETag of page 1 no longer answers 304 and the "anything new?" check
 * costs a rate-limited request every run (a multi-page list's `Link` header names the URL). On
 * the day, the URL stays the same all day; the walk itself stops at its watermark, and a day
 * more of old issues on the first walk is harmless. ISO-8601 UTC, second precision.
 */
export function issuesSinceOf(horizon: Date): string {
  const day = new Date(Date.UTC(horizon.getUTCFullYear(), horizon.getUTCMonth(), horizon.getUTCDate()));
  return day.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Incidents from GitHub issues carrying the configured label (docs/metrics.md, Incident):
 * `GET /repos/{o}/{r}/issues?labels=<label>&state=all&sort=updated&direction=desc&since=<day>`
 * (`issuesSinceOf`), stopping at the watermark; the label is re-checked case-insensitively and pull requests are ignored.
 */
export async function syncIncidentIssues(r: RepoSync): Promise<void> {
  const label = r.ctx.config.github.incidentLabel;
  await walkList<unknown>(
    r,
    'issues',
    (page, etag) =>
      r.client.get(
        'GET /repos/{owner}/{repo}/issues',
        {
          owner: r.owner,
          repo: r.repo,
          labels: label,
          state: 'all',
          sort: 'updated',
          direction: 'desc',
          ...(r.since ? { since: issuesSinceOf(r.since) } : {}),
          per_page: PER_PAGE,
          page,
        },
        etag,
      ),
    (data) => data as unknown[],
    async (items, watermark, url): Promise<PageOutcome> => {
      if (!Array.isArray(items)) return badPage(r, url, 'an array of issues');
      let newest: string | null = null;
      let stop = false;
      const rows: NewIncident[] = [];
      const raw: RawPayloadInput[] = [];
      for (const payload of items) {
        const updated = isoOf((payload as { updated_at?: unknown })?.updated_at);
        if (updated && watermark && updated < watermark) {
          stop = true;
          break;
        }
        if (updated && (newest === null || updated > newest)) newest = updated;
        try {
          const row = transformIssueToIncident(payload, {
            repositoryId: r.repositoryId,
            repositoryFullName: r.fullName,
            incidentLabel: label,
          });
          if (!row) continue;
          rows.push(row);
          raw.push({ source: 'github', kind: 'issue', externalId: row.external_id, url, payload });
        } catch (error) {
          skipInvalid(r, error, url, 'issue');
        }
      }
      logUnsafeLinks(r, raw);
      await writeBatch(r, { incidents: rows, raw_payloads: raw.map(bulkRawOf(r)) });
      r.counts.upserted += rows.length;
      return { newest, oldestOpen: null, stop };
    },
  );
}
