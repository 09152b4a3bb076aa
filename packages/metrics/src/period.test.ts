import { describe, expect, it } from 'vitest';
import { describeInTimezones } from '../../../tests/support/timezones.ts';
import { medianDeploymentDays } from './deployment-frequency.ts';
import {
  addUtcDays,
  addUtcMonths,
  bucketEnd,
  bucketStart,
  bucketStarts,
  bucketWithin,
  calendarDaysBetween,
  fixedWindows,
  formatIsoDate,
  GRANULARITIES,
  isGranularity,
  isIsoDate,
  isPartialBucket,
  parseIsoDate,
  parseIsoInstant,
  previousPeriod,
  weeksBetween,
} from './period.ts';

const d = (iso: string) => new Date(iso);
const isos = (dates: Date[]) => dates.map((x) => x.toISOString().slice(0, 10));

// Every function here must give the same answer whatever the machine's timezone.
describeInTimezones(() => {
  describe('ISO dates and date-times', () => {
    it.each([
      ['2025-01-31', '2025-01-31T00:00:00.000Z'],
      ['2024-02-29', '2024-02-29T00:00:00.000Z'],
      ['2025-01-31T12:00Z', '2025-01-31T12:00:00.000Z'],
      ['2025-01-31T12:00:30Z', '2025-01-31T12:00:30.000Z'],
      ['2025-01-31T12:00:30.123456789Z', '2025-01-31T12:00:30.123Z'],
      ['2025-01-31T12:00:00.5Z', '2025-01-31T12:00:00.500Z'],
      ['2025-01-31T00:30:00+05:30', '2025-01-30T19:00:00.000Z'],
      ['2025-01-31T00:30:00+0530', '2025-01-30T19:00:00.000Z'],
      ['2025-01-31T20:00:00-05:00', '2025-02-01T01:00:00.000Z'],
      ['0099-03-01', '0099-03-01T00:00:00.000Z'],
    ])('%s is %s', (text, want) => {
      expect(parseIsoInstant(text)?.toISOString()).toBe(want);
    });

    it.each([
      '',
      '2025-1-31',
      '2025-02-30',
      '2025-02-29',
      '2025-13-01',
      '2025-00-10',
      '20250131',
      '2025-01-31T12:00', // no offset: depends on the reader's timezone
      '2025-01-31T24:00Z',
      '2025-01-31T12:60Z',
      '2025-01-31T12:00:61Z',
      '2025-01-31T12:00+24:00',
      '2025-01-31 12:00Z',
      ' 2025-01-31',
      'yesterday',
    ])('%j is not an ISO instant', (text) => {
      expect(parseIsoInstant(text)).toBeNull();
    });

    it('parses dates only as dates and formats the UTC date', () => {
      expect(parseIsoDate('2025-01-31T00:00Z')).toBeNull();
      expect(parseIsoDate('2025-01-31')?.toISOString()).toBe('2025-01-31T00:00:00.000Z');
      expect(isIsoDate('2025-02-28')).toBe(true);
      expect(isIsoDate('2025-02-29')).toBe(false);
      expect(formatIsoDate(d('2025-01-31T23:59:59.999Z'))).toBe('2025-01-31');
      expect(formatIsoDate(d('2025-01-31T23:30:00-05:00'))).toBe('2025-02-01');
    });
  });

  describe('UTC calendar arithmetic', () => {
    it.each([
      ['2026-03-01T00:00:00Z', 1, '2026-04-01T00:00:00.000Z'], // over the US daylight-saving change
      ['2026-01-31T00:00:00Z', 1, '2026-02-28T00:00:00.000Z'],
      ['2024-01-31T06:30:00Z', 1, '2024-02-29T06:30:00.000Z'],
      ['2025-11-15T00:00:00Z', 3, '2026-02-15T00:00:00.000Z'],
      ['2026-01-01T00:00:00Z', -3, '2025-10-01T00:00:00.000Z'],
      ['2026-03-31T00:00:00Z', -1, '2026-02-28T00:00:00.000Z'],
    ] as const)('%s + %s months = %s', (at, months, want) => {
      expect(addUtcMonths(d(at), months).toISOString()).toBe(want);
    });

    it('adds days of 24 hours and counts calendar days', () => {
      expect(addUtcDays(d('2026-03-07T00:00:00Z'), 2).toISOString()).toBe('2026-03-09T00:00:00.000Z');
      expect(addUtcDays(d('2026-03-01T00:00:00Z'), -14).toISOString()).toBe('2026-02-15T00:00:00.000Z');
      expect(calendarDaysBetween(d('2026-03-01T23:00:00Z'), d('2026-03-02T01:00:00Z'))).toBe(1);
      expect(calendarDaysBetween(d('2026-01-01'), d('2027-01-01'))).toBe(365);
    });
  });

  describe('calendar buckets (UTC; ISO weeks start Monday)', () => {
    it.each([
      ['2025-01-01T23:59:59Z', 'day', '2025-01-01'],
      ['2025-01-01T12:00:00Z', 'week', '2024-12-30'], // a Wednesday -> Monday of its ISO week
      ['2025-01-05T12:00:00Z', 'week', '2024-12-30'], // Sunday belongs to the week before
      ['2025-01-06T00:00:00Z', 'week', '2025-01-06'],
      ['2024-02-29T08:00:00Z', 'month', '2024-02-01'],
      ['2025-01-01T00:00:00Z', 'quarter', '2025-01-01'],
      ['2025-03-31T23:59:59Z', 'quarter', '2025-01-01'],
      ['2025-05-20T00:00:00Z', 'quarter', '2025-04-01'],
      ['2025-09-30T12:00:00Z', 'quarter', '2025-07-01'],
      ['2025-12-31T23:59:59Z', 'quarter', '2025-10-01'],
    ] as const)('%s in %s buckets starts %s', (at, granularity, want) => {
      expect(bucketStart(d(at), granularity).toISOString()).toBe(`${want}T00:00:00.000Z`);
    });

    it.each([
      ['2026-03-01', 'day', '2026-03-02'],
      ['2026-03-02', 'week', '2026-03-09'],
      ['2026-03-01', 'month', '2026-04-01'], // the US clocks change on 2026-03-08
      ['2026-10-01', 'month', '2026-11-01'],
      ['2026-02-01', 'month', '2026-03-01'],
      ['2026-01-01', 'quarter', '2026-04-01'],
      ['2026-10-01', 'quarter', '2027-01-01'],
    ] as const)('the %s bucket starting %s ends %s', (start, granularity, want) => {
      expect(bucketEnd(d(start), granularity).toISOString()).toBe(`${want}T00:00:00.000Z`);
    });

    it.each([
      ['2025-01-01', '2025-01-04', 'day', ['2025-01-01', '2025-01-02', '2025-01-03']],
      ['2025-01-01', '2025-01-15', 'week', ['2024-12-30', '2025-01-06', '2025-01-13']],
      ['2025-01-15', '2025-03-01', 'month', ['2025-01-01', '2025-02-01']],
      ['2025-01-15', '2025-03-02', 'month', ['2025-01-01', '2025-02-01', '2025-03-01']],
      ['2025-02-15', '2025-10-01', 'quarter', ['2025-01-01', '2025-04-01', '2025-07-01']],
      ['2025-01-01', '2025-01-01', 'day', []],
    ] as const)('[%s, %s) by %s', (from, to, granularity, want) => {
      expect(isos(bucketStarts(d(from), d(to), granularity))).toEqual(want);
    });

    it('marks buckets reaching outside the period as partial and clips them to it', () => {
      // 2026-11-23 is a Monday; a period ending today (to = tomorrow) leaves the last week one day.
      const period = { from: d('2026-08-25'), to: d('2026-11-24') };
      expect(isPartialBucket(d('2026-11-23'), 'week', period)).toBe(true);
      expect(isPartialBucket(d('2026-08-24'), 'week', period)).toBe(true);
      expect(isPartialBucket(d('2026-08-31'), 'week', period)).toBe(false);
      expect(isPartialBucket(d('2026-11-16'), 'week', { ...period, to: d('2026-11-23') })).toBe(false);
      expect(isPartialBucket(d('2026-07-01'), 'quarter', period)).toBe(true);
      expect(
        isPartialBucket(d('2026-07-01'), 'quarter', { from: d('2026-07-01'), to: d('2026-10-01') }),
      ).toBe(false);
      expect(bucketWithin(d('2026-08-24'), 'week', period)).toEqual({
        from: d('2026-08-25'),
        to: d('2026-08-31'),
      });
      expect(bucketWithin(d('2026-11-23'), 'week', period)).toEqual({
        from: d('2026-11-23'),
        to: d('2026-11-24'),
      });
      expect(bucketWithin(d('2026-09-01'), 'month', period)).toEqual({
        from: d('2026-09-01'),
        to: d('2026-10-01'),
      });
    });

    it('gives the previous period of equal length and the length in weeks', () => {
      expect(previousPeriod(d('2025-03-01'), d('2025-03-15'))).toEqual({
        from: d('2025-02-15'),
        to: d('2025-03-01'),
      });
      expect(weeksBetween(d('2025-01-01'), d('2025-01-15'))).toBe(2);
    });

    it('names the granularities once', () => {
      expect(GRANULARITIES).toEqual(['day', 'week', 'month', 'quarter']);
      expect(isGranularity('quarter')).toBe(true);
      expect(isGranularity('year')).toBe(false);
      expect(isGranularity(undefined)).toBe(false);
    });
  });
});

