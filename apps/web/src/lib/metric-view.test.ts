import type { DoraMetrics, SeriesPoint, Trend } from '@stride/shared';
import { describe, expect, it } from 'vitest';
import { headlineSeries, mergeSeries, viewMetric } from './metric-view.ts';

const trend: Trend = { previous: null, change: null, direction: 'none', improving: null };
const series: SeriesPoint[] = [{ bucket: '2026-11-02T00:00:00.000Z', value: 3, n: 3 }];
const metrics: DoraMetrics = {
  deploymentFrequency: {
    unit: 'count',
    value: 12,
    n: 12,
    perWeek: 3,
    deploymentDays: 10,
    medianDeploymentDaysPerWeek: 2.5,
    level: 'high',
    trend,
    series,
  },
  changeLeadTime: {
    unit: 'seconds',
    p50: 7200,
    p90: 86_400,
    n: 20,
    attribution: { commit: 15, time: 5 },
    level: 'elite',
    trend,
    series,
  },
  changeFailureRate: { unit: 'ratio', value: 0.25, failed: 3, n: 12, level: 'low', trend, series },
  failedDeploymentRecoveryTime: { unit: 'seconds', p50: null, p90: null, n: 0, level: null, trend, series },
  deploymentReworkRate: { unit: 'ratio', value: 1 / 12, unplanned: 1, n: 12, level: null, trend, series },
};

describe('viewMetric', () => {
  it('headlines each metric with its defined statistic', () => {
    expect(viewMetric(metrics, 'deploymentFrequency')).toMatchObject({
      value: 3,
      text: '3/week',
      level: 'high',
    });
    expect(viewMetric(metrics, 'changeLeadTime')).toMatchObject({ value: 7200, text: '2h', level: 'elite' });
    expect(viewMetric(metrics, 'changeLeadTime').detail).toContain('p90 1d');
    expect(viewMetric(metrics, 'changeFailureRate')).toMatchObject({
      value: 0.25,
      text: '25 %',
      level: 'low',
    });
    expect(viewMetric(metrics, 'changeFailureRate').detail).toBe('3 failed of 12 deployments');
    // The basis says n once (the board pack read "n = 12 deployments: 3 failed of 12 deployments").
    expect(viewMetric(metrics, 'changeFailureRate').basis).toBe('n = 12 deployments, 3 failed');
    expect(viewMetric(metrics, 'changeLeadTime').basis).toBe('n = 20 changes; p50 shown, p90 1d');
    expect(viewMetric(metrics, 'failedDeploymentRecoveryTime').basis).toBe('n = 0 incidents');
    for (const key of ['deploymentFrequency', 'changeFailureRate', 'deploymentReworkRate'] as const) {
      const basis = viewMetric(metrics, key).basis;
      expect(basis.match(/\d+ deployments/g), basis).toHaveLength(1);
    }
    expect(viewMetric(metrics, 'failedDeploymentRecoveryTime')).toMatchObject({
      value: null,
      text: '—',
      level: null,
    });
    expect(viewMetric(metrics, 'deploymentReworkRate')).toMatchObject({ text: '8.3 %', level: null });
  });
});

describe('viewMetric: sample, change and previous figure', () => {
  const withTrend = (t: Partial<Trend>): Trend => ({ ...trend, ...t });
  it('compares deployment frequency per week with per week, not a rate with a count', () => {
    // 91 days = 13 weeks: 1,183 deployments before are 91/week, not "(was 1,183)".
    const m: DoraMetrics = {
      ...metrics,
      deploymentFrequency: {
        ...metrics.deploymentFrequency,
        value: 1239,
        n: 1239,
        perWeek: 95.3,
        trend: withTrend({ previous: 1183, change: 56 / 1183, direction: 'up', improving: true }),
      },
    };
    const view = viewMetric(m, 'deploymentFrequency', { from: '2026-07-01', to: '2026-09-30' });
    expect(view.text).toBe('95.3/week');
    expect(view.previousText).toBe('91/week');
    expect(view.change.label).toBe('+5 %, better');
  });
  it('shows a rate change in percentage points and a rise from 0 % as worse', () => {
    const m: DoraMetrics = {
      ...metrics,
      changeFailureRate: {
        ...metrics.changeFailureRate,
        value: 1 / 3,
        failed: 1,
        n: 3,
        trend: withTrend({ previous: 0, change: null, direction: 'up', improving: false }),
      },
    };
    const view = viewMetric(m, 'changeFailureRate');
    expect(view.change).toMatchObject({ text: '+33 pp', tone: 'worse', arrow: '↑' });
    expect(view.previousText).toBe('0 %');
  });
  it('marks a level on fewer than 5 items as too few, and names the sample', () => {
    const m: DoraMetrics = {
      ...metrics,
      failedDeploymentRecoveryTime: {
        ...metrics.failedDeploymentRecoveryTime,
        p50: 26 * 86_400,
        n: 1,
        level: 'low',
      },
    };
    const view = viewMetric(m, 'failedDeploymentRecoveryTime');
    expect(view).toMatchObject({ tooFew: true, sample: '1 incident' });
    expect(viewMetric(metrics, 'changeLeadTime')).toMatchObject({ tooFew: false, sample: '20 changes' });
  });
});

