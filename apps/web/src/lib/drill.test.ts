import { describe, expect, it } from 'vitest';
import { apiUrl } from './api-client.ts';
import { drillHref, metricDrillFilters } from './drill.ts';

describe('drillHref', () => {
  it('keeps the dashboard filters and adds scope, period and the figure filters', () => {
    const href = drillHref(
      'incidents',
      { team: 'payments' },
      { from: '2026-10-01', to: '2026-11-01' },
      'period=custom&benchmark=2024',
      metricDrillFilters.failedDeploymentRecoveryTime,
    );
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/drill/incidents');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      period: 'custom',
      benchmark: '2024',
      from: '2026-10-01',
      to: '2026-11-01',
      team: 'payments',
      dateField: 'resolved',
      caused: 'true',
      resolved: 'true',
    });
  });
});

describe('apiUrl', () => {
  it('drops empty parameters and encodes the rest', () => {
    expect(
      apiUrl('/api/deployments', {
        query: { team: 'a b', repository: undefined, page: 2, sort: '', failed: false },
      }),
    ).toBe('/api/deployments?team=a+b&page=2&failed=false');
    expect(apiUrl('/api/teams')).toBe('/api/teams');
  });

  it('puts the path parameters in place, URL-encoded', () => {
    expect(
      apiUrl('/api/repositories/:repo/dora', { params: { repo: 'acme/api' }, query: { benchmark: '2024' } }),
    ).toBe('/api/repositories/acme%2Fapi/dora?benchmark=2024');
  });
});