describe('fixed windows and median deployment days', () => {
  it.each([
    ['2025-01-01', '2025-01-15', 7, 2],
    ['2025-01-01', '2025-01-18', 7, 2], // trailing partial window dropped
    ['2025-01-01', '2025-01-04', 7, 1], // unless it is the only one
    ['2025-01-01', '2025-04-01', 30, 3],
  ] as const)('[%s, %s) in %s-day windows: %s', (from, to, days, count) => {
    expect(fixedWindows(d(from), d(to), days)).toHaveLength(count);
  });

  it.each([
    { days: [], want: null },
    // windows [01-07], [08-14], [15-21]: 3, 1, 0 deployment days -> median 1
    { days: ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-09'], want: 1 },
    // duplicates count once; a day in the dropped partial window does not count
    { days: ['2025-01-01', '2025-01-01', '2025-01-08', '2025-01-15', '2025-01-22'], want: 1 },
    {
      days: [
        '2025-01-01',
        '2025-01-02',
        '2025-01-03',
        '2025-01-04',
        '2025-01-05',
        '2025-01-08',
        '2025-01-09',
        '2025-01-10',
        '2025-01-11',
        '2025-01-12',
        '2025-01-15',
      ],
      want: 5,
    },
  ])('median over [2025-01-01, 2025-01-22) of $days = $want', ({ days, want }) => {
    expect(medianDeploymentDays(days, d('2025-01-01'), d('2025-01-22'), 7)).toBe(want);
  });
});
