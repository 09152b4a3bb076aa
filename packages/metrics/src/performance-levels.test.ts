import { describe, expect, it } from 'vitest';
import { BENCHMARK_CLUSTERS, benchmarkReference } from './benchmarks.ts';
import {
  changeFailureRateLevel,
  deploymentFrequencyLevel,
  leadTimeLevel,
  recoveryTimeLevel,
} from './performance-levels.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe('change lead time level (p50 seconds; same in 2023 and 2024)', () => {
  it.each([
    [null, null],
    [0, 'elite'],
    [DAY, 'elite'], // on the boundary: the better level
    [DAY + 1, 'high'],
    [7 * DAY, 'high'],
    [7 * DAY + 1, 'medium'],
    [30 * DAY, 'medium'],
    [30 * DAY + 1, 'low'],
  ] as const)('%s -> %s', (value, level) => {
    expect(leadTimeLevel(value, 2023)).toBe(level);
    expect(leadTimeLevel(value, 2024)).toBe(level);
  });
});

describe('failed deployment recovery time level (p50 seconds)', () => {
  it.each([
    [null, null],
    [HOUR, 'elite'],
    [HOUR + 1, 'high'],
    [DAY, 'high'],
    [DAY + 1, 'medium'],
    [7 * DAY, 'medium'],
    [7 * DAY + 1, 'low'],
  ] as const)('%s -> %s', (value, level) => {
    expect(recoveryTimeLevel(value, 2023)).toBe(level);
    expect(recoveryTimeLevel(value, 2024)).toBe(level);
  });
});

describe('change failure rate level by report year', () => {
  it.each([
    // rate, 2023, 2024
    [null, null, null],
    [0, 'elite', 'elite'],
    [0.05, 'elite', 'elite'],
    [0.06, 'high', 'high'],
    [0.1, 'high', 'high'], // 2024's medium cluster sits at 10 %, yet 10 % is high: levels come from boundaries
    [0.12, 'medium', 'high'],
    [0.15, 'medium', 'high'],
    [0.16, 'low', 'high'],
    [0.2, 'low', 'high'],
    [0.21, 'low', 'medium'],
    [0.4, 'low', 'medium'],
    [0.41, 'low', 'low'],
    [1, 'low', 'low'],
  ] as const)('%s -> 2023 %s, 2024 %s', (rate, level2023, level2024) => {
    expect(changeFailureRateLevel(rate, 2023)).toBe(level2023);
    expect(changeFailureRateLevel(rate, 2024)).toBe(level2024);
  });

  it('keeps the 2024 quirk in the reference strip: medium has a lower failure rate than high', () => {
    const ref = benchmarkReference(2024);
    const rate = (cluster: string) =>
      Number.parseFloat(ref.clusters.find((c) => c.cluster === cluster)!.changeFailureRate);
    expect(rate('medium')).toBeLessThan(rate('high'));
    expect(ref.source).toMatch(/2024/);
    expect(BENCHMARK_CLUSTERS).toHaveLength(8);
    expect(benchmarkReference(2023).clusters.map((c) => c.share)).toEqual([0.18, 0.31, 0.33, 0.17]);
  });
});

describe('deployment frequency level (median deployment days per week, per 30-day month)', () => {
  it.each([
    [null, null, null],
    [5, 20, 'elite'],
    [7, 30, 'elite'],
    [4.5, 18, 'high'],
    [1, 4, 'high'],
    [0.5, 2, 'medium'],
    [0, 1, 'medium'],
    [0, 0, 'low'],
  ] as const)('week %s, month %s -> %s', (week, month, level) => {
    expect(deploymentFrequencyLevel(week, month, 2023)).toBe(level);
    expect(deploymentFrequencyLevel(week, month, 2024)).toBe(level);
  });
});
