// The fake Jira's own reading of JQL dates. Written apart from the collector's formatter/parser
// on purpose: if both came from one function, a bug in it would be mirrored by the fake and no
// test could see it.

const JQL_DATE = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const MINUTE = 60_000;

/**
 * The UTC offset of `timeZone` at `instant`, in minutes east of UTC, read from Intl's
 * `longOffset` name ("GMT+05:30", "GMT-03:00", or "GMT" for zero).
 * @throws RangeError for an unknown timezone.
 */
export function zoneOffsetMinutes(instant: number, timeZone: string): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(instant))
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{2}):?(\d{2}))?$/.exec(name);
  if (!match || match[1] === undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * Reads a JQL date literal as Jira Cloud does: `yyyy/MM/dd HH:mm`, `yyyy-MM-dd HH:mm`,
 * `yyyy/MM/dd` or `yyyy-MM-dd` (midnight), in the searching user's timezone (`timeZone`, IANA)
 * (https://support.atlassian.com/jira-software-cloud/docs/jql-fields/#Created). A wall-clock time
 * that happens twice (autumn overlap) is the earlier instant; one that does not exist (spring
 * gap) is pushed forward by the gap, as java.time's `ZonedDateTime.of` does on Jira's side.
 * @returns the UTC instant, or undefined when `text` is not such a date (or not a calendar day).
 */
export function readJqlDate(text: string, timeZone: string): Date | undefined {
  const match = JQL_DATE.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute] = [
    match[1],
    match[3],
    match[4],
    match[5] ?? '0',
    match[6] ?? '0',
  ].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(wall).getUTCDate() !== day) return undefined;
  // Offsets a day either side bracket any transition near this wall-clock time.
  const before = zoneOffsetMinutes(wall - 36 * 60 * MINUTE, timeZone);
  const after = zoneOffsetMinutes(wall + 36 * 60 * MINUTE, timeZone);
  const withBefore = wall - before * MINUTE;
  const withAfter = wall - after * MINUTE;
  const beforeHolds = zoneOffsetMinutes(withBefore, timeZone) === before;
  const afterHolds = zoneOffsetMinutes(withAfter, timeZone) === after;
  if (afterHolds && !beforeHolds) return new Date(withAfter);
  // Same offset both sides, an overlap (both hold: the earlier instant) or a gap (neither holds:
  // the offset before the gap moves the time forward by the gap).
  return new Date(withBefore);
}
