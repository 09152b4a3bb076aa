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
  /**
   * `bulkWrite` only: commit without waiting for the WAL flush (`synchronous_commit = off` for
   * this transaction). The batch is atomic and visible at once as ever; a server crash within the
   * next fraction of a second may lose it whole, never part of it. Since WAL is flushed in order,
   * any later synchronous commit of the same server (a sync cursor saved after the batch) makes it
   * durable too: a cursor is never durable without the rows it stands for. For writers that
   * record their progress synchronously after the batch (the collector); default false.
   */
  asyncCommit?: boolean;
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
  /**
   * Wall-clock seconds staging (COPY) and merging (the one transaction, derived columns included);
   * for a batch copied straight into its targets (`fresh`), the COPY and the derived columns.
   */
  seconds: { stage: number; merge: number };
  /**
   * `bulkWrite` only: every key of the batch was new, so its rows were copied straight into
   * their tables (no staging, no merge); see `bulkWrite`.
   */
  fresh?: boolean;
}

function stageTableSql(name: string, spec: BulkTableSpec, temporary: boolean): string {
  const columns = spec.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  // A temporary stage is kept by its session (pooled connections), so a writer of many small
  // batches does not create and drop tables every time; each batch empties what it staged before
  // its commit (not ON COMMIT DELETE ROWS: that truncates every such table of the session, its
  // TOAST table and index included, at every commit: 20-35 ms a commit on a loaded machine).
  return temporary
    ? `create temp table if not exists ${name} (_row bigint not null, ${columns})`
    : `create unlogged table ${name} (_row bigint not null, ${columns})`;
}

/**
 * Rows deleted from a session's temporary stages since they were last vacuumed: temporary tables
 * are not vacuumed by autovacuum, so the writer vacuums them itself once this many accumulate
 * (the space of deleted rows is then reused instead of each batch extending the table).
 */
