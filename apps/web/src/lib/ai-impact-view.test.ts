import type { AiMetricComparison } from '@stride/shared';
import { describe, expect, it } from 'vitest';
import {
  aiDifferenceText,
  aiDifferenceVerdict,
  formatAiDifference,
  formatAiValue,
} from './ai-impact-view.ts';

const m = (over: Partial<AiMetricComparison>): AiMetricComparison => ({
  metric: 'codingTime',
  statistic: 'median',
  unit: 'seconds',
  group: { n: 40, value: 3600, p90: 7200 },
  baseline: { n: 50, value: 15600, p90: 30000 },
  enoughData: true,
  difference: -12000,
  low: -18000,
  high: -3600,
  ...over,
});

describe('AI impact view', () => {
  it('formats each unit, rates in percentage points', () => {
    expect(formatAiValue('seconds', 3600)).toBe('1h');
    expect(formatAiValue('ratio', 0.125)).toBe('12.5 %');
    expect(formatAiValue('count', null)).toBe('—');
    expect(formatAiDifference('ratio', 0.042)).toBe('+4.2 pp');
    expect(formatAiDifference('seconds', -12000)).toBe('−3h 20m');
  });

  it('gives the difference with its interval, or says why there is none with both n', () => {
    expect(aiDifferenceText(m({}), 10)).toBe('−3h 20m (95 % CI −5h to −1h)');
    expect(
      aiDifferenceText(
        m({ enoughData: false, difference: null, low: null, high: null, group: { n: 7, value: 1, p90: 1 } }),
        10,
      ),
    ).toBe('not enough data (n 7 and 50; at least 10 each)');
  });

  it('calls a difference only when the interval excludes zero', () => {
    expect(aiDifferenceVerdict(m({}))).toBe('better');
    expect(aiDifferenceVerdict(m({ low: -10, high: 20 }))).toBe('unclear');
    expect(aiDifferenceVerdict(m({ low: 0.01, high: 0.2, unit: 'ratio' }))).toBe('worse');
    expect(aiDifferenceVerdict(m({ enoughData: false, low: null, high: null }))).toBeNull();
  });
});