describe('mergeSeries', () => {
  it('joins series by bucket, sorted, with null where a scope has no point', () => {
    const rows = mergeSeries([
      {
        key: 'a',
        series: [
          { bucket: '2026-11-09', value: 2, n: 1 },
          { bucket: '2026-11-02', value: 1, n: 1 },
        ],
      },
      { key: 'b', series: [{ bucket: '2026-11-09', value: 5, n: 1 }] },
    ]);
    expect(rows).toEqual([
      { bucket: '2026-11-02', a: 1, 'a:n': 1, b: null, 'b:n': 0 },
      { bucket: '2026-11-09', a: 2, 'a:n': 1, b: 5, 'b:n': 1 },
    ]);
  });
});

describe('bucketPeriod', () => {
  const period = { from: '2026-08-26', to: '2026-11-24' };

  it('spans one bucket, clipped to the period end', async () => {
    const { bucketPeriod } = await import('./drill.ts');
    expect(bucketPeriod('2026-11-02T00:00:00.000Z', 'week', period)).toEqual({
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-11-09T00:00:00.000Z',
    });
    expect(bucketPeriod('2026-11-23T00:00:00.000Z', 'week', period)).toEqual({
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-24T00:00:00.000Z',
    });
    expect(
      bucketPeriod('2026-10-01T00:00:00.000Z', 'month', { from: '2026-10-01', to: '2027-01-01' }).to,
    ).toBe('2026-11-01T00:00:00.000Z');
  });

  // The first bucket's figure counts only the period's part of it: so does its drill-down.
  it('clips a first bucket starting before the period to the period start', async () => {
    const { bucketPeriod } = await import('./drill.ts');
    expect(bucketPeriod('2026-08-24T00:00:00.000Z', 'week', period)).toEqual({
      from: '2026-08-26T00:00:00.000Z',
      to: '2026-08-31T00:00:00.000Z',
    });
  });
});

describe('headlineSeries', () => {
  const counts = (points: SeriesPoint[]): DoraMetrics => ({
    ...metrics,
    deploymentFrequency: { ...metrics.deploymentFrequency, series: points },
  });
  it('draws deployment frequency per week like its headline, over the part of each bucket in the period', () => {
    const summary = {
      metrics: counts([
        // March: 31 days, 31 deployments → 7/week.
        { bucket: '2026-03-01T00:00:00.000Z', value: 31, n: 31 },
        // April: only its first 7 days are in the period, 2 deployments → 2/week.
        { bucket: '2026-04-01T00:00:00.000Z', value: 2, n: 2 },
        { bucket: '2026-02-01T00:00:00.000Z', value: null, n: 0 },
      ]),
      granularity: 'month' as const,
      period: { from: '2026-02-01', to: '2026-04-08' },
    };
    const points = headlineSeries(summary, 'deploymentFrequency');
    expect(points[0]).toEqual({ bucket: '2026-03-01T00:00:00.000Z', value: 7, n: 31 });
    expect(points[1]!.value).toBeCloseTo(2, 10);
    expect(points[1]!.n).toBe(2);
    expect(points[2]!.value).toBeNull();
    // A week is a week: weekly counts are already per week.
    const weekly = headlineSeries(
      {
        metrics: counts([{ bucket: '2026-03-02T00:00:00.000Z', value: 4, n: 4 }]),
        granularity: 'week',
        period: { from: '2026-03-02', to: '2026-03-30' },
      },
      'deploymentFrequency',
    );
    expect(weekly[0]!.value).toBe(4);
  });

  it('leaves the other metrics as they are', () => {
    const summary = {
      metrics,
      granularity: 'month' as const,
      period: { from: '2026-10-01', to: '2026-12-01' },
    };
    expect(headlineSeries(summary, 'changeLeadTime')).toBe(metrics.changeLeadTime.series);
  });
});
