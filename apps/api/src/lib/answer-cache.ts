import type { ServerResponse } from 'node:http';
import { cancelQueryScope, type Db, QueryScope, runInQueryScope } from '@stride/db';
import { LRUCache } from 'lru-cache';

/** One answer being computed or computed: who waits for it and the connections computing it. */
interface Entry {
  answer: Promise<unknown>;
  /** Requests still waiting for `answer` (0 once settled: later hits do not wait). */
  waiters: number;
  settled: boolean;
  /** The computation's own query scope: cancelled when every waiter went away. */
  scope: QueryScope;
}

/** The requests an answer is shared by; `raw` is Fastify's `reply.raw`. */
export interface AnswerWaiter {
  raw: ServerResponse;
}

/**
 * Answers (figures the same for every viewer) kept in memory under a key that includes the data's
 * version, so a cached answer is exactly what computing it again would give:
 * - the caller reads the version (e.g. `getDoraDataVersion`) before asking, and the key holds it:
 *   a committed write changes the version, so the next request computes afresh; nothing is ever
 *   served from data older than the version it is kept under;
 * - concurrent requests for the same key share one computation (50 clients asking the same
 *   figure cost one set of statements);
 * - the computation runs in its own query scope: a client that goes away stops waiting, and when
 *   no request waits any more its statements are cancelled and the entry dropped (a failed
 *   computation is dropped too, never served);
 * - bounded: at most `max` answers, least recently used dropped first.
 * Access is checked before a handler runs, and the key holds every input of the answer, so no
 * answer reaches a request it was not computed for.
 */
export class AnswerCache {
  readonly #cache: LRUCache<string, Entry>;
  readonly #db: Db;
  /** Computations started (misses), for benches and tests. */
  computed = 0;

  constructor(db: Db, options: { max: number }) {
    this.#db = db;
    this.#cache = new LRUCache<string, Entry>({ max: options.max });
  }

  /**
   * The answer under `key`, computing it with `compute` when absent. `waiter`: the request asking
   * (its going away before the answer is sent releases its share of the computation).
   * @throws what `compute` throws (the entry is dropped: the next request computes again)
   */
  get<T>(key: string, compute: () => Promise<T>, waiter?: AnswerWaiter): Promise<T> {
    let entry = this.#cache.get(key);
    if (!entry) {
      const scope = new QueryScope();
      this.computed += 1;
      const created: Entry = {
        answer: runInQueryScope(scope, compute),
        waiters: 0,
        settled: false,
        scope,
      };
      created.answer.then(
        () => {
          created.settled = true;
        },
        () => {
          created.settled = true;
          if (this.#cache.peek(key) === created) this.#cache.delete(key);
        },
      );
      this.#cache.set(key, created);
      entry = created;
    }
    if (!entry.settled && waiter) this.#wait(key, entry, waiter);
    return entry.answer as Promise<T>;
  }

  #wait(key: string, entry: Entry, waiter: AnswerWaiter): void {
    entry.waiters += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      entry.waiters -= 1;
      if (entry.waiters > 0 || entry.settled || waiter.raw.writableFinished) return;
      // Nobody waits for this answer any more: stop computing it and forget it.
      if (this.#cache.peek(key) === entry) this.#cache.delete(key);
      cancelQueryScope(this.#db, entry.scope).catch(() => undefined);
    };
    waiter.raw.once('close', release);
    entry.answer.then(
      () => waiter.raw.off('close', release),
      () => waiter.raw.off('close', release),
    );
  }

  /** Answers kept now (computing or computed). */
  get size(): number {
    return this.#cache.size;
  }

  /** Forgets every answer (tests; a process that changed data behind the version's back). */
  clear(): void {
    this.#cache.clear();
  }
}
