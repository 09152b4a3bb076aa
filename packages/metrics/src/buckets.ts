/**
 * Calendar buckets and windows in UTC (docs/metrics.md, Conventions): days, ISO weeks starting
 * Monday, calendar months; the same starts PostgreSQL's `date_trunc` gives in UTC.
 */
export type Granularity = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;

/** Start of the UTC bucket containing `at` (date_trunc(granularity, at) in UTC). */
export function bucketStart(at: Date, granularity: Granularity): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  if (granularity === 'month') return new Date(Date.UTC(y, m, 1));
  const day = new Date(Date.UTC(y, m, d));
  if (granularity === 'day') return day;
  const isoDow = (day.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(day.getTime() - isoDow * DAY_MS);
}

function nextBucket(start: Date, granularity: Granularity): Date {
  if (granularity === 'month') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + (granularity === 'day' ? DAY_MS : 7 * DAY_MS));
}

/**
 * Starts of every bucket that overlaps the half-open period [from, to), in order. The first may
 * start before `from` (e.g. the Monday of `from`'s week). Empty when from >= to.
 */
export function bucketStarts(from: Date, to: Date, granularity: Granularity): Date[] {
  const starts: Date[] = [];
  for (let b = bucketStart(from, granularity); b < to; b = nextBucket(b, granularity)) starts.push(b);
  return starts;
}

/** The period of equal length that ends where [from, to) starts. */
export function previousPeriod(from: Date, to: Date): { from: Date; to: Date } {
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
export function fixedWindows(from: Date, to: Date, days: number): { from: Date; to: Date }[] {
  const windows: { from: Date; to: Date }[] = [];
  const step = days * DAY_MS;
  for (let start = from.getTime(); start + step <= to.getTime(); start += step) {
    windows.push({ from: new Date(start), to: new Date(start + step) });
  }
  if (windows.length === 0 && from < to) windows.push({ from, to });
  return windows;
}
