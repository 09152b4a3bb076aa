import type { Trend } from '@stride/shared';
import { describe, expect, it } from 'vitest';
import {
  formatChange,
  formatDuration,
  formatNumber,
  formatPerContributor,
  formatRatio,
  levelInfo,
  levelOrder,
  levelText,
  repositoryLabels,
  trendView,
} from './format.ts';

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [Number.NaN, '—'],
    [0, '0s'],
    [42, '42s'],
    [90, '2m'],
    [3600, '1h'],
    [3600 + 30 * 60, '1h 30m'],
    [86_400, '1d'],
    [86_400 * 2 + 3600 * 4, '2d 4h'],
    [86_400 + 3600 * 23.9, '2d'],
    [-5, '0s'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatRatio', () => {
  it.each([
    [null, '—'],
    [0, '0 %'],
    [0.045, '4.5 %'],
    [0.1, '10 %'],
    [0.125, '13 %'],
    [1, '100 %'],
  ])('%s → %s', (ratio, text) => {
    expect(formatRatio(ratio)).toBe(text);
  });
});

describe('formatNumber and formatChange', () => {
  it('groups thousands and rounds to the given digits', () => {
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(2.345, 1)).toBe('2.3');
    expect(formatNumber(undefined)).toBe('—');
  });
  it('signs changes', () => {
    expect(formatChange(0.123)).toBe('+12 %');
    expect(formatChange(-0.05)).toBe('−5 %');
    expect(formatChange(0.001)).toBe('±0 %');
    expect(formatChange(null)).toBe('—');
  });
});

describe('levels', () => {
  it('give every level a distinct icon and name besides its colour', () => {
    const icons = new Set(levelOrder.map((l) => levelInfo[l].icon));
    const colors = new Set(levelOrder.map((l) => levelInfo[l].color));
    expect(icons.size).toBe(4);
    expect(colors.size).toBe(4);
    for (const level of levelOrder) expect(levelText(level)).toContain(levelInfo[level].label);
    expect(levelText(null)).toBe('No level');
  });

  // WCAG 2.1 contrast ratio, computed here from the colours: level text must reach AA (4.5:1)
  // both on white and on its own tint.
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };
  it.each(levelOrder)('%s colour has AA contrast on white and on its tint', (level) => {
    expect(contrast(levelInfo[level].color, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(levelInfo[level].color, levelInfo[level].tint)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('trendView', () => {
  const trend = (t: Partial<Trend>): Trend => ({
    previous: 10,
    change: 0.2,
    direction: 'up',
    improving: true,
    ...t,
  });
  it('shows an up arrow, the change and "better" for an improving rise', () => {
    expect(trendView(trend({}))).toEqual({
      arrow: '↑',
      tone: 'better',
      label: '+20 %, better vs previous period',
    });
  });
  it('shows a down arrow and "worse" for a worsening fall', () => {
    const view = trendView(trend({ direction: 'down', change: -0.5, improving: false }));
    expect(view.arrow).toBe('↓');
    expect(view.tone).toBe('worse');
    expect(view.label).toContain('−50 %, worse');
  });
  it('says when there is no previous data', () => {
    const view = trendView(trend({ direction: 'none', change: null, previous: null, improving: null }));
    expect(view.tone).toBe('neutral');
    expect(view.label).toBe('no previous data vs previous period');
  });
  it('reads a change that rounds to 0 % as unchanged, neither better nor worse', () => {
    const view = trendView(trend({ direction: 'up', change: 0.004, improving: true }));
    expect(view.tone).toBe('neutral');
    expect(view.label).toBe('unchanged vs previous period');
  });
});

describe('axis ticks', () => {
  it('use the largest unit with one decimal', async () => {
    const { formatTick } = await import('./format.ts');
    expect(formatTick('seconds', 86_400 * 2.5)).toBe('2.5d');
    expect(formatTick('seconds', 3600 * 16)).toBe('16h');
    expect(formatTick('seconds', 2400)).toBe('40m');
    expect(formatTick('ratio', 0.075)).toBe('7.5 %');
    expect(formatTick('count', 1200)).toBe('1,200');
  });
});

describe('durationTicks', () => {
  it('spans the maximum on round values of one unit', async () => {
    const { durationTicks } = await import('./format.ts');
    const DAY = 86_400;
    expect(durationTicks(2.3 * DAY)).toEqual([0, 1, 2, 3].map((d) => d * DAY));
    expect(durationTicks(20 * 3600)).toEqual([0, 5, 10, 15, 20].map((h) => h * 3600));
    expect(durationTicks(50 * 60)).toEqual([0, 20, 40, 60].map((m) => m * 60));
    for (const max of [77, 3601, 9 * DAY, 123_456]) {
      const ticks = durationTicks(max);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(7);
    }
  });
});

describe('no data and unknown trends', () => {
  const trend = (t: Partial<Trend>): Trend => ({
    previous: 10,
    change: 0.2,
    direction: 'up',
    improving: true,
    ...t,
  });
  it('says "no data in the period" without better/worse when the current value is null', () => {
    const view = trendView(trend({ change: null, improving: true }), null);
    expect(view).toEqual({ arrow: '·', tone: 'neutral', label: 'no data in the period' });
  });
  it('drops better/worse when the change is unknown (previous 0 or null)', () => {
    for (const t of [
      trend({ previous: 0, change: null }),
      trend({ previous: null, change: null, direction: 'none' }),
    ]) {
      const view = trendView(t, 5);
      expect(view.tone).toBe('neutral');
      expect(view.label).not.toMatch(/better|worse|—/);
    }
  });
  it('keeps the wording of a known change with a value', () => {
    expect(trendView(trend({}), 12).label).toBe('+20 %, better vs previous period');
  });
  it('shows — per contributor without active contributors', () => {
    expect(formatPerContributor(0, 0)).toBe('—');
    expect(formatPerContributor(null, 3)).toBe('—');
    expect(formatPerContributor(1.25, 3)).toBe('1.3');
  });
});

describe('repositoryLabels', () => {
  it('drops a shared owner and keeps mixed owners', () => {
    expect(repositoryLabels(['ide-demo/checkout-api', 'ide-demo/web'])).toEqual(['checkout-api', 'web']);
    expect(repositoryLabels(['a/x', 'b/y'])).toEqual(['a/x', 'b/y']);
    expect(repositoryLabels([])).toEqual([]);
  });
});
