import type { ReactNode } from 'react';

/** Loading, error and empty states shared by every page section. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert">
      <strong>⚠ Could not load this data.</strong> {message}
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children = 'No data for this period.' }: { children?: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/**
 * A failed refresh of data that is still shown: a small, non-blocking notice (role `status`) with
 * the error's message and a Retry button, above the data the user was reading.
 */
export function RefreshFailed({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state-refresh-failed no-print" role="status" data-testid="refresh-failed">
      Could not refresh: {message}
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

/**
 * Renders a react-query result: its data through `children` (or `empty` when `isEmpty`), else
 * loading, else the error. Data already loaded stays on screen when a background refetch fails
 * (react-query keeps `data` and sets `error`): the failure is a `RefreshFailed` notice above it,
 * and the full `ErrorState` is shown only when there is no data to show.
 */
export function QueryState<T>({
  query,
  children,
  isEmpty,
  empty,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  const retry = () => void query.refetch();
  if (query.data === undefined) {
    if (query.error) return <ErrorState error={query.error} retry={retry} />;
    return <Loading />;
  }
  return (
    <>
      {query.error ? <RefreshFailed error={query.error} retry={retry} /> : null}
      {isEmpty?.(query.data) ? <Empty>{empty}</Empty> : children(query.data)}
    </>
  );
}
