import type { TeamsDoraOverview } from '@stride/shared';
import { describe, expect, it } from 'vitest';
import { expandTeamsDoraOverview } from './use-team-dora.ts';

const trend = { previous: null, change: null, direction: 'none', improving: null } as const;
const columns = (value: (number | null)[], n: number[]) => ({ value, n });

describe('expandTeamsDoraOverview', () => {
  it('zips each series’ value and n columns with the shared buckets and keeps every headline', () => {
    const buckets = ['2026-08-03T00:00:00.000Z', '2026-08-10T00:00:00.000Z'];
    const answer: TeamsDoraOverview = {
      period: { from: '2026-08-03T00:00:00.000Z', to: '2026-08-17T00:00:00.000Z' },
      previousPeriod: { from: '2026-07-20T00:00:00.000Z', to: '2026-08-03T00:00:00.000Z' },
      granularity: 'week',
      benchmark: 2024,
      reference: { source: 'DORA', clusters: [] },
      buckets,
      teams: [
        {
          scope: { type: 'team', id: 'core', name: 'Core' },
          metrics: {
            deploymentFrequency: {
              unit: 'count',
              value: 3,
              n: 3,
              perWeek: 1.5,
              deploymentDays: 2,
              medianDeploymentDaysPerWeek: 1,
              level: 'medium',
              trend,
              series: columns([3, 0], [3, 0]),
            },
            changeLeadTime: {
              unit: 'seconds',
              p50: 7200,
              p90: 9000,
              n: 4,
              attribution: { commit: 4, time: 0 },
              level: 'high',
              trend,
              series: columns([7200, null], [4, 0]),
            },
            changeFailureRate: {
              unit: 'ratio',
              value: 1 / 3,
              failed: 1,
              n: 3,
              level: 'low',
              trend,
              series: columns([1 / 3, null], [3, 0]),
            },
            failedDeploymentRecoveryTime: {
              unit: 'seconds',
              p50: 600,
              p90: 600,
              n: 1,
              level: 'elite',
              trend,
              series: columns([600, null], [1, 0]),
            },
            deploymentReworkRate: {
              unit: 'ratio',
              value: 0,
              unplanned: 0,
              n: 3,
              level: null,
              trend,
              series: columns([0, null], [3, 0]),
            },
          },
        },
      ],
    };
    const [team] = expandTeamsDoraOverview(answer).teams;
    expect(team).toMatchObject({
      scope: answer.teams[0]!.scope,
      period: answer.period,
      previousPeriod: answer.previousPeriod,
      granularity: 'week',
      benchmark: 2024,
      reference: answer.reference,
    });
    expect(team!.metrics.changeLeadTime).toEqual({
      ...answer.teams[0]!.metrics.changeLeadTime,
      series: [
        { bucket: buckets[0], value: 7200, n: 4 },
        { bucket: buckets[1], value: null, n: 0 },
      ],
    });
    expect(team!.metrics.changeFailureRate.series.map((p) => p.n)).toEqual([3, 0]);
    expect(team!.metrics.deploymentFrequency.series.map((p) => p.value)).toEqual([3, 0]);
  });
});
