const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Local clocks of IANA timezones for the model: a team's working day is placed in its own
 * timezone, daylight saving included, so out-of-hours figures computed by Stride (commits on a
 * weekend or outside 08:00-19:00 in the team's configured timezone, docs/metrics.md) come out as
 * the model meant them. Offsets are cached per timezone and UTC day (a few thousand entries even
 * at the largest size).
 */
export class LocalClock {
  private readonly offsets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** Milliseconds the timezone is ahead of UTC on the UTC day of `utcMs` (read at its noon). */
  offset(utcMs: number): number {
    const day = Math.floor(utcMs / DAY);
    let offset = this.offsets.get(day);
    if (offset === undefined) {
      const noon = day * DAY + 12 * HOUR;
      const parts = Object.fromEntries(this.format.formatToParts(noon).map((p) => [p.type, p.value]));
      const local = Date.UTC(
        Number(parts.year),
        Number(parts.month) - 1,
        Number(parts.day),
        Number(parts.hour),
        Number(parts.minute),
      );
      offset = local - noon;
      this.offsets.set(day, offset);
    }
    return offset;
  }

  /** Local day number (days since 1970-01-01 on the local calendar) of an instant. */
  localDay(utcMs: number): number {
    return Math.floor((utcMs + this.offset(utcMs)) / DAY);
  }

  /** The UTC instant of local `hour` (0..24, fractional) of local day `localDay`. */
  at(localDay: number, hour: number): number {
    const approx = localDay * DAY + hour * HOUR;
    return approx - this.offset(approx - this.offset(approx));
  }

  /** Local hour of day (0..24, fractional) of an instant. */
  hourOf(utcMs: number): number {
    const local = utcMs + this.offset(utcMs);
    return (local - Math.floor(local / DAY) * DAY) / HOUR;
  }
}

/** Day of the week of a local day number, Sunday = 0 (1970-01-01 was a Thursday). */
export const weekdayOf = (localDay: number): number => (((localDay + 4) % 7) + 7) % 7;
const isWorkday = (localDay: number) => {
  const w = weekdayOf(localDay);
  return w !== 0 && w !== 6;
};

/** The hours of a working day the model's people keep (inside Stride's 08:00-19:00). */
export const WORKDAY = { start: 8.75, end: 18.25 } as const;

/**
 * The instant `workMs` of working time (weekdays, `WORKDAY` hours, local) before `utcMs`: how
 * far back coding started for a PR opened at `utcMs` after `workMs` of work. An instant outside
 * working hours first moves back to the end of the last working day.
 */
export function workingTimeBefore(clock: LocalClock, utcMs: number, workMs: number): number {
  let day = clock.localDay(utcMs);
  let hour = clock.hourOf(utcMs);
  let remaining = workMs;
  for (let guard = 0; guard < 4000; guard++) {
    if (!isWorkday(day) || hour <= WORKDAY.start) {
      day -= 1;
      hour = WORKDAY.end;
      continue;
    }
    const top = Math.min(hour, WORKDAY.end);
    const available = (top - WORKDAY.start) * HOUR;
    if (remaining <= available) return clock.at(day, top - remaining / HOUR);
    remaining -= available;
    day -= 1;
    hour = WORKDAY.end;
  }
  return clock.at(day, WORKDAY.start);
}
