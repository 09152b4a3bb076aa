import { describe, expect, it } from 'vitest';
import { compareNames } from './names.ts';

describe('compareNames', () => {
  it('orders digit runs by number, not character by character', () => {
    const names = ['Team 10', 'Team 2', 'Team 1', 'Team 21', 'Team 3'];
    expect([...names].sort(compareNames)).toEqual(['Team 1', 'Team 2', 'Team 3', 'Team 10', 'Team 21']);
  });
  it('ignores case and accents, and leaves ties to the caller', () => {
    expect(compareNames('payments', 'Platform')).toBeLessThan(0);
    expect(compareNames('Équipe', 'Eagle')).toBeGreaterThan(0);
    expect(compareNames('Ops', 'ops')).toBe(0);
  });
});
