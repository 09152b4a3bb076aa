/**
 * The one CSV writer of Stride: the API's `.csv` routes and the dashboard's chart exports both
 * call it (browser-safe, no dependencies; the dashboard imports it as `@stride/shared/csv`).
 *
 * RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): comma separated, CRLF line ends, a header
 * row; a field containing a comma, a double quote, CR or LF is enclosed in double quotes with
 * inner quotes doubled. `null`/`undefined` are empty fields; Dates are ISO-8601 UTC; booleans are
 * `true`/`false`; a non-finite number is an empty field.
 *
 * Formula injection (OWASP "CSV injection", https://owasp.org/www-community/attacks/CSV_Injection):
 * a text field whose first non-blank character is `=`, `+`, `-`, `@`, tab or CR, or one of the
 * full-width `＝＋－＠` (which spreadsheets in CJK locales convert), is written with a leading `'`
 * so that Excel, LibreOffice and Google Sheets show it as text instead of running it. Only text is
 * neutralised: a value passed as a number (e.g. `-5`) is a genuine numeric cell and is written as
 * it is, while the text `'-5'` (which came from data, not from a computation) gets the quote.
 */
export type CsvValue = string | number | boolean | Date | null | undefined;

/**
 * Leading blanks (spaces, NBSP, ideographic space, LF...), then a character a spreadsheet reads as
 * the start of a formula. Tab and CR count as blanks and as triggers, so `\t` alone matches too.
 */
const FORMULA_TRIGGER = /^[\s\u00a0\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** True when a spreadsheet could run `text` as a formula (see FORMULA_TRIGGER). */
export function isFormulaLike(text: string): boolean {
  return FORMULA_TRIGGER.test(text);
}

/** One field, neutralised (text only) and escaped. */
export function escapeCsvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = isFormulaLike(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: the header row of `columns`, then one row per item, CRLF after each. */
export function toCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [columns.map(escapeCsvField).join(',')];
  for (const row of rows) lines.push(row.map(escapeCsvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
