import { describe, expect, it } from 'vitest';
import { describeInTimezones } from '../../../../tests/support/timezones.ts';
import {
  bucketEnd,
  completeBuckets,
  isPartialBucket,
  partialBuckets,
  partialNote,
} from './partial-bucket.ts';

// Bucket arithmetic is UTC whatever the browser's timezone.
describeInTimezones(() =>
  describe('isPartialBucket', () => {
    // 2026-11-23 is a Monday; a period ending today (to = tomorrow) leaves the last week with one day.
    const span = { granularity: 'week' as const, from: '2026-08-25', to: '2026-11-24' };

    it('marks a last week extending beyond `to` and a first week starting before `from`', () => {
      expect(isPartialBucket('2026-11-23T00:00:00.000Z', span)).toBe(true);
      expect(isPartialBucket('2026-08-24T00:00:00.000Z', span)).toBe(true);
    });

    it('keeps full weeks, including one ending exactly at `to`', () => {
      expect(isPartialBucket('2026-11-16T00:00:00.000Z', span)).toBe(false);
      expect(isPartialBucket('2026-08-31T00:00:00.000Z', span)).toBe(false);
      expect(isPartialBucket('2026-11-16T00:00:00.000Z', { ...span, to: '2026-11-23' })).toBe(false);
    });

    it('uses the granularity for the bucket end', () => {
      expect(bucketEnd('2026-02-01T00:00:00.000Z', 'month').toISOString()).toBe('2026-03-01T00:00:00.000Z');
      // In New York, local-time month arithmetic ended this bucket on 2026-03-28T23:00Z.
      expect(bucketEnd('2026-03-01T00:00:00.000Z', 'month').toISOString()).toBe('2026-04-01T00:00:00.000Z');
      expect(bucketEnd('2026-10-01T00:00:00.000Z', 'quarter').toISOString()).toBe('2027-01-01T00:00:00.000Z');
      const march = { granularity: 'month' as const, from: '2026-03-01', to: '2026-04-01' };
      expect(isPartialBucket('2026-03-01T00:00:00.000Z', march)).toBe(false);
      const lastMonth = { granularity: 'month' as const, from: '2026-01-01', to: '2026-03-29' };
      expect(isPartialBucket('2026-03-01T00:00:00.000Z', lastMonth)).toBe(true);
      const months = { granularity: 'month' as const, from: '2025-11-24', to: '2026-11-24' };
      expect(isPartialBucket('2026-11-01T00:00:00.000Z', months)).toBe(true);
      expect(isPartialBucket('2025-11-01T00:00:00.000Z', months)).toBe(true);
      expect(isPartialBucket('2026-10-01T00:00:00.000Z', months)).toBe(false);
      const days = { granularity: 'day' as const, from: '2026-11-20', to: '2026-11-24' };
      expect(isPartialBucket('2026-11-23T00:00:00.000Z', days)).toBe(false);
    });

    it('accepts ISO instants for the period', () => {
      const iso = {
        granularity: 'week' as const,
        from: '2026-08-25T00:00:00.000Z',
        to: '2026-11-24T00:00:00.000Z',
      };
      expect(isPartialBucket('2026-11-23T00:00:00.000Z', iso)).toBe(true);
    });

    it('lists partial buckets and drops them from a series', () => {
      const series = ['2026-08-24', '2026-08-31', '2026-11-16', '2026-11-23'].map((d, i) => ({
        bucket: `${d}T00:00:00.000Z`,
        value: i,
      }));
      expect([
        ...partialBuckets(
          series.map((p) => p.bucket),
          span,
        ),
      ]).toEqual([series[0]!.bucket, series[3]!.bucket]);
      expect(completeBuckets(series, span).map((p) => p.value)).toEqual([1, 2]);
    });

    it('writes a footnote only when a bucket is partial', () => {
      expect(partialNote(false, false, 'week')).toBeNull();
      expect(partialNote(false, true, 'week')).toMatch(/partial week, the last bucket/);
      expect(partialNote(true, true, 'month')).toMatch(/partial month, the first and last buckets/);
    });
  }),
);
