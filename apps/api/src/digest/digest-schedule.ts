import { TZDate } from '@date-fns/tz';
import { formatIsoDate, parseIsoDate } from '@stride/metrics';
import { addDays, addHours, getDay } from 'date-fns';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When a digest goes out: weekly on a weekday and hour, or N hours before each retro. */
export interface DigestSchedule {
  timezone: string;
  weekday?: Weekday | undefined;
  hour: number;
  /** Retro dates (`YYYY-MM-DD`, meaning 10:00 in the timezone) or date-times with an offset. */
  retros?: readonly string[] | undefined;
  hoursBeforeRetro?: number | undefined;
}

/** One digest to send: when it became due and the period it covers [from, to) as UTC ISO dates. */
export interface DigestOccurrence {
  dueAt: Date;
  from: string;
  to: string;
}

/** A retro's instant: a date means 10:00 in the team's timezone. */
function retroInstant(retro: string, timezone: string): Date {
  const day = parseIsoDate(retro);
  if (day) {
    return new Date(
      new TZDate(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 10, 0, 0, timezone).getTime(),
    );
  }
  return new Date(retro);
}

/**
 * The latest digest due at or before `now` under `schedule`, in the schedule's timezone
 * (docs/metrics.md, "Digests"):
 * - with `retros` (and `hoursBeforeRetro`, default 24): due that many hours before a retro; the
 *   period runs from the previous retro's date to this retro's date (the first one: 14 days);
 * - otherwise weekly on `weekday` (default monday) at `hour`: the 7 days before it.
 * @returns null when no digest is due yet (every retro is still ahead)
 */
export function latestDigestOccurrence(schedule: DigestSchedule, now: Date): DigestOccurrence | null {
  const tz = schedule.timezone;
  if (schedule.retros && schedule.retros.length > 0) {
    const retros = schedule.retros.map((r) => retroInstant(r, tz)).sort((a, b) => a.getTime() - b.getTime());
    const before = schedule.hoursBeforeRetro ?? 24;
    let found: DigestOccurrence | null = null;
    retros.forEach((retro, i) => {
      const dueAt = addHours(retro, -before);
      if (dueAt.getTime() > now.getTime()) return;
      const previous = i > 0 ? retros[i - 1]! : addDays(retro, -14);
      found = { dueAt, from: formatIsoDate(previous), to: formatIsoDate(retro) };
    });
    return found;
  }
  const weekday = WEEKDAYS.indexOf(schedule.weekday ?? 'monday');
  const local = new TZDate(now.getTime(), tz);
  let candidate = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), schedule.hour, 0, 0, tz);
  for (let i = 0; i < 8 && (getDay(candidate) !== weekday || candidate.getTime() > now.getTime()); i++) {
    candidate = addDays(candidate, -1);
  }
  const dueAt = new Date(candidate.getTime());
  return { dueAt, from: formatIsoDate(addDays(candidate, -7)), to: formatIsoDate(dueAt) };
}
