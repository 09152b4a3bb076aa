import { TZDate } from '@date-fns/tz';
import { addDays, format, isWeekend, startOfDay } from 'date-fns';

/**
 * Business hours between two instants in a team's timezone (docs/metrics.md, "Working
 * agreements"): the time that falls on working days, i.e. every hour of a Monday to Friday that
 * is not a holiday, in `timezone` (days start and end at local midnight, daylight saving
 * included). Weekends and `holidays` (ISO dates, local) count nothing.
 * @param from start instant
 * @param to end instant (before `from`: 0)
 * @returns hours (fractional)
 */
export function businessHoursBetween(
  from: Date,
  to: Date,
  timezone: string,
  holidays: ReadonlySet<string>,
): number {
  if (to.getTime() <= from.getTime()) return 0;
  let cursor: Date = new TZDate(from.getTime(), timezone);
  let ms = 0;
  while (cursor.getTime() < to.getTime()) {
    const nextDay = addDays(startOfDay(cursor), 1);
    const end = Math.min(nextDay.getTime(), to.getTime());
    const working = !isWeekend(cursor) && !holidays.has(format(cursor, 'yyyy-MM-dd'));
    if (working) ms += end - cursor.getTime();
    cursor = nextDay;
  }
  return ms / 3_600_000;
}
