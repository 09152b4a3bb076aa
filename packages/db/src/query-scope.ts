import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';

/**
 * The PostgreSQL connections one unit of work (an API request) holds right now, so that its
 * statements can be cancelled when nobody waits for their answer any more (the client went away).
 * Connections are recorded by the pool of `createDb` when they are checked out inside
 * `runInQueryScope`, and forgotten when released.
 */
export class QueryScope {
  /** Backend process ids of the connections checked out in this scope. */
  readonly backendPids = new Set<number>();
}

const scopes = new AsyncLocalStorage<QueryScope>();

/** Runs `fn` (and everything it starts) inside `scope`: its connections are recorded there. */
export function runInQueryScope<T>(scope: QueryScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** The scope of the current async context, if any. */
export function currentQueryScope(): QueryScope | undefined {
  return scopes.getStore();
}

/**
 * Records a checked-out pool client in the current scope until it is released. pg sets
 * `processID` from the server's BackendKeyData message (the pid `pg_cancel_backend` takes); it is
 * not in @types/pg.
 */
export function trackClient(client: pg.PoolClient): pg.PoolClient {
  const scope = scopes.getStore();
  const pid = (client as unknown as { processID?: number | null }).processID;
  if (!scope || typeof pid !== 'number') return client;
  scope.backendPids.add(pid);
  const release = client.release;
  client.release = (error?: Error | boolean) => {
    scope.backendPids.delete(pid);
    // A pooled client is handed out again: the next checkout records it afresh.
    client.release = release;
    return release.call(client, error);
  };
  return client;
}
