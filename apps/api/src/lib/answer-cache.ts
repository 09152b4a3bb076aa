import type { ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import { cancelQueryScope, type Db, QueryScope, runInQueryScope } from '@stride/db';
import { LRUCache } from 'lru-cache';

/** An answer computed once and shared: the value, and its JSON body made at most once. */
export interface CachedAnswer<T> {
  /** The data version read before computing (`AnswerCacheOptions.version`). */
  readonly version: string;
  readonly value: T;
  /**
   * The answer serialised by `serialize` (the route's response serialiser), made by the first
   * caller and then reused: every request for the same answer shares one string.
   */
  body(serialize: (value: T) => string): string;
  /**
   * The body as bytes, `identity` or compressed (`br` at quality 5, `gzip`), made once per
   * encoding (compressed off the event loop by zlib's thread pool) and shared like the body.
   */
  encoded(serialize: (value: T) => string, encoding: AnswerEncoding): Promise<Buffer>;
}

/** Encodings a cached answer's body is kept in. */
export type AnswerEncoding = 'identity' | 'br' | 'gzip';

/**
 * Brotli quality of every compressed answer, cached or compressed per request by the app's
 * @fastify/compress: 5 gives most of 11's size gain for a small part of its CPU.
 */
export const BROTLI_QUALITY = 5;

const compressors: Record<Exclude<AnswerEncoding, 'identity'>, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  gzip: (body) => promisify(gzip)(body),
};

/** One computation of an answer: started, or queued behind the one running for the same key. */
interface Computation {
  /** Order of start (`AnswerCache.#clock` when it started); 0 while queued. */
  startedAt: number;
  /** Wall time of its start (ms since the epoch); 0 while queued. */
  startedMs: number;
  /** Known once its version read is done. */
  version: string | undefined;
  promise: Promise<CachedAnswer<unknown>>;
  /** Starts a queued computation (resolves `promise` with its outcome). */
  start: () => void;
  /** Fails a queued computation that will never start. */
  drop: () => void;
  /** Requests still waiting for it that can go away; Infinity once one that cannot waits. */
  waiters: number;
  settled: boolean;
  /** Its own query scope: cancelled when every waiter went away. */
  scope: QueryScope;
}

/** Everything kept for one key (one set of inputs): at most one answer, one running, one queued. */
interface Slot {
  /** The newest answer computed, with the order its computation started in. */
  answer: { startedAt: number; startedMs: number; value: CachedAnswer<unknown> } | undefined;
  running: Computation | undefined;
  queued: Computation | undefined;
}

/** The request an answer is waited for by; `raw` is Fastify's `reply.raw`. */
export interface AnswerWaiter {
  raw: ServerResponse;
}

export interface AnswerCacheOptions {
  /**
   * The data's version (e.g. `getDoraDataVersion`): a string that changes with every committed
   * write that can change an answer. Read once per request (reads asked for together share one
   * statement that starts after every one of them was asked for).
   */
  version: () => Promise<string>;
  /** Keys (sets of inputs) kept at most; least recently used dropped first. */
  max: number;
  /** Approximate bytes kept at most (answers and their bodies); least recently used dropped first. */
  maxBytes: number;
  /**
   * While a computation for the key is already running (others asked first), a request whose
   * version the kept answer does not match gets that kept answer at once if its computation
   * started at most this many ms ago, instead of waiting for the running computation and the one
   * queued after it. 0 (default): every request waits for an answer at least as new as itself.
   */
  maxStaleMs?: number | undefined;
}

/** Assumed size of an answer whose body was not made yet (bytes). */
const UNSIZED_BYTES = 64 * 1024;

/**
 * Answers (figures the same for every viewer) kept in memory, one per set of inputs (`key`),
 * checked against the data's version (`options.version`, read once per request after it asked):
 * - fresh: an answer whose version equals the request's, or whose computation started after the
 *   request asked, holds every write committed before the request;
 * - one computation per key at a time: requests that the running computation cannot answer (it
 *   started before them under another version) share the one queued behind it, which starts
 *   when the running one ends. A burst of writes therefore costs at most one computation in
 *   flight and one queued per key, however many requests and versions arrive meanwhile (no
 *   miss storm);
 * - a request that finds no computation running waits for the one it starts (a figure read after
 *   a write, on a quiet server, holds the write). One that finds a refresh already running gets
 *   the kept answer at once if it is at most `maxStaleMs` old (its computation's start), else
 *   waits for the queued computation: a figure after a write reflects the write once the
 *   refresh queued after it completes, and no answer is older than `maxStaleMs`
 *   (`maxStaleMs` 0: every request waits for a fresh answer);
 * - a computation runs in its own query scope: a client that goes away stops waiting, and when no
 *   request waits any more its statements are cancelled (a queued one is never started). A failed
 *   computation fails its waiters and is never kept;
 * - bounded by keys and by bytes (LRU); one answer per key (a new version replaces the old).
 * Access is checked before a handler runs, and the key holds every input of the answer besides
 * the versioned data, so no answer reaches a request it was not computed for.
 */
