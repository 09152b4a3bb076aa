import { describe, expect, it } from 'vitest';
import { readJqlDate, zoneOffsetMinutes } from './jql-date.ts';

const iso = (text: string, zone: string) => readJqlDate(text, zone)?.toISOString();

describe('readJqlDate (the fake Jira reading JQL dates in the user timezone)', () => {
  it('reads both separators, with or without a time', () => {
    expect(iso('2022/07/16 06:31', 'Asia/Shanghai')).toBe('2022-07-15T22:31:00.000Z');
    expect(iso('2022-07-16 06:31', 'Asia/Shanghai')).toBe('2022-07-15T22:31:00.000Z');
    expect(iso('2022/07/16', 'Asia/Shanghai')).toBe('2022-07-15T16:00:00.000Z');
    expect(iso('2024-07-01 12:00', 'Europe/Berlin')).toBe('2024-07-01T10:00:00.000Z');
    expect(iso('2024-01-15 12:00', 'America/New_York')).toBe('2024-01-15T17:00:00.000Z');
    expect(iso('2024-01-15 12:00', 'Asia/Kolkata')).toBe('2024-01-15T06:30:00.000Z');
    expect(iso('2024-01-15 00:00', 'UTC')).toBe('2024-01-15T00:00:00.000Z');
  });

  it('takes the earlier instant in an autumn overlap and moves a spring-gap time forward', () => {
    // New York: 2024-11-03 01:30 happens at -04:00 and again at -05:00.
    expect(iso('2024/11/03 01:30', 'America/New_York')).toBe('2024-11-03T05:30:00.000Z');
    // 2024-03-10 02:30 does not exist in New York; java.time reads it as 03:30 EDT.
    expect(iso('2024/03/10 02:30', 'America/New_York')).toBe('2024-03-10T07:30:00.000Z');
    // Just outside the transitions, the plain offset.
    expect(iso('2024/03/10 01:59', 'America/New_York')).toBe('2024-03-10T06:59:00.000Z');
    expect(iso('2024/03/10 03:00', 'America/New_York')).toBe('2024-03-10T07:00:00.000Z');
    expect(iso('2024/11/03 02:00', 'America/New_York')).toBe('2024-11-03T07:00:00.000Z');
  });

  it('refuses what is not a JQL date', () => {
    expect(readJqlDate('yesterday', 'UTC')).toBeUndefined();
    expect(readJqlDate('-1d', 'UTC')).toBeUndefined();
    expect(readJqlDate('2024/02/30', 'UTC')).toBeUndefined();
    expect(readJqlDate('2024/13/01', 'UTC')).toBeUndefined();
    expect(readJqlDate('2024/01/01 24:00', 'UTC')).toBeUndefined();
    expect(readJqlDate('2024/01-01', 'UTC')).toBeUndefined();
  });

  it('reads zone offsets from Intl and throws for an unknown zone', () => {
    expect(zoneOffsetMinutes(Date.UTC(2024, 0, 1), 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(Date.UTC(2024, 0, 1), 'America/Sao_Paulo')).toBe(-180);
    expect(zoneOffsetMinutes(Date.UTC(2024, 0, 1), 'UTC')).toBe(0);
    expect(() => readJqlDate('2024/01/01', 'Mars/Olympus')).toThrow(RangeError);
  });
});
