import type { DoraMetrics, DoraSummary, SeriesPoint, Trend } from '@stride/shared';
import { describe, expect, it } from 'vitest';
import { orderTeamRows } from './team-table.ts';

const series: SeriesPoint[] = [];
const trend = (previous: number | null): Trend => ({
  previous,
  change: null,
  direction: 'none',
  improving: null,
});

/** A summary with the given change failure rate (n deployments) and its previous value. */
function summary(cfr: number | null, n: number, previous: number | null): DoraSummary {
  const none = {
    unit: 'seconds' as const,
    p50: null,
    p90: null,
    n: 0,
    level: null,
    trend: trend(null),
    series,
  };
  const metrics: DoraMetrics = {
    deploymentFrequency: {
      unit: 'count',
      value: n,
      n,
      perWeek: n / 4,
      deploymentDays: n,
      medianDeploymentDaysPerWeek: 1,
      level: null,
      trend: trend(n),
      series,
    },
    changeLeadTime: { ...none, attribution: { commit: 0, time: 0 } },
    changeFailureRate: {
      unit: 'ratio',
      value: cfr,
      failed: 0,
      n,
      level: null,
      trend: trend(previous),
      series,
    },
    failedDeploymentRecoveryTime: none,
    deploymentReworkRate: {
      unit: 'ratio',
      value: n ? 0 : null,
      unplanned: 0,
      n,
      level: null,
      trend: trend(n ? 0 : null),
      series,
    },
  };
  return {
    scope: { kind: 'team', id: 'x', name: 'x' },
    period: { from: '2026-09-07', to: '2026-10-05' },
    previousPeriod: { from: '2026-08-10', to: '2026-09-07' },
    granularity: 'week',
    benchmark: 2023,
    metrics,
    reference: { source: '', clusters: [] },
  } as unknown as DoraSummary;
}

const rows = [
  { team: { name: 'Quiet' }, summary: summary(null, 0, null) },
  { team: { name: 'Alpha' }, summary: summary(0.3, 10, 0.1) }, // worse: +20 pp
  { team: { name: 'Beta' }, summary: summary(0.05, 20, 0.1) }, // better
  { team: { name: 'Gamma' }, summary: summary(0.2, 8, 0.2) }, // unchanged
  { team: { name: 'Loading' }, summary: undefined },
];
const names = (list: { team: { name: string } }[]) => list.map((r) => r.team.name);

describe('orderTeamRows', () => {
  it('keeps the configured order, teams without data below the rest', () => {
    expect(names(orderTeamRows(rows, { order: 'asc', worseOnly: false }))).toEqual([
      'Alpha',
      'Beta',
      'Gamma',
      'Loading',
      'Quiet',
    ]);
  });

  it('sorts by a metric value both ways, teams without a value last either way', () => {
    const view = { sort: 'changeFailureRate' as const, worseOnly: false };
    expect(names(orderTeamRows(rows, { ...view, order: 'asc' }))).toEqual([
      'Beta',
      'Gamma',
      'Alpha',
      'Loading',
      'Quiet',
    ]);
    expect(names(orderTeamRows(rows, { ...view, order: 'desc' }))).toEqual([
      'Alpha',
      'Gamma',
      'Beta',
      'Loading',
      'Quiet',
    ]);
    expect(names(orderTeamRows(rows, { sort: 'team', order: 'desc', worseOnly: false }))).toEqual([
      'Loading',
      'Gamma',
      'Beta',
      'Alpha',
      'Quiet',
    ]);
  });

  it('sorts team names in natural order (Team 2 before Team 10), as the API lists them', () => {
    const numbered = [10, 2, 1, 21].map((i) => ({
      team: { name: `Team ${i}` },
      summary: summary(0.1, 10, 0.1),
    }));
    const byNumber = [...numbered].sort(
      (a, b) => Number(a.team.name.slice(5)) - Number(b.team.name.slice(5)),
    );
    expect(names(orderTeamRows(numbered, { sort: 'team', order: 'asc', worseOnly: false }))).toEqual(
      names(byNumber),
    );
    expect(names(orderTeamRows(numbered, { sort: 'team', order: 'desc', worseOnly: false }))).toEqual(
      names(byNumber).reverse(),
    );
  });

  it('"got worse only" keeps the teams with a metric that got worse', () => {
    expect(names(orderTeamRows(rows, { order: 'asc', worseOnly: true }))).toEqual(['Alpha']);
  });
});
