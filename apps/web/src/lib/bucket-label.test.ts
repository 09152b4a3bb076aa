import { expect, it } from 'vitest';
import { describeInTimezones } from '../../../../tests/support/timezones.ts';
import { bucketLabel } from './bucket-label.ts';

describeInTimezones(() => {
  it('labels a bucket by its UTC date', () => {
    // In New York, a local-time label of this bucket read "28 Feb".
    expect(bucketLabel('2026-03-01T00:00:00.000Z')).toBe('1 Mar');
    expect(bucketLabel('2026-12-28T00:00:00.000Z', true)).toBe('28 Dec 2026');
    expect(bucketLabel('2025-09-01T00:00:00.000Z', true)).toBe('1 Sep 2025');
    expect(bucketLabel('not a date')).toBe('not a date');
  });
});