export class AnswerCache {
  readonly #slots: LRUCache<string, Slot>;
  readonly #db: Db;
  readonly #readVersion: () => Promise<string>;
  /** Version read not yet sent: requests asking before it is sent share it. */
  #pendingVersion: Promise<string> | undefined;
  /** Logical clock: requests and computations are ordered by it. */
  #clock = 0;
  /** Computations started (misses), for benches and tests. */
  computed = 0;
  /** Version statements run, for benches and tests. */
  versionReads = 0;
  /** Requests answered with the previous answer while a refresh ran, for benches and tests. */
  servedStale = 0;
  readonly #maxStaleMs: number;

  constructor(db: Db, options: AnswerCacheOptions) {
    this.#db = db;
    this.#readVersion = options.version;
    this.#maxStaleMs = options.maxStaleMs ?? 0;
    this.#slots = new LRUCache<string, Slot>({
      max: options.max,
      maxSize: options.maxBytes,
      sizeCalculation: (slot) => slotBytes(slot),
    });
  }

  /**
   * The answer under `key`, computed by `compute` (shared, see the class). `waiter`: the request
   * asking (its going away before the answer is sent releases its share of the computation);
   * without one the computation is never cancelled for it.
   * @throws what `compute` or the version read throws (nothing is kept: the next request computes)
   */
  async get<T>(key: string, compute: () => Promise<T>, waiter?: AnswerWaiter): Promise<CachedAnswer<T>> {
    const askedAt = ++this.#clock;
    const version = await this.#version();
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = { answer: undefined, running: undefined, queued: undefined };
      this.#slots.set(key, slot);
    }
    const kept = slot.answer;
    if (kept && (kept.value.version === version || kept.startedAt > askedAt)) {
      return kept.value as CachedAnswer<T>;
    }
    const running = slot.running;
    let computation: Computation;
    if (running && (running.version === version || running.startedAt > askedAt)) {
      computation = running;
    } else if (slot.queued) {
      computation = slot.queued;
    } else {
      // Started now (after this request read `version`), its statements see at least that
      // version; queued, it reads the version when it starts.
      computation = this.#computation(key, slot, compute, running ? undefined : version);
      if (running) slot.queued = computation;
      else {
        slot.running = computation;
        computation.start();
      }
    }
    // A refresh is already running for others: the previous answer, if recent enough, answers
    // now; the computation queued (or started) above brings the figures up to date.
    if (kept && running && Date.now() - kept.startedMs <= this.#maxStaleMs) {
      this.servedStale += 1;
      // Promised to this request: never cancelled for want of waiters.
      computation.waiters = Number.POSITIVE_INFINITY;
      return kept.value as CachedAnswer<T>;
    }
    this.#wait(slot, computation, waiter);
    return computation.promise as Promise<CachedAnswer<T>>;
  }

  /** The version, read by a statement sent after this call (shared with every caller until sent). */
  #version(): Promise<string> {
    if (this.#pendingVersion) return this.#pendingVersion;
    const read = new Promise<string>((resolve, reject) => {
      setImmediate(() => {
        if (this.#pendingVersion === read) this.#pendingVersion = undefined;
        this.versionReads += 1;
        // Its own scope: a client going away must not cancel the read others share.
        runInQueryScope(new QueryScope(), this.#readVersion).then(resolve, reject);
      });
    });
    this.#pendingVersion = read;
    return read;
  }

  /**
   * A computation of `compute` for `key`'s `slot`, not started. `known`: a version read before
   * it will start (else it reads the version itself when it starts).
   */
  #computation(key: string, slot: Slot, compute: () => Promise<unknown>, known?: string): Computation {
    let start!: () => void;
    let drop!: () => void;
    const scope = new QueryScope();
    const computation: Computation = {
      startedAt: 0,
      startedMs: 0,
      version: undefined,
      promise: new Promise<CachedAnswer<unknown>>((resolve, reject) => {
        drop = () => reject(new Error('answer not computed: every request waiting for it went away'));
        start = () => {
          computation.startedAt = ++this.#clock;
          computation.startedMs = Date.now();
          computation.version = known;
          this.computed += 1;
          runInQueryScope(scope, async () => {
            // Read before the statements: the answer is at least as new as this version.
            computation.version ??= await this.#version();
            const value = await compute();
            return cachedAnswer(computation.version, value, () => this.#resize(key, slot));
          }).then(resolve, reject);
        };
      }),
      start,
      drop,
      waiters: 0,
      settled: false,
      scope,
    };
    computation.promise.then(
      (answer) => {
        computation.settled = true;
        if (!slot.answer || slot.answer.startedAt < computation.startedAt) {
          slot.answer = { startedAt: computation.startedAt, startedMs: computation.startedMs, value: answer };
          this.#resize(key, slot);
        }
        this.#next(slot, computation);
      },
      () => {
        computation.settled = true;
        this.#next(slot, computation);
      },
    );
    return computation;
  }

  /** `ended` is no longer running: the queued computation (if anyone still waits for it) starts. */
  #next(slot: Slot, ended: Computation): void {
    if (slot.running !== ended) return;
    slot.running = slot.queued;
    slot.queued = undefined;
    slot.running?.start();
  }

  #wait(slot: Slot, computation: Computation, waiter: AnswerWaiter | undefined): void {
    if (!waiter) {
      computation.waiters = Number.POSITIVE_INFINITY;
      return;
    }
    computation.waiters += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      computation.waiters -= 1;
      if (computation.waiters > 0 || computation.settled || waiter.raw.writableFinished) return;
      // Nobody waits for this answer any more: stop computing it (or never start it).
      if (slot.queued === computation) {
        slot.queued = undefined;
        computation.drop();
        return;
      }
      if (slot.running === computation) {
        this.#next(slot, computation);
        cancelQueryScope(this.#db, computation.scope).catch(() => undefined);
      }
    };
    waiter.raw.once('close', release);
    const done = () => waiter.raw.off('close', release);
    computation.promise.then(done, done);
  }

  /** Tells the LRU the size of `key`'s slot (its answer's body is known once made). */
  #resize(key: string, slot: Slot): void {
    if (this.#slots.peek(key) === slot) this.#slots.set(key, slot);
  }

  /** Keys kept now. */
  get size(): number {
    return this.#slots.size;
  }

  /** Approximate bytes kept now. */
  get bytes(): number {
    return this.#slots.calculatedSize ?? 0;
  }

  /** Forgets every answer (tests; a process that changed data behind the version's back). */
  clear(): void {
    this.#slots.clear();
  }
}

