import { expect, it } from 'vitest';
import { describeInTimezones } from '../../../../tests/support/timezones.ts';
import { bucketLabel } from './period.ts';

describeInTimezones(() => {
  it('labels a bucket by its UTC date', () => {
    // In New York, a local-time label of this bucket read "28 Feb".
    expect(bucketLabel('2026-03-01T00:00:00.000Z', 'day')).toBe('1 Mar');
    expect(bucketLabel('2026-03-01T00:00:00.000Z', 'month')).toBe('Mar 2026');
    expect(bucketLabel('2026-12-28T00:00:00.000Z', 'week', true)).toBe('28 Dec 2026');
    expect(bucketLabel('2026-10-01T00:00:00.000Z', 'quarter')).toBe('Q4 2026');
  });
});
