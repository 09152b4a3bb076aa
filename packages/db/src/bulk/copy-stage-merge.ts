import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { connectRawClient, type Db, openRawClient } from '../connection.ts';
import {
  BULK_TABLE_ORDER,
  BULK_TABLES,
  type BulkRows,
  type BulkTableName,
  type BulkTableSpec,
} from './bulk-tables.ts';
import { type CopyColumn, encodeCopyRow, type RejectedRow } from './copy-text.ts';

// COPY-stage-and-merge: rows are streamed with PostgreSQL COPY (pg-copy-streams) into staging
// tables shaped like the targets, then merged into the targets once per table with
// INSERT ... SELECT ... ON CONFLICT (bulk-tables.ts), all merges in one transaction: either every
// staged row that fits is written, or (a server error) none is. Rows that do not fit their column
// are refused before staging and reported (`rejected`); child rows naming a parent that does not
// exist are reported and not merged. Two ways in:
// - `bulkWrite`: batches already in memory (a collector page): one connection, temp tables.
// - `openBulkLoad`: a stream of any size (the organisation loader): one COPY connection per table
//   into unlogged staging tables while rows are generated, merged once by `finish()`.

/** Rejections kept in a result (the count goes on). */
const MAX_REPORTED_REJECTIONS = 1000;
/** Bytes of COPY text buffered per table before they are handed to the stream. */
const FLUSH_BYTES = 1 << 16;

export interface BulkWriteOptions {
  /** Called for each refused row (bad value, unknown parent), e.g. to log it. */
  onReject?: (rejected: RejectedRow) => void;
}

export interface BulkWriteResult {
  /** Rows staged per table (refused rows excluded). */
  staged: Partial<Record<BulkTableName, number>>;
  /**
   * Rows inserted or updated per table. A row the "newer state wins" rule keeps out (older than
   * the stored one), an existing Jira transition, or a duplicate of another staged row is not counted.
   */
  merged: Partial<Record<BulkTableName, number>>;
  /** Refused rows, at most the first 1,000 (`rejectedCount` counts them all). */
  rejected: RejectedRow[];
  rejectedCount: number;
  /** Wall-clock seconds staging (COPY) and merging (the one transaction, derived columns included). */
  seconds: { stage: number; merge: number };
}

function stageTableSql(name: string, spec: BulkTableSpec, temporary: boolean): string {
  const columns = spec.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  // A temporary stage is kept by its session (pooled connections) and emptied at each commit or
  // rollback, so a writer of many small batches does not create and drop tables every time.
  return temporary
    ? `create temp table if not exists ${name} (_row bigint not null, ${columns}) on commit delete rows`
    : `create unlogged table ${name} (_row bigint not null, ${columns})`;
}

function copySql(name: string, columns: readonly CopyColumn[]): string {
  return `copy ${name} (_row, ${columns.map((c) => c.name).join(', ')}) from stdin`;
}

/** One table's COPY stream: encodes rows, buffers their text, respects the stream's back-pressure. */
class TableStage {
  readonly spec: BulkTableSpec;
  private stream: CopyStreamQuery | undefined;
  private buffer = '';
  /** Rows written to this table, refused ones included (the next row's number). */
  rows = 0;
  staged = 0;

  constructor(
    readonly table: BulkTableName,
    readonly name: string,
    private readonly reject: (rejected: RejectedRow) => void,
  ) {
    this.spec = BULK_TABLES[table];
  }

  start(client: pg.ClientBase): void {
    this.stream = client.query(copyFrom(copySql(this.name, this.spec.columns)));
    // Errors surface through `end()`/`drain()`; an unhandled 'error' event must not kill the process.
    this.stream.on('error', () => {});
  }

  /** @returns a promise when the stream asks to wait before more is written. */
  write(row: object): Promise<void> | undefined {
    const line = encodeCopyRow(this.table, this.spec.columns, row as Record<string, unknown>, this.rows++);
    if (typeof line !== 'string') {
      this.reject(line);
      return undefined;
    }
    this.staged++;
    this.buffer += line;
    if (this.buffer.length < FLUSH_BYTES) return undefined;
    return this.flush();
  }

  private flush(): Promise<void> | undefined {
    const stream = this.stream!;
    const chunk = this.buffer;
    this.buffer = '';
    if (chunk.length === 0 || stream.write(chunk)) return undefined;
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        stream.off('drain', done);
        stream.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      stream.once('drain', done);
      stream.once('error', done);
    });
  }

  /** Sends what is buffered and ends the COPY; resolves when the server has stored every row. */
  async end(): Promise<void> {
    await this.flush();
    this.stream!.end();
    await finished(this.stream!);
  }

  /** Stops the COPY (the server discards what it staged). */
  destroy(): void {
    this.stream?.destroy();
  }
}

