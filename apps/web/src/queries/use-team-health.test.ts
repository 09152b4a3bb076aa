import { describe, expect, it } from 'vitest';
import { teamHealthRequest } from './use-team-health.ts';

describe('team-health request', () => {
  const query = { from: '2026-08-26', to: '2026-11-24', granularity: 'month' } as const;

  it('asks the API for the chosen granularity (the throughput series follows it)', () => {
    const url = new URL(teamHealthRequest('payments', query).url, 'http://x');
    expect(url.pathname).toBe('/api/teams/payments/health');
    expect(Object.fromEntries(url.searchParams)).toEqual(query);
  });

  it('keys the cache by every parameter of the request', () => {
    const request = teamHealthRequest('payments', query);
    const params = Object.fromEntries(new URL(request.url, 'http://x').searchParams);
    expect(request.queryKey).toEqual(['team-health', 'payments', params]);
    const weekly = teamHealthRequest('payments', { ...query, granularity: 'week' });
    expect(weekly.queryKey).not.toEqual(request.queryKey);
    expect(weekly.url).not.toBe(request.url);
  });
});