const VACUUM_STAGES_AFTER = 20_000;
const sessionStages = new WeakMap<pg.ClientBase, { tables: Set<string>; deleted: number }>();

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
  /** Keys staged so far (COPY text of the key columns), when tracked (`trackKeys`). */
  private keys: Set<string> | undefined;
  /** Positions (in the COPY line, after `_row`) of the key columns; the last one. */
  private keyFields: number[] = [];
  private lastKeyField = 0;
  /** A key was staged twice (known only when keys are tracked). */
  duplicateKeys = false;

  constructor(
    readonly table: BulkTableName,
    readonly name: string,
    private readonly reject: (rejected: RejectedRow) => void,
  ) {
    this.spec = BULK_TABLES[table];
  }

  /**
   * Keeps the staged keys, so `duplicateKeys` tells whether the merge must apply rows in rounds.
   * Keys are compared as their COPY text, i.e. as the server will store them.
   */
  trackKeys(): void {
    this.keys = new Set();
    this.keyFields = this.spec.key.map((k) => 1 + this.spec.columns.findIndex((c) => c.name === k));
    this.lastKeyField = Math.max(...this.keyFields);
  }

  private noteKey(line: string): void {
    if (!this.keys || this.duplicateKeys) return;
    // The fields up to the last key column (an escaped value holds no raw tab).
    const fields: string[] = [];
    let start = 0;
    for (let i = 0; i <= this.lastKeyField; i++) {
      const end = line.indexOf('\t', start);
      fields.push(line.slice(start, end < 0 ? line.length - 1 : end));
      start = end + 1;
    }
    const key = this.keyFields.map((f) => fields[f]).join('\t');
    if (this.keys.has(key)) {
      this.duplicateKeys = true;
      this.keys = undefined;
    } else this.keys.add(key);
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
    this.noteKey(line);
    this.buffer += line;
    if (this.buffer.length < FLUSH_BYTES) return undefined;
    return this.flush();
  }

  private flush(): Promise<void> | undefined {
    const chunk = this.buffer;
    this.buffer = '';
    return writeCopyChunk(this.stream!, chunk);
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
 * Merges a stage holding some key more than once: the rows of one key are applied in rounds, in
 * the order they were written (round k merges each key's k-th row), which is what the per-row
 * upserts do one after the other. @returns rows inserted or updated
 */
async function mergeInRounds(client: pg.ClientBase, stage: TableStage): Promise<number> {
  const { spec, name } = stage;
  const keys = spec.key.map((k) => `s.${k}`).join(', ');
  const rounds = `${name}_rounds`;
  await client.query(
    `create temp table ${rounds} on commit drop as
     select s.*, row_number() over (partition by ${keys} order by s._row) as _round from ${name} s`,
  );
  const last = await client.query<{ n: number }>(`select max(_round)::int as n from ${rounds}`);
  let merged = 0;
  for (let round = 1; round <= (last.rows[0]?.n ?? 0); round++) {
    merged +=
      (await client.query(spec.merge(`(select * from ${rounds} where _round = ${round}) s`))).rowCount ?? 0;
  }
  return merged;
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
    if ((error as { code?: string }).code !== '21000') throw error;
    await client.query('rollback to savepoint bulk_merge');
    merged = await mergeInRounds(client, stage);
  }
  await client.query('release savepoint bulk_merge');
  if (spec.parent && merged < stage.staged) await reportOrphans(client, stage, reject);
  for (const statement of spec.after?.(name) ?? []) await client.query(statement);
  return merged;
}

/** Rows of a staged child table whose parent does not exist, reported as rejected. */
async function reportOrphans(
  client: pg.ClientBase,
  stage: TableStage,
  reject: (rejected: RejectedRow) => void,
): Promise<void> {
  const { column, table, key } = stage.spec.parent!;
  const orphans = await client.query<{ _row: string; parent: string }>(
    `select s._row, s.${column} as parent from ${stage.name} s
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

/**
 * Merges the staged tables of one `bulkWrite` (keys tracked while staging), parents first, inside
 * the caller's transaction. Tables without a key staged twice are merged with their derived-column
 * refreshes in one multi-statement round trip; a table holding a key twice is merged in rounds
 * (`mergeInRounds`), at its place in the order. Orphans are reported after the merges.
 */
async function mergeStages(
  client: pg.ClientBase,
  stages: readonly TableStage[],
  reject: (rejected: RejectedRow) => void,
  merged: Partial<Record<BulkTableName, number>>,
): Promise<void> {
  let pending: { stage: TableStage; statements: number }[] = [];
  let text = '';
  const flush = async () => {
    if (pending.length === 0) return;
    const answer = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
    const results = Array.isArray(answer) ? answer : [answer];
    let at = 0;
    for (const { stage, statements } of pending) {
      merged[stage.table] = results[at]?.rowCount ?? 0;
      at += statements;
    }
    pending = [];
    text = '';
  };
  for (const stage of stages) {
    if (stage.staged === 0) {
      merged[stage.table] = 0;
      continue;
    }
    if (stage.duplicateKeys) {
      await flush();
      merged[stage.table] = await mergeInRounds(client, stage);
      for (const statement of stage.spec.after?.(stage.name) ?? []) await client.query(statement);
      continue;
    }
    const statements = [stage.spec.merge(`${stage.name} s`), ...(stage.spec.after?.(stage.name) ?? [])];
    text += `${statements.join(';\n')};\n`;
    pending.push({ stage, statements: statements.length });
  }
  await flush();
  for (const stage of stages) {
    if (stage.spec.parent && (merged[stage.table] ?? 0) < stage.staged)
      await reportOrphans(client, stage, reject);
  }
}

/**
 * Tables a batch of new rows is copied straight into, and what leads each COPY line there: the
 * PR's id (allocated from its sequence before the COPY, so its commits and reviews can name it)
 * or the parent PR's id in place of its external id.
 */
const FRESH_TABLES: Partial<
  Record<BulkTableName, { lead?: 'id' | 'pull_request_id'; columns: readonly CopyColumn[] }>
> = {
  raw_payloads: { columns: BULK_TABLES.raw_payloads.columns },
  pull_requests: { lead: 'id', columns: BULK_TABLES.pull_requests.columns },
  pull_request_commits: {
    lead: 'pull_request_id',
    columns: BULK_TABLES.pull_request_commits.columns.filter((c) => c.name !== 'pull_request_external_id'),
  },
  pull_request_reviews: {
    lead: 'pull_request_id',
    columns: BULK_TABLES.pull_request_reviews.columns.filter((c) => c.name !== 'pull_request_external_id'),
  },
};

type Rows = Record<string, unknown>[];

/**
 * The keys a batch would have to find absent for its rows to be copied straight into their tables,
 * or null when it cannot be: a table other than raw payloads, PRs, commits and reviews; a key twice
 * in the batch (applied in rounds by the merge); a commit or review of a PR not in the batch.
 */
function freshKeys(rows: Partial<Record<BulkTableName, Rows>>): {
  pulls: string[];
  reviews: string[];
  raw: [string[], string[], string[]];
} | null {
  const tables = Object.keys(rows) as BulkTableName[];
  if (tables.some((t) => !FRESH_TABLES[t])) return null;
  const pulls = (rows.pull_requests ?? []).map((r) => String(r.external_id));
  const pullSet = new Set(pulls);
  if (pullSet.size !== pulls.length) return null;
  const reviews = (rows.pull_request_reviews ?? []).map((r) => String(r.external_id));
  if (new Set(reviews).size !== reviews.length) return null;
  const commits = new Set<string>();
  for (const r of rows.pull_request_commits ?? []) commits.add(`${r.pull_request_external_id}\t${r.sha}`);
  if (commits.size !== (rows.pull_request_commits ?? []).length) return null;
  for (const child of [...(rows.pull_request_commits ?? []), ...(rows.pull_request_reviews ?? [])]) {
    if (!pullSet.has(String(child.pull_request_external_id))) return null;
  }
  const raw: [string[], string[], string[]] = [[], [], []];
  const rawSet = new Set<string>();
  for (const r of rows.raw_payloads ?? []) {
    const key = [String(r.source), String(r.kind), String(r.external_id)] as const;
    rawSet.add(key.join('\t'));
    for (const [i, k] of key.entries()) raw[i]!.push(k);
  }
  if (rawSet.size !== raw[0].length) return null;
  return { pulls, reviews, raw };
}

/**
 * One round trip: whether any key of the batch is stored already and, when none is, ids for its
 * PRs taken from their sequence (an id taken and not used is a gap, as a rolled-back insert leaves).
 * @returns the ids, in the order of the batch's PRs, or null when some key exists.
 */
async function claimFresh(
  client: pg.ClientBase,
  keys: NonNullable<ReturnType<typeof freshKeys>>,
): Promise<string[] | null> {
  const answer = await client.query<{ ids: string[] | null }>(
    `select case when exists (select 1 from pull_requests where external_id = any($1::text[]))
       or exists (select 1 from pull_request_reviews where external_id = any($2::text[]))
       or exists (select 1 from raw_payloads r
                  join unnest($3::text[], $4::text[], $5::text[]) k (source, kind, external_id)
                    on r.source = k.source and r.kind = k.kind and r.external_id = k.external_id)
       then null
       else array(select nextval(pg_get_serial_sequence('pull_requests', 'id'))::text
                  from generate_series(1, $6::int)) end as ids`,
    [keys.pulls, keys.reviews, ...keys.raw, keys.pulls.length],
  );
  return answer.rows[0]?.ids ?? null;
}

/** Streams COPY text lines into `copySql`, respecting back-pressure. */
async function copyLines(client: pg.ClientBase, copySql: string, lines: Iterable<string>): Promise<void> {
  const stream = client.query(copyFrom(copySql));
  stream.on('error', () => {});
  let buffer = '';
  const send = async () => {
    const chunk = buffer;
    buffer = '';
    await writeCopyChunk(stream, chunk);
  };
  try {
    for (const line of lines) {
      buffer += line;
      if (buffer.length >= FLUSH_BYTES) await send();
    }
    await send();
  } catch (error) {
    stream.destroy();
    throw error;
  }
  stream.end();
  await finished(stream);
}

/**
 * Copies a batch whose keys are all new straight into its tables, in the transaction the caller
 * opened: no staging, no merge (an insert of a new key is what the merge would do). The derived
 * first commit and first review are then refreshed as after a merge. Rejections are returned, not
 * reported, so a batch that falls back to the merge does not report them twice.
 * @returns the refused rows and the statements deriving the PRs' columns, to run before the commit
 */
async function copyFresh(
  client: pg.ClientBase,
  rows: Partial<Record<BulkTableName, Rows>>,
  ids: readonly string[],
  result: BulkWriteResult,
): Promise<{ rejected: RejectedRow[]; statements: string[] }> {
  const rejected: RejectedRow[] = [];
  const orphans: RejectedRow[] = [];
  const idOf = new Map<string, string>();
  const withChildren: Record<'pull_request_commits' | 'pull_request_reviews', Set<string>> = {
    pull_request_commits: new Set(),
    pull_request_reviews: new Set(),
  };
  for (const table of BULK_TABLE_ORDER) {
    const tableRows = rows[table];
    const fresh = FRESH_TABLES[table];
    if (!tableRows || !fresh) continue;
    if (tableRows.length === 0) {
      result.staged[table] = 0;
      result.merged[table] = 0;
      continue;
    }
    let written = 0;
    let orphaned = 0;
    const lines = function* (): Generator<string> {
      for (const [n, row] of tableRows!.entries()) {
        let lead: string | undefined;
        if (fresh!.lead === 'id') lead = ids[n]!;
        else if (fresh!.lead === 'pull_request_id') {
          const parent = String(row.pull_request_external_id);
          lead = idOf.get(parent);
          if (lead === undefined) {
            // Its PR was refused (a value it cannot hold): reported as the merge reports an orphan.
            orphaned++;
            orphans.push({
              table,
              row: n,
              column: 'pull_request_external_id',
              reason: `pull_request_external_id names an unknown pull_requests row '${parent}'`,
            });
            continue;
          }
          withChildren[table as keyof typeof withChildren].add(lead);
        }
        const line = encodeCopyRow(table, fresh!.columns, row, n, { lead });
        if (typeof line !== 'string') {
          rejected.push(line);
          continue;
        }
        if (table === 'pull_requests') idOf.set(String(row.external_id), lead!);
        written++;
        yield line;
      }
    };
    const columns = [...(fresh.lead ? [fresh.lead] : []), ...fresh.columns.map((c) => c.name)];
    await copyLines(client, `copy ${table} (${columns.join(', ')}) from stdin`, lines());
    result.staged[table] = written + orphaned;
    result.merged[table] = written;
  }
  // First commit and first review as the merge derives them (the writer may have set them already).
  const statements: string[] = [];
  for (const table of ['pull_request_commits', 'pull_request_reviews'] as const) {
    if (withChildren[table].size === 0) continue;
    const source = `(select p.external_id as pull_request_external_id from pull_requests p
                     where p.id = any('{${[...withChildren[table]].join(',')}}'::bigint[]))`;
    statements.push(...(BULK_TABLES[table].after?.(source) ?? []));
  }
  return { rejected: [...rejected, ...orphans], statements };
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
 * idempotent. A batch of raw payloads, PRs, commits and reviews whose keys are all new (a
 * repository's first sync) is copied straight into its tables instead (`result.fresh`): one
 * round trip checks that no key is stored and takes the PRs' ids, then each table is one COPY,
 * all in one transaction (a crash leaves nothing of it; a key stored meanwhile by another writer
 * fails it on the unique index, and the batch is merged instead). Tables are merged parents first (`BULK_TABLE_ORDER`), so a PR and its commits can
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
  const rows: Partial<Record<BulkTableName, Rows>> = {};
  for (const table of BULK_TABLE_ORDER) {
    const given = batch[table] as Iterable<Record<string, unknown>> | undefined;
    if (given) rows[table] = Array.isArray(given) ? given : [...given];
  }
  const keys = freshKeys(
    Object.fromEntries(Object.entries(rows).filter(([, r]) => r.length > 0)) as typeof rows,
  );
  if (keys && (keys.pulls.length > 0 || keys.raw[0].length > 0)) {
    const written = await writeFresh(db, rows, keys, options);
    if (written) return written;
  }
  return stageAndMerge(db, rows, options);
}

/**
 * `bulkWrite` of a batch whose keys may all be new: claims (`claimFresh`) and copies it straight
 * into its tables in one transaction (`copyFresh`), or does nothing when a key is stored already.
 * A key stored by another writer between the claim and the COPY fails the COPY on the unique
 * index: the transaction is rolled back whole and the batch goes through the merge instead.
 * @returns the result, or null when the batch must be merged
 * @throws the database's error other than that (nothing of the batch is written then)
 */
async function writeFresh(
  db: Db,
  rows: Partial<Record<BulkTableName, Rows>>,
  keys: NonNullable<ReturnType<typeof freshKeys>>,
  options: BulkWriteOptions,
): Promise<BulkWriteResult | null> {
  const client = await connectRawClient(db);
  let broken = false;
  let open = false;
  try {
    const started = performance.now();
    const ids = await claimFresh(client, keys);
    if (!ids) return null;
    await client.query(options.asyncCommit ? 'begin; set local synchronous_commit = off' : 'begin');
    open = true;
    const result = newResult();
    const { rejected, statements } = await copyFresh(client, rows, ids, result);
    const copied = performance.now();
    await client.query([...statements, 'commit'].join(';\n'));
    open = false;
    result.fresh = true;
    result.seconds = { stage: (copied - started) / 1000, merge: (performance.now() - copied) / 1000 };
    const reject = rejecter(result, options);
    for (const r of rejected) reject(r);
    return result;
  } catch (error) {
    if (open)
      await client.query('rollback').catch(() => {
        broken = true;
      });
    // 23505: a key appeared since the claim (another writer): merged instead.
    if ((error as { code?: string }).code === '23505' && !broken) return null;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** `bulkWrite` through the session's temporary stages and one merge per table. */
async function stageAndMerge(
  db: Db,
  batch: Partial<Record<BulkTableName, Rows>>,
  options: BulkWriteOptions,
): Promise<BulkWriteResult> {
  const result = newResult();
  const reject = rejecter(result, options);
  const client = await connectRawClient(db);
  let broken = false;
  try {
    const stages: TableStage[] = [];
    for (const table of BULK_TABLE_ORDER) {
      if (batch[table]) stages.push(new TableStage(table, `bulk_stage_${table}`, reject));
    }
    const stageStart = performance.now();
    const session = sessionStages.get(client) ?? { tables: new Set<string>(), deleted: 0 };
    sessionStages.set(client, session);
    const missing = stages.filter((stage) => !session.tables.has(stage.name));
    // One round trip opens the transaction and makes sure the session's stages exist.
    await client.query(
      [
        'begin',
        ...(options.asyncCommit ? ['set local synchronous_commit = off'] : []),
        ...missing.map((stage) => stageTableSql(stage.name, stage.spec, true)),
      ].join(';\n'),
    );
    for (const stage of missing) session.tables.add(stage.name);
    for (const stage of stages) {
      stage.trackKeys();
      stage.start(client);
      for (const row of batch[stage.table] as Iterable<object>) {
        const wait = stage.write(row);
        if (wait) await wait;
      }
      await stage.end();
      result.staged[stage.table] = stage.staged;
    }
    const mergeStart = performance.now();
    result.seconds.stage = (mergeStart - stageStart) / 1000;
    await mergeStages(client, stages, reject, result.merged);
    // The stages are emptied and the transaction committed in one round trip.
    await client.query(`${stages.map((stage) => `delete from ${stage.name}`).join(';\n')};\ncommit`);
    for (const stage of stages) session.deleted += stage.staged;
    if (session.deleted >= VACUUM_STAGES_AFTER) {
      session.deleted = 0;
      // Housekeeping after the commit: a failure here does not undo the batch.
      await client.query(`vacuum ${[...session.tables].join(', ')}`).catch(() => {});
    }
    result.seconds.merge = (performance.now() - mergeStart) / 1000;
    return result;
  } catch (error) {
    // Stages created by the failed transaction are gone with it: the next batch makes sure again.
    sessionStages.delete(client);
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

/**
 * Writes a chunk of COPY text to a COPY FROM stream, honouring back-pressure.
 * @returns undefined when the stream took it (no promise made on the hot path), else a promise
 *   settled at the stream's next `drain` (rejected on its `error`)
 */
function writeCopyChunk(stream: CopyStreamQuery, chunk: string): Promise<void> | undefined {
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
