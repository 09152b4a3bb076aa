import { describe, expect, it } from 'vitest';
import { busFactor, teamSizeBand } from './team-size.ts';
import { computeTrend } from './trend.ts';

describe('trend against the previous period', () => {
  it.each([
    {
      current: 10,
      previous: 5,
      better: 'higher',
      want: { previous: 5, change: 1, direction: 'up', improving: true },
    },
    {
      current: 5,
      previous: 10,
      better: 'higher',
      want: { previous: 10, change: -0.5, direction: 'down', improving: false },
    },
    {
      current: 3600,
      previous: 7200,
      better: 'lower',
      want: { previous: 7200, change: -0.5, direction: 'down', improving: true },
    },
    {
      current: 0.2,
      previous: 0.1,
      better: 'lower',
      want: { previous: 0.1, change: 1, direction: 'up', improving: false },
    },
    {
      current: 4,
      previous: 4,
      better: 'lower',
      want: { previous: 4, change: 0, direction: 'flat', improving: null },
    },
    {
      current: 3,
      previous: 0,
      better: 'higher',
      want: { previous: 0, change: null, direction: 'up', improving: true },
    },
    {
      current: null,
      previous: 5,
      better: 'lower',
      want: { previous: 5, change: null, direction: 'none', improving: null },
    },
    {
      current: 5,
      previous: null,
      better: 'lower',
      want: { previous: null, change: null, direction: 'none', improving: null },
    },
  ] as const)('$current vs $previous ($better is better)', ({ current, previous, better, want }) => {
    expect(computeTrend(current, previous, better)).toEqual(want);
  });
});

describe('team size band', () => {
  it.each([
    [0, 'fragile'],
    [3, 'fragile'],
    [4, 'small'],
    [7, 'small'],
    [8, 'medium'],
    [11, 'medium'],
    [12, 'large'],
    [40, 'large'],
  ] as const)('%s members -> %s', (members, band) => {
    expect(teamSizeBand(members)).toBe(band);
  });

  it('rejects a negative or fractional size', () => {
    expect(() => teamSizeBand(-1)).toThrow(RangeError);
    expect(() => teamSizeBand(2.5)).toThrow(RangeError);
  });
});

describe('bus factor: fewest authors making at least half of the merged PRs', () => {
  it.each([
    [[], null],
    [[0, 0], null],
    [[10], 1],
    [[5, 5], 1], // exactly half counts
    [[4, 3, 3], 2],
    [[1, 1, 1, 1, 1], 3],
    [[2, 9, 1], 1],
  ] as const)('%j -> %s', (counts, want) => {
    expect(busFactor(counts)).toBe(want);
  });
});
