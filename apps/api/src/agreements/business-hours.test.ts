import { describe, expect, it } from 'vitest';
import { businessHoursBetween } from './business-hours.ts';

const none = new Set<string>();
const at = (iso: string) => new Date(iso);

describe('business hours in a team timezone', () => {
  it('counts the hours of working days only', () => {
    // Friday 2026-11-27 20:00 Berlin (19:00Z) → Monday 2026-11-30 02:00 Berlin (01:00Z): 4 h Friday + 2 h Monday.
    expect(
      businessHoursBetween(at('2026-11-27T19:00:00Z'), at('2026-11-30T01:00:00Z'), 'Europe/Berlin', none),
    ).toBeCloseTo(6);
    // The same instants in UTC: Friday 19:00 → 24:00 is 5 h, Monday 00:00 → 01:00 is 1 h.
    expect(
      businessHoursBetween(at('2026-11-27T19:00:00Z'), at('2026-11-30T01:00:00Z'), 'UTC', none),
    ).toBeCloseTo(6);
    // Saturday 10:00 → Sunday 22:00 in New York: nothing.
    expect(
      businessHoursBetween(at('2026-11-28T15:00:00Z'), at('2026-11-30T03:00:00Z'), 'America/New_York', none),
    ).toBe(0);
  });
  it('takes the weekend of the team timezone, not of UTC', () => {
    // Sunday 2026-11-29 23:00Z is already Monday 08:00 in Tokyo: 2 h to 10:00 Tokyo.
    expect(
      businessHoursBetween(at('2026-11-29T23:00:00Z'), at('2026-11-30T01:00:00Z'), 'Asia/Tokyo', none),
    ).toBeCloseTo(2);
    expect(
      businessHoursBetween(at('2026-11-29T23:00:00Z'), at('2026-11-30T01:00:00Z'), 'UTC', none),
    ).toBeCloseTo(1);
  });
  it('leaves configured holidays out', () => {
    const christmas = new Set(['2026-12-25']);
    // Thursday 24 Dec 12:00 Berlin → Monday 28 Dec 12:00 Berlin: 12 h Thursday + 12 h Monday.
    expect(
      businessHoursBetween(
        at('2026-12-24T11:00:00Z'),
        at('2026-12-28T11:00:00Z'),
        'Europe/Berlin',
        christmas,
      ),
    ).toBeCloseTo(24);
    expect(
      businessHoursBetween(at('2026-12-24T11:00:00Z'), at('2026-12-28T11:00:00Z'), 'Europe/Berlin', none),
    ).toBeCloseTo(48);
  });
  it('counts a daylight-saving day at its real length', () => {
    // Monday 2026-10-26 is 24 h; Sunday 25 Oct (25 h in Berlin) is a weekend day anyway: use
    // New York's spring change on Sunday 2027-03-14 → Monday: Monday counts 24 h.
    expect(
      businessHoursBetween(at('2027-03-14T05:00:00Z'), at('2027-03-16T04:00:00Z'), 'America/New_York', none),
    ).toBeCloseTo(24);
  });
});
