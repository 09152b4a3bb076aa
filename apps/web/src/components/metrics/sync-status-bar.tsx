import { formatDistanceToNowStrict } from 'date-fns';
import { ApiError } from '../../lib/api-client.ts';
import { useSyncStatus } from '../../queries/use-sync-status.ts';

/** Last sync, failing sources and the "Demo data" label, from `GET /api/sync-status`. */
export function SyncStatusBar() {
  const status = useSyncStatus();
  if (status.isPending) return <span className="sync-status">Sync status…</span>;
  // Not signed in yet: the sign-in form says why; a warning here would read as a fault.
  if (status.error instanceof ApiError && status.error.status === 401) return null;
  if (status.error || !status.data) {
    return (
      <span className="sync-status sync-error" role="status">
        ⚠ Sync status unavailable
      </span>
    );
  }
  const { demo, sources } = status.data;
  // Digests whose last attempt failed (their job retries them) or that needed retries to go out.
  const digests = (status.data.digests ?? []).filter((d) => d.status === 'failed' || d.attempts > 1);
  const digestsFailing = digests.filter((d) => d.status === 'failed').length;
  const last = sources
    .map((s) => s.lastSuccessAt)
    .filter((t): t is string => Boolean(t))
    .sort()
    .at(-1);
  const failing = sources.filter((s) => s.error || s.status === 'failed');
  return (
    <span className="sync-status" data-testid="sync-status">
      {demo && (
        <span className="demo-badge" data-testid="demo-badge" title="Generated demonstration organisation">
          Demo data
        </span>
      )}
      <span title={last ?? undefined}>
        {last
          ? `Last sync ${formatDistanceToNowStrict(new Date(last), { addSuffix: true })}`
          : 'Never synced'}
      </span>
      {failing.length > 0 && (
        <details className="sync-errors">
          <summary>
            ⚠ {failing.length} source{failing.length > 1 ? 's' : ''} failing
          </summary>
          <ul>
            {failing.map((s) => (
              <li key={`${s.source}:${s.scope}`}>
                <strong>
                  {s.source} {s.scope}
                </strong>
                : {s.error ?? s.status}
                {s.lastRunAt &&
                  ` (${new Date(s.lastRunAt).toISOString().slice(0, 16).replace('T', ' ')} UTC)`}
              </li>
            ))}
          </ul>
        </details>
      )}
      {digests.length > 0 && (
        <details className="sync-errors" data-testid="digest-retries">
          <summary>
            {digestsFailing > 0
              ? `⚠ ${digestsFailing} digest${digestsFailing > 1 ? 's' : ''} failing (retried)`
              : `${digests.length} digest${digests.length > 1 ? 's' : ''} sent after retries`}
          </summary>
          <ul>
            {digests.map((d) => (
              <li key={`${d.digest}:${d.period}:${d.channel}`} data-status={d.status}>
                <strong>
                  {d.digest} {d.period} {d.channel}
                </strong>
                : {d.status === 'sent' ? 'sent' : d.status}, {d.attempts} attempt{d.attempts > 1 ? 's' : ''}
                {d.error ? ` (last error: ${d.error})` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}
