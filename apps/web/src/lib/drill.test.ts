import { describe, expect, it } from 'vitest';
import { apiUrl } from './api-client.ts';
import { drillHref, drillTabSearch, metricDrillFilters } from './drill.ts';

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

describe('drillTabSearch', () => {
  const from = 'period=custom&from=2026-09-07&to=2026-10-05&granularity=week&benchmark=2023&team=checkout';
  it('clears the figure filters the new list does not have, keeps scope and period', () => {
    const params = new URLSearchParams(`${from}&failed=true&unplanned=true&page=3&sort=changes&order=asc`);
    const incidents = new URLSearchParams(drillTabSearch(params, 'incidents'));
    expect(incidents.get('failed')).toBeNull();
    expect(incidents.get('unplanned')).toBeNull();
    expect(incidents.get('page')).toBeNull();
    expect(incidents.get('sort')).toBeNull();
    expect(incidents.get('team')).toBe('checkout');
    expect(incidents.get('from')).toBe('2026-09-07');
    expect(incidents.get('to')).toBe('2026-10-05');
    // Unplanned work means the same for PRs: it stays.
    const changes = new URLSearchParams(drillTabSearch(params, 'changes'));
    expect(changes.get('failed')).toBeNull();
    expect(changes.get('unplanned')).toBe('true');
  });

  it('drops a value the new list reads differently (dateField=resolved is not a PR date)', () => {
    const params = new URLSearchParams(`${from}&dateField=resolved&caused=true`);
    const changes = new URLSearchParams(drillTabSearch(params, 'changes'));
    expect(changes.get('dateField')).toBeNull();
    expect(changes.get('caused')).toBeNull();
  });
});
