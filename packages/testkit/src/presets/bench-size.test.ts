import { describe, expect, it } from 'vitest';
import { BENCH_SIZES, parseBenchSize } from './size-presets.ts';

describe('parseBenchSize', () => {
  it('reads --size small|large|xl in both spellings, small by default', () => {
    expect(parseBenchSize([])).toBe('small');
    expect(parseBenchSize(['scale', '--size', 'xl'])).toBe('xl');
    expect(parseBenchSize(['--size=large'])).toBe('large');
    expect(BENCH_SIZES.xl).toMatchObject({ teams: 300, repositories: 2000, years: 2 });
  });
  it('refuses another size with a clear error naming the allowed ones', () => {
    expect(() => parseBenchSize(['--size', 'bogus'])).toThrow(
      "--size must be one of small, large, xl (got 'bogus')",
    );
    expect(() => parseBenchSize(['--size'])).toThrow(/one of small, large, xl/);
    expect(() => parseBenchSize(['--size', 'toString'])).toThrow(/got 'toString'/);
  });
});