/**
 * Merges one staged table into its target, inside the caller's transaction: duplicates of one key
 * are applied in the order written (only when the stage has any), rows naming a missing parent are
 * reported, then the parents' derived columns are refreshed.
 * @returns rows inserted or updated
 */
async function mergeStage(
  client: pg.ClientBase,
  stage: TableStage,
  reject: (rejected: RejectedRow) => void,
): Promise<number> {
  if (stage.staged === 0) return 0;
  const { spec, name } = stage;
  await client.query('savepoint bulk_merge');
  let merged: number;
  try {
    merged = (await client.query(spec.merge(`${name} s`))).rowCount ?? 0;
  } catch (error) {
    // 21000: ON CONFLICT DO UPDATE cannot affect a row twice, i.e. the stage holds one key twice.
    // The rows of one key are then applied in rounds, in the order they were written (round k
    // merges each key's k-th row), which is what the per-row upserts do one after the other.
    if ((error as { code?: string }).code !== '21000') throw error;
    await client.query('rollback to savepoint bulk_merge');
    const keys = spec.key.map((k) => `s.${k}`).join(', ');
    const rounds = `${name}_rounds`;
    await client.query(
      `create temp table ${rounds} on commit drop as
       select s.*, row_number() over (partition by ${keys} order by s._row) as _round from ${name} s`,
    );
    const last = await client.query<{ n: number }>(`select max(_round)::int as n from ${rounds}`);
    merged = 0;
    for (let round = 1; round <= (last.rows[0]?.n ?? 0); round++) {
      merged +=
        (await client.query(spec.merge(`(select * from ${rounds} where _round = ${round}) s`))).rowCount ?? 0;
    }
  }
  await client.query('release savepoint bulk_merge');
  if (spec.parent && merged < stage.staged) {
    const { column, table, key } = spec.parent;
    const orphans = await client.query<{ _row: string; parent: string }>(
      `select s._row, s.${column} as parent from ${name} s
       where not exists (select 1 from ${table} p where p.${key} = s.${column})
       order by s._row limit ${MAX_REPORTED_REJECTIONS}`,
    );
    for (const o of orphans.rows) {
      reject({
        table: stage.table,
        row: Number(o._row),
        column,
        reason: `${column} names an unknown ${table} row '${o.parent}'`,
      });
    }
  }
  for (const statement of spec.after?.(name) ?? []) await client.query(statement);
  return merged;
}

function newResult(): BulkWriteResult {
  return { staged: {}, merged: {}, rejected: [], rejectedCount: 0, seconds: { stage: 0, merge: 0 } };
}

function rejecter(result: BulkWriteResult, options: BulkWriteOptions): (rejected: RejectedRow) => void {
  return (rejected) => {
    result.rejectedCount++;
    if (result.rejected.length < MAX_REPORTED_REJECTIONS) result.rejected.push(rejected);
    options.onReject?.(rejected);
  };
}

/** Rows to write, by table; each table's rows in the order they are to be applied. */
export type BulkBatch = { [T in BulkTableName]?: Iterable<BulkRows[T]> };

/**
 * Writes batches of rows with COPY into temporary staging tables and one merge per table, in one
 * transaction on one connection: the write path for pages of rows already in memory (a collector
 * page of PRs with their commits and reviews). Same rows as the per-row upserts of src/queries;
 * idempotent. Tables are merged parents first (`BULK_TABLE_ORDER`), so a PR and its commits can
 * come in one call. Deployment links and incident attribution are not derived here (the caller runs
 * `deriveLinks` of @stride/ingest afterwards, as after any write).
 *
 * @returns counts per table and the refused rows (a value that does not fit its column, a child
 *   naming a parent that does not exist): refused rows are skipped, the others written.
 * @throws the database's error (nothing of the batch is written then).
 */
