import { describe, expect, it } from 'vitest';
import { bucketStart, bucketStarts, fixedWindows, previousPeriod, weeksBetween } from './buckets.ts';
import { medianDeploymentDays } from './deployment-frequency.ts';

const d = (iso: string) => new Date(iso);
const isos = (dates: Date[]) => dates.map((x) => x.toISOString().slice(0, 10));

describe('calendar buckets (UTC; ISO weeks start Monday)', () => {
  it.each([
    ['2025-01-01T23:59:59Z', 'day', '2025-01-01'],
    ['2025-01-01T12:00:00Z', 'week', '2024-12-30'], // a Wednesday -> Monday of its ISO week
    ['2025-01-05T12:00:00Z', 'week', '2024-12-30'], // Sunday belongs to the week before
    ['2025-01-06T00:00:00Z', 'week', '2025-01-06'],
    ['2024-02-29T08:00:00Z', 'month', '2024-02-01'],
  ] as const)('%s in %s buckets starts %s', (at, granularity, want) => {
    expect(bucketStart(d(at), granularity).toISOString().slice(0, 10)).toBe(want);
  });

  it.each([
    ['2025-01-01', '2025-01-04', 'day', ['2025-01-01', '2025-01-02', '2025-01-03']],
    ['2025-01-01', '2025-01-15', 'week', ['2024-12-30', '2025-01-06', '2025-01-13']],
    ['2025-01-15', '2025-03-01', 'month', ['2025-01-01', '2025-02-01']],
    ['2025-01-15', '2025-03-02', 'month', ['2025-01-01', '2025-02-01', '2025-03-01']],
    ['2025-01-01', '2025-01-01', 'day', []],
  ] as const)('[%s, %s) by %s', (from, to, granularity, want) => {
    expect(isos(bucketStarts(d(from), d(to), granularity))).toEqual(want);
  });

  it('gives the previous period of equal length and the length in weeks', () => {
    expect(previousPeriod(d('2025-03-01'), d('2025-03-15'))).toEqual({
      from: d('2025-02-15'),
      to: d('2025-03-01'),
    });
    expect(weeksBetween(d('2025-01-01'), d('2025-01-15'))).toBe(2);
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
