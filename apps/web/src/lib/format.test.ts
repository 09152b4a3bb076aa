import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatDurationTickIn,
  formatNumber,
  formatPerContributor,
  formatRatio,
  levelInfo,
  levelOrder,
  levelText,
  repositoryLabels,
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

describe('formatNumber', () => {
  it('groups thousands and rounds to the given digits', () => {
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(2.345, 1)).toBe('2.3');
    expect(formatNumber(undefined)).toBe('—');
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

describe('formatPerContributor', () => {
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

describe('formatDurationTickIn', () => {
  it('writes every tick of an axis in the axis unit', () => {
    // Up to 30 hours the axis is in hours: 30h, not 1.3d.
    expect(formatDurationTickIn(30 * 3600, 30 * 3600)).toBe('30h');
    expect(formatDurationTickIn(0, 30 * 3600)).toBe('0');
    expect(formatDurationTickIn(36 * 3600, 5 * 86_400)).toBe('1.5d');
    expect(formatDurationTickIn(90 * 60, 100 * 60)).toBe('90m');
  });
});
