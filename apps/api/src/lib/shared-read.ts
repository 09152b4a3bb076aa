import { QueryScope, runInQueryScope } from '@stride/db';

/**
 * A read that concurrent callers share: every call asking for the same `key` before its statement
 * is sent (the next turn of the event loop) gets the result of that one statement. The statement
 * starts after every sharer asked, so each of them sees every write committed before it asked:
 * the same answer as reading alone, with one round trip instead of one per caller. Nothing is
 * kept after the statement was sent (the next caller starts a new read).
 * The read runs in a query scope of its own: one sharer's client going away does not cancel it.
 * @returns a function reading `key` (rejects as `read` does, for every sharer)
 */
export function createSharedRead<K, V>(read: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const pending = new Map<K, Promise<V>>();
  return (key) => {
    const asked = pending.get(key);
    if (asked) return asked;
    const promise = new Promise<V>((resolve, reject) => {
      setImmediate(() => {
        pending.delete(key);
        runInQueryScope(new QueryScope(), () => read(key)).then(resolve, reject);
      });
    });
    pending.set(key, promise);
    return promise;
  };
}
