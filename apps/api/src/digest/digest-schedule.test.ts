import { describe, expect, it } from 'vitest';
import { latestDigestOccurrence } from './digest-schedule.ts';

describe('digest schedule in the team timezone', () => {
  it('weekly: the last weekday and hour passed, local time', () => {
    // Thursday 15:00 in Berlin is 14:00Z in winter.
    const schedule = { timezone: 'Europe/Berlin', weekday: 'thursday' as const, hour: 15 };
    expect(latestDigestOccurrence(schedule, new Date('2026-11-26T14:30:00Z'))).toEqual({
      dueAt: new Date('2026-11-26T14:00:00Z'),
      from: '2026-11-19',
      to: '2026-11-26',
    });
    // 13:59Z is still before it: last week's.
    expect(latestDigestOccurrence(schedule, new Date('2026-11-26T13:59:00Z'))!.dueAt).toEqual(
      new Date('2026-11-19T14:00:00Z'),
    );
  });
  it('N hours before each retro; the period runs retro to retro', () => {
    const schedule = {
      timezone: 'America/New_York',
      hour: 9,
      retros: ['2026-11-12', '2026-11-26'],
      hoursBeforeRetro: 2,
    };
    // 26 Nov 10:00 New York = 15:00Z; due 13:00Z.
    expect(latestDigestOccurrence(schedule, new Date('2026-11-26T13:00:00Z'))).toEqual({
      dueAt: new Date('2026-11-26T13:00:00Z'),
      from: '2026-11-12',
      to: '2026-11-26',
    });
    expect(latestDigestOccurrence(schedule, new Date('2026-11-26T12:59:00Z'))!.to).toBe('2026-11-12');
    expect(latestDigestOccurrence(schedule, new Date('2026-11-01T00:00:00Z'))).toBeNull();
  });
});
