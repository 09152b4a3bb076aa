import { afterAll, beforeAll, describe } from 'vitest';

/** UTC and two zones on either side of it, one with a half-hour offset and one with daylight saving. */
export const TEST_TIMEZONES = ['UTC', 'America/New_York', 'Asia/Kolkata'] as const;

/**
 * Declares `suite` once per timezone, with the process's local timezone set to it while the
 * suite runs (Node applies a change of `process.env.TZ` at once) and restored afterwards: code
 * that must be UTC-correct is then checked where local time differs from UTC, whatever TZ the
 * test run itself has.
 */
export function describeInTimezones(
  suite: (zone: string) => void,
  zones: readonly string[] = TEST_TIMEZONES,
) {
  describe.each(zones)('with local time in %s', (zone) => {
    let saved: string | undefined;
    beforeAll(() => {
      saved = process.env.TZ;
      process.env.TZ = zone;
    });
    afterAll(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });
    suite(zone);
  });
}