/** A computed answer with its body, made once on first use (`sized` is called then). */
interface SizedAnswer<T> extends CachedAnswer<T> {
  /** Approximate bytes held: the body and the objects it was made from (~3x the body). */
  bytes(): number;
}

/** The shared answer of one computation: its body (and each encoding of it) made once, on first use. */
function cachedAnswer<T>(version: string, value: T, sized: () => void): SizedAnswer<T> {
  let body: string | undefined;
  const encoded = new Map<AnswerEncoding, Promise<Buffer>>();
  let encodedBytes = 0;
  const answer: SizedAnswer<T> = {
    version,
    value,
    body(serialize) {
      if (body === undefined) {
        body = serialize(value);
        sized();
      }
      return body;
    },
    encoded(serialize, encoding) {
      let bytes = encoded.get(encoding);
      if (!bytes) {
        const plain = Buffer.from(answer.body(serialize));
        bytes = encoding === 'identity' ? Promise.resolve(plain) : compressors[encoding](plain);
        encoded.set(encoding, bytes);
        bytes.then(
          (b) => {
            encodedBytes += b.length;
            sized();
          },
          () => encoded.delete(encoding),
        );
      }
      return bytes;
    },
    bytes: () => (body === undefined ? UNSIZED_BYTES : 4 * body.length + encodedBytes),
  };
  return answer;
}

function slotBytes(slot: Slot): number {
  return Math.max(1, (slot.answer?.value as SizedAnswer<unknown> | undefined)?.bytes() ?? UNSIZED_BYTES);
}
