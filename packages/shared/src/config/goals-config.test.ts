import { describe, expect, it } from 'vitest';
import { StrideError } from '../errors.ts';
import { parseStrideConfig } from './stride-config.ts';

function messageOf(input: unknown): string {
  try {
    parseStrideConfig(input);
  } catch (error) {
    if (error instanceof StrideError) return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

const team = { slug: 'payments', name: 'Payments' };

describe('goals, agreements and annotations in the config', () => {
  it('accepts goals with units, agreements, holidays and annotations', () => {
    const config = parseStrideConfig({
      holidays: ['2026-12-25'],
      goals: [{ metric: 'change_failure_rate', statistic: 'value', target: '10%', direction: '<' }],
      annotations: [{ date: '2026-11-02', kind: 'reorg', title: 'Payments split', team: 'payments' }],
      teams: [
        {
          ...team,
          goals: [{ metric: 'pickup_time', statistic: 'p50', target: '4h', direction: '<' }],
          agreements: { pickupBusinessHours: 8, maxPrOpenDays: 5, maxWipPerPerson: 3, maxPrSizeLines: 400 },
          retro: { weekday: 'thursday', hour: 15 },
        },
      ],
    });
    expect(config.teams[0]!.goals).toHaveLength(1);
    expect(config.teams[0]!.retro).toMatchObject({ weekday: 'thursday', hour: 15 });
  });

  it.each([
    [
      {
        teams: [
          { ...team, goals: [{ metric: 'pickup_time', statistic: 'value', target: 1, direction: '<' }] },
        ],
      },
      'teams[0].goals[0].statistic',
    ],
    [
      {
        teams: [
          { ...team, goals: [{ metric: 'pickup_time', statistic: 'p50', target: '10%', direction: '<' }] },
        ],
      },
      'teams[0].goals[0].target',
    ],
    [
      { teams: [{ ...team, goals: [{ metric: 'velocity', statistic: 'p50', target: 1, direction: '<' }] }] },
      'teams[0].goals[0].metric',
    ],
    [
      {
        teams: [{ ...team, goals: [{ metric: 'pr_size', statistic: 'p50', target: 1, direction: 'under' }] }],
      },
      'teams[0].goals[0].direction',
    ],
    [
      { goals: [{ metric: 'pickup_time', statistic: 'p50', target: '4h', direction: '<' }] },
      'goals[0].metric',
    ],
    [{ teams: [{ ...team, agreements: { maxWipPerPerson: 0 } }] }, 'teams[0].agreements.maxWipPerPerson'],
    [{ annotations: [{ date: '2026-11-02', kind: 'party', title: 'x' }] }, 'annotations[0].kind'],
    [
      { annotations: [{ date: '2026-11-02', kind: 'reorg', title: 'x', team: 'ghosts' }] },
      'annotations[0].team',
    ],
    [
      { annotations: [{ date: '2026-11-02', endDate: '2026-11-01', kind: 'freeze', title: 'x' }] },
      'annotations[0].endDate',
    ],
  ])('refuses a bad entry naming its key (%#: %s)', (input, key) => {
    expect(messageOf(input)).toContain(`${key}:`);
  });
});
