import { describe, expect, it } from 'vitest';
import { describeInTimezones } from '../../../../tests/support/timezones.ts';
import {
  defaultRetroDate,
  metricsQuery,
  parseFilters,
  periodText,
  resolvePreset,
  resolveRetroDate,
  retroPeriods,
  writeFilters,
} from './period.ts';

const today = new Date('2026-11-23T10:00:00Z');

// The dashboard's dates are UTC dates whatever the browser's timezone.
describeInTimezones(() => {
  describe('resolvePreset', () => {
    it('ends tomorrow (exclusive) so today counts', () => {
      expect(resolvePreset('30d', today)).toEqual({ from: '2026-10-25', to: '2026-11-24' });
      expect(resolvePreset('90d', today)).toEqual({ from: '2026-08-26', to: '2026-11-24' });
      expect(resolvePreset('quarter', today)).toEqual({ from: '2026-10-01', to: '2026-11-24' });
      expect(resolvePreset('last-quarter', today)).toEqual({ from: '2026-07-01', to: '2026-10-01' });
      expect(resolvePreset('last-quarter', new Date('2026-02-10T00:00:00Z'))).toEqual({
        from: '2025-10-01',
        to: '2026-01-01',
      });
      expect(resolvePreset('year', today).from).toBe('2025-11-24');
    });
  });

  describe('parseFilters / writeFilters', () => {
    it('defaults to the last 90 days, weekly, benchmark 2023', () => {
      const f = parseFilters(new URLSearchParams(), today);
      expect(f).toEqual({
        preset: '90d',
        from: '2026-08-26',
        to: '2026-11-24',
        granularity: 'week',
        benchmark: 2023,
      });
    });

    it('round-trips a custom range through the URL', () => {
      const params = writeFilters(new URLSearchParams('retro=2026-11-01'), {
        preset: 'custom',
        from: '2026-01-01',
        to: '2026-07-01',
        granularity: 'month',
        benchmark: 2024,
      });
      expect(params.get('retro')).toBe('2026-11-01');
      expect(parseFilters(params, today)).toEqual({
        preset: 'custom',
        from: '2026-01-01',
        to: '2026-07-01',
        granularity: 'month',
        benchmark: 2024,
      });
    });

    it('picks monthly buckets for a year and ignores invalid values', () => {
      expect(parseFilters(new URLSearchParams('period=year'), today).granularity).toBe('month');
      const f = parseFilters(
        new URLSearchParams('period=custom&from=2026-05-01&to=2026-01-01&benchmark=1999'),
        today,
      );
      expect(f.preset).toBe('90d');
      expect(f.benchmark).toBe(2023);
    });

    it('gives the API query', () => {
      const f = parseFilters(new URLSearchParams('period=30d&benchmark=2024&granularity=day'), today);
      expect(metricsQuery(f)).toEqual({
        from: '2026-10-25',
        to: '2026-11-24',
        granularity: 'day',
        benchmark: '2024',
      });
    });
  });

  describe('retroPeriods', () => {
    it('compares the period since the retro with the equal period before it', () => {
      expect(retroPeriods('2026-11-10', '2026-11-24')).toEqual({
        current: { from: '2026-11-10', to: '2026-11-24' },
        before: { from: '2026-10-27', to: '2026-11-10' },
      });
    });
  });

  describe('periodText', () => {
    it('shows the inclusive end date', () => {
      expect(periodText('2026-10-25', '2026-11-24')).toBe('2026-10-25 – 2026-11-23');
    });
  });

  describe('near midnight UTC', () => {
    it('takes today as the UTC date', () => {
      // 02:00 UTC is still the day before in New York; 22:00 UTC already the next day in Kolkata.
      expect(resolvePreset('30d', new Date('2026-11-23T02:00:00Z'))).toEqual({
        from: '2026-10-25',
        to: '2026-11-24',
      });
      expect(resolvePreset('30d', new Date('2026-11-23T22:00:00Z'))).toEqual({
        from: '2026-10-25',
        to: '2026-11-24',
      });
      expect(resolvePreset('quarter', new Date('2026-10-01T01:00:00Z')).from).toBe('2026-10-01');
      expect(resolvePreset('last-quarter', new Date('2026-09-30T22:00:00Z'))).toEqual({
        from: '2026-04-01',
        to: '2026-07-01',
      });
    });

    it('sets the default retro date two weeks before the period end', () => {
      expect(defaultRetroDate('2026-11-24')).toBe('2026-11-10');
      expect(defaultRetroDate('2026-03-15')).toBe('2026-03-01');
      expect(resolveRetroDate(null, '2026-11-24')).toBe('2026-11-10');
      expect(resolveRetroDate('2026-11-01', '2026-11-24')).toBe('2026-11-01');
      // A hand-edited link does not break the page.
      expect(resolveRetroDate('2026-02-30', '2026-11-24')).toBe('2026-11-10');
      expect(resolveRetroDate('2026-12-01', '2026-11-24')).toBe('2026-11-10');
    });

    it('counts period lengths in UTC calendar days over daylight-saving changes', () => {
      expect(retroPeriods('2026-03-15', '2026-03-29')).toEqual({
        current: { from: '2026-03-15', to: '2026-03-29' },
        before: { from: '2026-03-01', to: '2026-03-15' },
      });
      expect(periodText('2026-03-01', '2026-04-01')).toBe('2026-03-01 – 2026-03-31');
    });
  });
});
