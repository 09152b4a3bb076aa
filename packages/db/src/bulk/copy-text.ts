// PostgreSQL COPY text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text
// Format"): one line per row, columns separated by a tab, NULL as \N, and backslash, tab, newline
// and carriage return escaped with a backslash. Each value is checked against its column before it
// is encoded, so a malformed row is refused in JavaScript (and reported) instead of failing the
// whole COPY on the server.

/** Types a staging column can have (the target tables' types). */
export type CopyColumnType = 'text' | 'bigint' | 'integer' | 'boolean' | 'timestamptz' | 'text[]' | 'jsonb';

export interface CopyColumn {
  name: string;
  type: CopyColumnType;
  /** NOT NULL in the target without a default: a row without it is refused. */
  required?: boolean;
  /** SQL default used by the merge when the value is null/undefined (the target column's default). */
  default?: string;
  /** Allowed values (the target's CHECK constraint). */
  oneOf?: readonly string[];
}

/** Thrown by `encodeCopyValue` for a value its column cannot hold. */
export class CopyValueError extends Error {}

const SPECIAL = /[\\\t\n\r]/;

function escapeCopy(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

function checkText(value: unknown): string {
  if (typeof value !== 'string') throw new CopyValueError(`expected a string, got ${typeof value}`);
  // PostgreSQL text cannot hold U+0000 (the server would refuse the whole COPY).
  if (value.includes('\u0000')) throw new CopyValueError('contains a NUL character (U+0000)');
  return value;
}

// jsonb cannot hold U+0000 either, even escaped (`\u0000`: the server refuses the whole COPY):
// it is dropped from strings, as upsertRawPayloads does.
function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

function arrayElement(value: unknown): string {
  const text = checkText(value);
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * One value in COPY text form, `\N` for null/undefined.
 * @throws CopyValueError when the value does not fit the column (wrong type, invalid date,
 *   integer out of range, NUL in text, value outside `oneOf`, null in a required column).
 */
export function encodeCopyValue(column: CopyColumn, value: unknown, withDefault = false): string {
  if (value === null || value === undefined) {
    if (column.required) throw new CopyValueError('is required');
    return withDefault && column.default ? copyDefault(column.default) : '\\N';
  }
  switch (column.type) {
    case 'text': {
      const text = checkText(value);
      if (column.oneOf && !column.oneOf.includes(text)) {
        throw new CopyValueError(`'${text.slice(0, 40)}' is not one of ${column.oneOf.join(', ')}`);
      }
      return escapeCopy(text);
    }
    case 'bigint': {
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text !== 'string' || !/^-?\d{1,18}$/.test(text))
        throw new CopyValueError('is not an integer id');
      return text;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2_147_483_647) {
        throw new CopyValueError('is not a 32-bit integer');
      }
      return String(value);
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new CopyValueError('is not a boolean');
      return value ? 't' : 'f';
    case 'timestamptz': {
      const time =
        value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
      if (!Number.isFinite(time)) throw new CopyValueError('is not a valid date');
      return new Date(time).toISOString();
    }
    case 'text[]': {
      if (!Array.isArray(value)) throw new CopyValueError('is not an array of strings');
      return escapeCopy(`{${value.map(arrayElement).join(',')}}`);
    }
    case 'jsonb': {
      let json: string;
      if (typeof value === 'string') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          throw new CopyValueError('is not JSON text');
        }
        json = value.includes('\\u0000') ? JSON.stringify(parsed, withoutNul) : value;
      } else {
        // Without a replacer first (a replacer is called for every key and value: several times
        // slower on a PR's payload); again with it only when the text holds an escaped U+0000.
        json = JSON.stringify(value);
        if (json?.includes('\\u0000')) json = JSON.stringify(value, withoutNul);
      }
      return escapeCopy(checkText(json));
    }
  }
}

/**
 * A column's SQL default (`''`, `false`, `'{}'::text[]`, `'[]'::jsonb`, `'review'`) in COPY text
 * form, for rows copied straight into their target, where no `coalesce` can apply it.
 * @throws Error for a default that is not a literal (a programming error in bulk-tables.ts).
 */
export function copyDefault(sqlDefault: string): string {
  if (sqlDefault === 'false') return 'f';
  if (sqlDefault === 'true') return 't';
  const literal = /^'((?:[^']|'')*)'(?:::[a-z[\]]+)?$/.exec(sqlDefault);
  if (!literal) throw new Error(`not a literal default: ${sqlDefault}`);
  return escapeCopy(literal[1]!.replaceAll("''", "'"));
}

/** A row refused before staging: its position in what was written, the column and why. */
export interface RejectedRow {
  table: string;
  /** 0-based position of the row among the rows written to this table. */
  row: number;
  column: string;
  reason: string;
}

/**
 * One row as a COPY text line (with its trailing newline), the row number first.
 * @returns the line, or a RejectedRow when a value does not fit its column.
 */
export function encodeCopyRow(
  table: string,
  columns: readonly CopyColumn[],
  row: Readonly<Record<string, unknown>>,
  rowNumber: number,
  target?: { lead?: string },
): string | RejectedRow {
  // Staged: the row number first, defaults left to the merge. Into a target: `lead` first when
  // given (the row's id or its parent's), defaults written out.
  let line = target ? (target.lead ?? '') : String(rowNumber);
  let separator = line === '' ? '' : '\t';
  for (const column of columns) {
    try {
      line += `${separator}${encodeCopyValue(column, row[column.name], target !== undefined)}`;
      separator = '\t';
    } catch (error) {
      if (!(error instanceof CopyValueError)) throw error;
      return { table, row: rowNumber, column: column.name, reason: `${column.name} ${error.message}` };
    }
  }
  return `${line}\n`;
}
