import { describe, expect, it } from 'vitest';
import { describeChange, formatPointChange, periodLabel } from './change.ts';
import { formatNumber, formatRatio } from './format.ts';

describe('describeChange: rates move in percentage points', () => {
  it('reads 20 % → 67 % as +47 pp, not +233 %', () => {
    const view = describeChange({ unit: 'ratio', previous: 0.2, current: 2 / 3, better: 'lower' });
    expect(view).toMatchObject({ direction: 'up', arrow: '↑', tone: 'worse', text: '+47 pp' });
    expect(view.label).toBe('+47 pp, worse');
  });
  it('reads 14 % after 14 % as unchanged, not −5 %', () => {
    // 0.1429 vs 0.1365: both shown as 14 %; a relative change would say +5 %.
    const view = describeChange({ unit: 'ratio', previous: 0.1365, current: 0.1429, better: 'lower' });
    expect(formatRatio(0.1365)).toBe(formatRatio(0.1429));
    expect(view).toMatchObject({ direction: 'flat', tone: 'neutral', text: 'unchanged' });
  });
  it('uses one decimal where the rates are shown with one (under 10 %)', () => {
    expect(formatPointChange(0.045, 0.04)).toBe('−0.5 pp');
    expect(formatPointChange(0.04, 0.12)).toBe('+8 pp');
    expect(formatPointChange(0.3, 0.25)).toBe('−5 pp');
  });
  it('keeps relative % for durations and counts', () => {
    expect(describeChange({ unit: 'seconds', previous: 3600, current: 5400, better: 'lower' })).toMatchObject(
      { text: '+50 %', tone: 'worse', label: '+50 %, worse' },
    );
    expect(describeChange({ unit: 'count', previous: 10, current: 12, better: 'higher' }).label).toBe(
      '+20 %, better',
    );
  });
});

describe('describeChange: a move from zero has a direction', () => {
  it('reads 0 % → 33 % as +33 pp, worse', () => {
    const view = describeChange({ unit: 'ratio', previous: 0, current: 1 / 3, better: 'lower' });
    expect(view).toMatchObject({ direction: 'up', arrow: '↑', tone: 'worse', text: '+33 pp' });
  });
  it('reads 0 → 1 merged without review as 0 → 1, worse', () => {
    const view = describeChange({
      unit: 'count',
      previous: 0,
      current: 1,
      better: 'lower',
      format: (v) => formatNumber(v),
    });
    expect(view).toMatchObject({ direction: 'up', arrow: '↑', tone: 'worse', label: '0 → 1, worse' });
  });
  it('reads 0 → 4 deployments as better when more is better', () => {
    expect(describeChange({ unit: 'count', previous: 0, current: 4, better: 'higher' }).tone).toBe('better');
  });
  it('reads a fall to zero as −100 %', () => {
    expect(describeChange({ unit: 'count', previous: 3, current: 0, better: 'lower' }).label).toBe(
      '−100 %, better',
    );
  });
});

describe('describeChange: unknown and negligible changes', () => {
  it('says "no data in the period" without a tone when the current value is missing', () => {
    expect(describeChange({ unit: 'ratio', previous: 0.2, current: null, better: 'lower' })).toEqual({
      direction: 'none',
      arrow: '·',
      tone: 'neutral',
      text: '—',
      label: 'no data in the period',
    });
  });
  it('says "no previous data" without a tone when the previous value is missing', () => {
    const view = describeChange({ unit: 'seconds', previous: null, current: 60, better: 'lower' });
    expect(view).toMatchObject({ tone: 'neutral', label: 'no previous data' });
  });
  it('reads a change that rounds to 0 % as unchanged, neither better nor worse', () => {
    const view = describeChange({ unit: 'count', previous: 1000, current: 1004, better: 'higher' });
    expect(view).toMatchObject({ direction: 'flat', tone: 'neutral', label: 'unchanged' });
  });
  it('has no tone for a figure that is neither better higher nor lower', () => {
    expect(describeChange({ unit: 'count', previous: 2, current: 3, better: null }).label).toBe('+50 %');
  });
});

describe('periodLabel', () => {
  it('names a period with its year, end inclusive, in UTC', () => {
    expect(periodLabel({ from: '2026-07-02', to: '2026-10-01' })).toBe('2 Jul – 30 Sep 2026');
    expect(periodLabel({ from: '2026-07-31T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' })).toBe(
      '31 Jul – 30 Sep 2026',
    );
    expect(periodLabel({ from: '2025-12-15', to: '2026-01-15' })).toBe('15 Dec 2025 – 14 Jan 2026');
    expect(periodLabel({ from: '2026-11-03', to: '2026-11-04' })).toBe('3 Nov 2026');
  });
});
