import { describe, expect, it } from 'vitest';
import { checkGoal, describeGoal, evaluateGoal, formatGoalTarget, parseGoalTarget } from './goals.ts';

describe('goal targets', () => {
  it('reads durations, percentages and plain numbers in the figure unit', () => {
    expect(parseGoalTarget('pickup_time', '4h')).toBe(14_400);
    expect(parseGoalTarget('change_lead_time', '2d')).toBe(172_800);
    expect(parseGoalTarget('change_failure_rate', '10%')).toBeCloseTo(0.1);
    expect(parseGoalTarget('change_failure_rate', 0.15)).toBe(0.15);
    expect(parseGoalTarget('pr_size', 300)).toBe(300);
  });
  it('refuses a unit that does not fit the figure', () => {
    expect(parseGoalTarget('pr_size', '10%')).toEqual({ error: expect.stringContaining('only fits a rate') });
    expect(parseGoalTarget('change_failure_rate', '4h')).toEqual({
      error: expect.stringContaining('only fits a time'),
    });
    expect(parseGoalTarget('change_failure_rate', 10)).toEqual({
      error: expect.stringContaining('between 0 and 1'),
    });
    expect(parseGoalTarget('pickup_time', 'soon')).toEqual({ error: expect.stringContaining("'soon'") });
  });
  it('names the field at fault', () => {
    expect(checkGoal({ metric: 'pickup_time', statistic: 'value', scope: 'team' })?.field).toBe('statistic');
    expect(checkGoal({ metric: 'pickup_time', statistic: 'p50', scope: 'org' })?.field).toBe('metric');
    expect(checkGoal({ metric: 'velocity', statistic: 'p50', scope: 'team' })?.field).toBe('metric');
    expect(checkGoal({ metric: 'change_failure_rate', statistic: 'value', scope: 'org' })).toBeNull();
  });
});

describe('goal status in a period', () => {
  const below = { target: 14_400, direction: '<' as const, startDate: null };
  const atLeast = { target: 3, direction: '>=' as const, startDate: null };
  it.each([
    { goal: below, figure: { value: 3600, previous: 7200, n: 12 }, status: 'met' },
    { goal: below, figure: { value: 7200, previous: 3600, n: 12 }, status: 'at_risk' },
    { goal: below, figure: { value: 20_000, previous: 30_000, n: 12 }, status: 'missed' },
    { goal: below, figure: { value: 14_400, previous: null, n: 3 }, status: 'missed' },
    { goal: below, figure: { value: 3600, previous: null, n: 3 }, status: 'met' },
    { goal: below, figure: { value: null, previous: 3600, n: 0 }, status: 'no_data' },
    { goal: atLeast, figure: { value: 3, previous: 4, n: 20 }, status: 'at_risk' },
    { goal: atLeast, figure: { value: 4, previous: 4, n: 20 }, status: 'met' },
    { goal: atLeast, figure: { value: 2, previous: 1, n: 20 }, status: 'missed' },
  ])(
    '$goal.direction $goal.target with $figure.value after $figure.previous: $status',
    ({ goal, figure, status }) => {
      const result = evaluateGoal(goal, figure, '2026-11-30');
      expect(result.status).toBe(status);
      expect(result.n).toBe(figure.n);
    },
  );
  it('is not judged before its start date', () => {
    const goal = { ...below, startDate: '2026-12-01' };
    expect(evaluateGoal(goal, { value: 1, previous: 2, n: 5 }, '2026-11-30').status).toBe('not_started');
    expect(evaluateGoal(goal, { value: 1, previous: 2, n: 5 }, '2026-12-01').status).toBe('met');
  });
});

describe('goals in words', () => {
  it('writes targets in the unit of the figure', () => {
    expect(describeGoal({ metric: 'pickup_time', statistic: 'p50', direction: '<', target: 14_400 })).toBe(
      'Pickup time p50 < 4 h',
    );
    expect(
      describeGoal({ metric: 'change_failure_rate', statistic: 'value', direction: '<=', target: 0.1 }),
    ).toBe('Change failure rate <= 10 %');
    expect(formatGoalTarget('change_lead_time', 172_800)).toBe('2 d');
    expect(formatGoalTarget('pr_size', 300)).toBe('300 lines');
  });
});