export async function bulkWrite(
  db: Db,
  batch: BulkBatch,
  options: BulkWriteOptions = {},
): Promise<BulkWriteResult> {
  const result = newResult();
  const reject = rejecter(result, options);
  const client = await connectRawClient(db);
  let broken = false;
  try {
    await client.query('begin');
    const stages: TableStage[] = [];
    const stageStart = performance.now();
    for (const table of BULK_TABLE_ORDER) {
      const rows = batch[table];
      if (!rows) continue;
      const stage = new TableStage(table, `bulk_stage_${table}`, reject);
      await client.query(stageTableSql(stage.name, stage.spec, true));
      stage.start(client);
      for (const row of rows as Iterable<object>) {
        const wait = stage.write(row);
        if (wait) await wait;
      }
      await stage.end();
      result.staged[table] = stage.staged;
      stages.push(stage);
    }
    const mergeStart = performance.now();
    result.seconds.stage = (mergeStart - stageStart) / 1000;
    for (const stage of stages) result.merged[stage.table] = await mergeStage(client, stage, reject);
    await client.query('commit');
    result.seconds.merge = (performance.now() - mergeStart) / 1000;
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** A streaming bulk load in progress (see `openBulkLoad`). */
export interface BulkLoad {
  /**
   * Stages one row of `table`. @returns a promise when that table's COPY stream is full: await it
   * before writing more (memory stays bounded whatever the number of rows).
   */
  write<T extends BulkTableName>(table: T, row: BulkRows[T]): Promise<void> | undefined;
  /** Rows refused so far (bad values); unknown parents are found by `finish()`. */
  readonly rejectedCount: number;
  /**
   * Ends the COPY streams and merges every staged table into its target in one transaction
   * (parents first), then drops the staging tables.
   * @throws the database's error (nothing is merged then; the staging tables are dropped).
   */
  finish(): Promise<BulkWriteResult>;
  /** Stops the streams and drops the staging tables; nothing is merged. */
  abort(): Promise<void>;
}

/**
 * Starts a streaming bulk load: each table written gets its own connection (outside the pool of
 * `db`, with its settings) streaming COPY into an UNLOGGED staging table `bulk_stage_<table>_<hex>`
 * while the caller produces rows, so generation and the server's parsing overlap; `finish()` merges
 * everything at once. For loads of any size (an organisation of 1,000,000 PRs): nothing is held in
 * memory beyond a 64 KB buffer per table. Staging tables left by a killed process can be dropped by
 * name (`bulk_stage_%`); they hold no committed data.
 */
export async function openBulkLoad(db: Db, options: BulkWriteOptions = {}): Promise<BulkLoad> {
  const result = newResult();
  const reject = rejecter(result, options);
  const suffix = randomBytes(4).toString('hex');
  const stages = new Map<
    BulkTableName,
    { stage: TableStage; client: pg.Client | undefined; live: boolean; ready: Promise<void> }
  >();
  const started = performance.now();
  let failure: unknown;

  function open(table: BulkTableName) {
    const stage = new TableStage(table, `bulk_stage_${table}_${suffix}`, reject);
    const entry = {
      stage,
      client: undefined as pg.Client | undefined,
      live: false,
      ready: Promise.resolve(),
    };
    entry.ready = (async () => {
      const client = await openRawClient(db);
      entry.client = client;
      await client.query(stageTableSql(stage.name, stage.spec, false));
      stage.start(client);
      entry.live = true;
    })();
    entry.ready.catch((error) => {
      failure ??= error;
    });
    stages.set(table, entry);
    return entry;
  }

  async function dropStages(): Promise<void> {
    for (const { stage, client } of stages.values()) {
      if (!client) continue;
      await client.query(`drop table if exists ${stage.name}`).catch(() => {});
      await client.end().catch(() => {});
    }
  }

  return {
    get rejectedCount() {
      return result.rejectedCount;
    },
    write(table, row) {
      if (failure) throw failure;
      const entry = stages.get(table) ?? open(table);
      if (!entry.live) {
        // The staging table is being created: rows wait for it (in order) before anything else.
        return entry.ready.then(() => entry.stage.write(row as object));
      }
      return entry.stage.write(row as object);
    },
    async finish() {
      try {
        for (const { stage, ready } of stages.values()) {
          await ready;
          await stage.end();
          result.staged[stage.table] = stage.staged;
        }
      } catch (error) {
        for (const { stage } of stages.values()) stage.destroy();
        await dropStages();
        throw error;
      }
      const mergeStart = performance.now();
      result.seconds.stage = (mergeStart - started) / 1000;
      const client = await connectRawClient(db);
      let broken = false;
      try {
        await client.query('begin');
        for (const table of BULK_TABLE_ORDER) {
          const entry = stages.get(table);
          if (entry) result.merged[table] = await mergeStage(client, entry.stage, reject);
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
        await dropStages();
      }
      result.seconds.merge = (performance.now() - mergeStart) / 1000;
      return result;
    },
    async abort() {
      for (const { stage } of stages.values()) stage.destroy();
      await Promise.allSettled([...stages.values()].map((e) => e.ready));
      await dropStages();
    },
  };
}
