import { describe, expect, it } from 'vitest';
import { describeInTimezones } from '../../../../tests/support/timezones.ts';
import { bucketLabel, defaultGranularity, parseFilters, resolvePreset } from './period.ts';

const today = new Date('2026-12-01T10:00:00Z');

// Board meetings: quarters, a "Last 4 quarters" preset, long ranges by month or quarter.
describeInTimezones(() => {
  describe('Last 4 quarters', () => {
    it('spans the four full calendar quarters before this one', () => {
      expect(resolvePreset('last-4-quarters', today)).toEqual({ from: '2025-10-01', to: '2026-10-01' });
      expect(resolvePreset('last-4-quarters', new Date('2026-01-01T00:00:00Z'))).toEqual({
        from: '2025-01-01',
        to: '2026-01-01',
      });
    });
    it('is shown by quarter unless the URL asks otherwise', () => {
      expect(parseFilters(new URLSearchParams('period=last-4-quarters'), today)).toMatchObject({
        preset: 'last-4-quarters',
        from: '2025-10-01',
        to: '2026-10-01',
        granularity: 'quarter',
      });
      expect(
        parseFilters(new URLSearchParams('period=last-4-quarters&granularity=month'), today).granularity,
      ).toBe('month');
    });
  });

  describe('defaultGranularity', () => {
    it('shows a year or more by month or quarter, never by week', () => {
      expect(defaultGranularity('2026-08-26', '2026-11-24')).toBe('week');
      expect(defaultGranularity('2025-11-24', '2026-11-24')).toBe('month');
      expect(defaultGranularity('2024-01-01', '2026-11-24')).toBe('quarter');
      expect(
        parseFilters(new URLSearchParams('period=custom&from=2025-01-01&to=2026-01-01'), today).granularity,
      ).toBe('month');
    });
    it('accepts granularity=quarter from the URL', () => {
      expect(parseFilters(new URLSearchParams('period=year&granularity=quarter'), today).granularity).toBe(
        'quarter',
      );
    });
  });

  describe('bucketLabel', () => {
    it('names quarters, months and days in UTC', () => {
      expect(bucketLabel('2026-07-01T00:00:00.000Z', 'quarter')).toBe('Q3 2026');
      expect(bucketLabel('2026-01-01T00:00:00.000Z', 'quarter')).toBe('Q1 2026');
      expect(bucketLabel('2026-07-01T00:00:00.000Z', 'month')).toBe('Jul 2026');
      expect(bucketLabel('2026-09-07T00:00:00.000Z', 'week')).toBe('7 Sep');
      expect(bucketLabel('2026-09-07T00:00:00.000Z', 'day', true)).toBe('7 Sep 2026');
    });
  });
});
