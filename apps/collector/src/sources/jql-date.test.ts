import { describe, expect, it } from 'vitest';
import { formatJqlDate, parseJqlDate } from './jql-date.ts';

describe('JQL dates', () => {
  it('formats in the user timezone, rounded down to the minute, and parses back', () => {
    const instant = new Date('2022-07-15T22:31:38.612Z');
    expect(formatJqlDate(instant, 'Asia/Shanghai')).toBe('2022/07/16 06:31');
    expect(formatJqlDate(instant, 'UTC')).toBe('2022/07/15 22:31');
    expect(parseJqlDate('2022/07/16 06:31', 'Asia/Shanghai')?.toISOString()).toBe('2022-07-15T22:31:00.000Z');
    // Across a DST change (Berlin, summer time).
    expect(parseJqlDate('2024/07/01 12:00', 'Europe/Berlin')?.toISOString()).toBe('2024-07-01T10:00:00.000Z');
    expect(parseJqlDate('yesterday', 'UTC')).toBeUndefined();
  });
});
