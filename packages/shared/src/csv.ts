/**
 * CSV per RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): comma separated, CRLF line ends, a
 * header row; a field containing a comma, a double quote, CR or LF is enclosed in double quotes
 * with inner quotes doubled. Text fields starting with `=`, `+`, `-`, `@`, tab or CR are prefixed
 * with `'` so that spreadsheets do not run them as formulas (OWASP "CSV injection"); numbers are
 * written as they are. `null`/`undefined` are empty fields; Dates are ISO-8601 UTC.
 */
export type CsvValue = string | number | boolean | Date | null | undefined;

/** One field, escaped. */
export function escapeCsvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: the header row of `columns`, then one row per item. */
export function toCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [columns.map(escapeCsvField).join(',')];
  for (const row of rows) lines.push(row.map(escapeCsvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
