import type { SeriesPoint } from '@stride/shared';
import { describe, expect, it } from 'vitest';
import { doraTrendCsv, exportFileName, slidePeriod } from './chart-export.ts';
import { sampleNouns } from './sample.ts';

const week = (day: string, value: number | null, n: number): SeriesPoint => ({
  bucket: `2026-09-${day}T00:00:00.000Z`,
  value,
  n,
});

describe('doraTrendCsv', () => {
  it('writes durations as whole seconds plus hours, with units in the header', () => {
    const csv = doraTrendCsv(
      'changeLeadTime',
      'week',
      [
        { label: 'Organisation', series: [week('07', 93_784.4, 12), week('14', null, 0)] },
        { label: 'Checkout', series: [week('07', 3_600, 2)] },
      ],
      sampleNouns.changes,
    );
    expect(csv.header).toEqual([
      'week starting (UTC, YYYY-MM-DD)',
      'Organisation change lead time p50 (seconds)',
      'Organisation change lead time p50 (hours)',
      'Organisation n (changes)',
      'Checkout change lead time p50 (seconds)',
      'Checkout change lead time p50 (hours)',
      'Checkout n (changes)',
    ]);
    expect(csv.rows).toEqual([
      ['2026-09-07', 93_784, 26.05, 12, 3600, 1, 2],
      ['2026-09-14', null, null, 0, null, null, 0],
    ]);
  });

  it('writes rates in % and deployment frequency per week', () => {
    const rate = doraTrendCsv(
      'changeFailureRate',
      'month',
      [{ label: 'Organisation', series: [week('01', 1 / 3, 3)] }],
      sampleNouns.deployments,
    );
    expect(rate.header).toEqual([
      'month starting (UTC, YYYY-MM-DD)',
      'Organisation change failure rate (%)',
      'Organisation n (deployments)',
    ]);
    expect(rate.rows).toEqual([['2026-09-01', 33.3, 3]]);
    const frequency = doraTrendCsv(
      'deploymentFrequency',
      'month',
      [{ label: 'Organisation', series: [week('01', 12 / 4.2857, 12)] }],
      sampleNouns.deployments,
    );
    expect(frequency.header[1]).toBe('Organisation deployment frequency (deployments per week)');
    expect(frequency.rows[0]).toEqual(['2026-09-01', 2.8, 12]);
  });
});

describe('slide text', () => {
  it('names scope, metric and period (end inclusive) in the file name', () => {
    expect(exportFileName('Organisation', 'Change lead time', { from: '2026-09-07', to: '2026-10-05' })).toBe(
      'organisation-change-lead-time-2026-09-07-to-2026-10-04',
    );
    expect(
      exportFileName('Checkout', 'Rework rate', {
        from: '2026-09-07T00:00:00.000Z',
        to: '2026-10-05T00:00:00.000Z',
      }),
    ).toBe('checkout-rework-rate-2026-09-07-to-2026-10-04');
  });

  it('gives the period with its year and the previous period', () => {
    expect(
      slidePeriod({ from: '2026-09-07', to: '2026-10-05' }, { from: '2026-08-10', to: '2026-09-07' }),
    ).toBe('7 Sep – 4 Oct 2026 (UTC) · changes vs 10 Aug – 6 Sep 2026');
  });
});
