/**
 * Periods, calendar buckets and ISO dates, all in UTC (docs/metrics.md, Conventions): a period is
 * half-open [from, to); buckets are days, ISO weeks starting Monday, calendar months and calendar
 * quarters, the same starts PostgreSQL's `date_trunc` gives in UTC. Browser-safe: the API, the
 * database queries and the dashboard share this module, so no part reads the local timezone.
 */

/** Bucket sizes of a series, smallest first. */
export const GRANULARITIES = ['day', 'week', 'month', 'quarter'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** A half-open period [from, to) of instants. */
export interface TimePeriod {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

/** Whether `value` is one of GRANULARITIES. */
export function isGranularity(value: unknown): value is Granularity {
  return (GRANULARITIES as readonly unknown[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// ISO-8601 dates and date-times

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/** Midnight UTC of a calendar date (month 1..12), years 0..99 included (Date.UTC maps them to 19xx). */
function utcDate(year: number, month: number, day: number): Date {
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  return at;
}

function daysInMonth(year: number, month: number): number {
  return utcDate(year, month + 1, 0).getUTCDate();
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Parses an ISO calendar date `YYYY-MM-DD` (a real date: no 2025-02-30) to midnight UTC.
 * @returns the instant, or null when `text` is not such a date
 */
export function parseIsoDate(text: string): Date | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(year, month, day) ? utcDate(year, month, day) : null;
}

/** Whether `text` is an ISO calendar date `YYYY-MM-DD` that exists. */
export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== null;
}

/**
 * Parses an ISO date (`2025-01-31`, midnight UTC) or an ISO date-time with an offset
 * (`2025-01-31T12:00Z`, `2025-01-31T12:00:00.000+05:30`, `...+0530`). A date-time without an
 * offset is refused: its instant would depend on the reader's timezone.
 * @returns the instant, or null when `text` is neither (or names a date or time that does not exist)
 */
export function parseIsoInstant(text: string): Date | null {
  const date = parseIsoDate(text);
  if (date) return date;
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const offsetHours = m[8] ? 0 : Number(m[10]);
  const offsetMinutes = m[8] ? 0 : Number(m[11]);
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const sign = m[9] === '-' ? -1 : 1;
  const offsetMs = sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const midnight = utcDate(year, month, day).getTime();
  return new Date(midnight + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offsetMs);
}

/** The UTC calendar date of `at`, `YYYY-MM-DD`. */
export function formatIsoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// UTC calendar arithmetic

/** `at` plus `days` days of 24 hours (UTC has no daylight saving). */
export function addUtcDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/**
 * `at` plus `months` calendar months in UTC, the day clamped to the target month's length
 * (Jan 31 + 1 month = Feb 28/29), time of day kept.
 */
export function addUtcMonths(at: Date, months: number): Date {
  const total = at.getUTCFullYear() * 12 + at.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const day = Math.min(at.getUTCDate(), daysInMonth(year, month));
  return new Date(utcDate(year, month, day).getTime() + (at.getTime() - startOfUtcDay(at).getTime()));
}

/** Midnight UTC of `at`'s UTC date. */
export function startOfUtcDay(at: Date): Date {
  return utcDate(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate());
}

/** Whole UTC calendar days from `from`'s date to `to`'s date (negative when `to` is earlier). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return Math.round((startOfUtcDay(to).getTime() - startOfUtcDay(from).getTime()) / DAY_MS);
}

// ---------------------------------------------------------------------------------------------
// Periods

/** The period of equal length that ends where [from, to) starts. */
export function previousPeriod(from: Date, to: Date): TimePeriod {
  const length = to.getTime() - from.getTime();
  return { from: new Date(from.getTime() - length), to: new Date(from) };
}

/** Length of [from, to) in weeks (fractional). */
export function weeksBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / (7 * DAY_MS);
}

/**
 * Consecutive windows of `days` days from `from`; a trailing partial window is dropped unless
 * it is the only one (docs/metrics.md, Performance levels).
 */
export function fixedWindows(from: Date, to: Date, days: number): TimePeriod[] {
  const windows: TimePeriod[] = [];
  const step = days * DAY_MS;
  for (let start = from.getTime(); start + step <= to.getTime(); start += step) {
    windows.push({ from: new Date(start), to: new Date(start + step) });
  }
  if (windows.length === 0 && from < to) windows.push({ from, to });
  return windows;
}

// ---------------------------------------------------------------------------------------------
// Calendar buckets

/** Start of the UTC bucket containing `at` (PostgreSQL `date_trunc(granularity, at)` in UTC). */
export function bucketStart(at: Date, granularity: Granularity): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + 1;
  if (granularity === 'quarter') return utcDate(year, month - ((month - 1) % 3), 1);
  if (granularity === 'month') return utcDate(year, month, 1);
  const day = startOfUtcDay(at);
  if (granularity === 'day') return day;
  const isoDow = (day.getUTCDay() + 6) % 7; // Monday = 0
  return addUtcDays(day, -isoDow);
}

/**
 * End (exclusive) of the bucket starting at `start`: the next bucket's start (+1 day, +7 days,
 * +1 month or +3 months, in UTC). `start` must be a bucket start (see bucketStart).
 */
export function bucketEnd(start: Date, granularity: Granularity): Date {
  switch (granularity) {
    case 'day':
      return addUtcDays(start, 1);
    case 'week':
      return addUtcDays(start, 7);
    case 'month':
      return addUtcMonths(start, 1);
    case 'quarter':
      return addUtcMonths(start, 3);
  }
}

/**
 * Starts of every bucket that overlaps the half-open period [from, to), in order. The first may
 * start before `from` (e.g. the Monday of `from`'s week). Empty when from >= to.
 */
export function bucketStarts(from: Date, to: Date, granularity: Granularity): Date[] {
  const starts: Date[] = [];
  for (let b = bucketStart(from, granularity); b < to; b = bucketEnd(b, granularity)) starts.push(b);
  return starts;
}

/**
 * Whether the bucket starting at `start` extends beyond the period [from, to), i.e. only part of
 * it lies in the period (a week holding one day of a period ending today): its value is not
 * comparable with a full bucket's, so charts mark it and sparklines leave it out.
 */
export function isPartialBucket(start: Date, granularity: Granularity, period: TimePeriod): boolean {
  return start < period.from || bucketEnd(start, granularity) > period.to;
}

/**
 * The part of the bucket starting at `start` that lies in the period [from, to): the instants
 * the bucket's figure counts (series are computed over the period only).
 */
export function bucketWithin(start: Date, granularity: Granularity, period: TimePeriod): TimePeriod {
  const end = bucketEnd(start, granularity);
  return {
    from: start < period.from ? period.from : start,
    to: end > period.to ? period.to : end,
  };
}
