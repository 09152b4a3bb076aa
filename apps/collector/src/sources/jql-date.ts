/**
 * JQL compares dates in the searching user's timezone, at minute precision
 * (https://support.atlassian.com/jira-software-cloud/docs/jql-fields/#Updated). These helpers
 * convert between UTC instants and that wall-clock form, with Intl only (no tz database of our own).
 */

function wallClockParts(instant: Date, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const out: Record<string, number> = {};
  for (const part of parts) if (part.type !== 'literal') out[part.type] = Number(part.value);
  return out;
}

const pad = (n: number | undefined, width = 2) => String(n ?? 0).padStart(width, '0');

/**
 * Formats a UTC instant as a JQL date `"yyyy/MM/dd HH:mm"` in `timeZone` (IANA), rounded down to
 * the minute, so `updated >= <it>` never misses an issue updated in the same minute.
 * @throws RangeError for an unknown timezone.
 */
export function formatJqlDate(instant: Date, timeZone: string): string {
  const p = wallClockParts(instant, timeZone);
  return `${pad(p.year, 4)}/${pad(p.month)}/${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * Parses a JQL date (`yyyy/MM/dd HH:mm` or `yyyy-MM-dd[ HH:mm]`) given in `timeZone` into the UTC
 * instant it denotes. @returns undefined when the text is not such a date.
 */
export function parseJqlDate(text: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})[/-](\d{2})[/-](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0'] = match;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  // The zone's offset at that moment, found by formatting the guess back; one correction step
  // suffices except inside a DST gap, where Jira too picks one of the two readings.
  let guess = asUtc;
  for (let i = 0; i < 2; i += 1) {
    const p = wallClockParts(new Date(guess), timeZone);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    guess += asUtc - wall;
  }
  return new Date(guess);
}
