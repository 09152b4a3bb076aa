import { describe, expect, it } from 'vitest';
import { drillListQuery, parseDashboardUrl, parseFigureFilters, writeDashboardUrl } from './dashboard-url.ts';
import { drillHref, metricDrillFilters } from './drill.ts';

const today = new Date(Date.UTC(2026, 10, 23));
const url = (search: string) => new URLSearchParams(search);

describe('parseDashboardUrl', () => {
  it('reads every key the dashboard keeps in its URL', () => {
    const state = parseDashboardUrl(
      url(
        'period=custom&from=2026-10-01&to=2026-11-01&granularity=day&benchmark=2024&compare=teams&retro=2026-10-15&team=payments&page=3&sort=deployedAt&order=asc&teamSort=changeFailureRate&teamOrder=desc&worse=true&events=reorg,freeze',
      ),
      today,
    );
    expect(state).toEqual({
      filters: {
        preset: 'custom',
        from: '2026-10-01',
        to: '2026-11-01',
        granularity: 'day',
        benchmark: 2024,
      },
      compare: true,
      retro: '2026-10-15',
      events: ['reorg', 'freeze'],
      drill: {
        team: 'payments',
        from: '2026-10-01',
        to: '2026-11-01',
        page: 3,
        sort: 'deployedAt',
        order: 'asc',
      },
      teamTable: { sort: 'changeFailureRate', order: 'desc', worseOnly: true },
      ai: { page: 1 },
    });
  });

  it('writes the overview table view, leaving the defaults out of the URL', () => {
    const params = writeDashboardUrl(url('period=90d&teamSort=team&worse=true'), {
      teamTable: { sort: 'changeLeadTime', order: 'asc', worseOnly: false },
    });
    expect(params.toString()).toBe('period=90d&teamSort=changeLeadTime');
    expect(parseDashboardUrl(url('teamSort=nonsense&teamOrder=up'), today).teamTable).toEqual({
      order: 'asc',
      worseOnly: false,
    });
  });

  it('falls back to defaults for missing or malformed values', () => {
    const state = parseDashboardUrl(url('compare=yes&retro=last-week&page=-2&order=up&from=soon'), today);
    expect(state.compare).toBe(false);
    expect(state.retro).toBeUndefined();
    expect(state.drill).toEqual({ page: 1 });
    expect(state.filters.preset).toBe('90d');
  });

  it('refuses dates that do not exist or carry no offset, with the period module of @stride/metrics', () => {
    const state = parseDashboardUrl(url('retro=2026-02-30&from=2026-13-01&to=2026-11-01T10:00'), today);
    expect(state.retro).toBeUndefined();
    expect(state.drill).toEqual({ page: 1 });
    const valid = parseDashboardUrl(
      url('retro=2026-02-28&from=2026-10-01T10:00:00%2B05:30&to=2026-11-01'),
      today,
    );
    expect(valid.retro).toBe('2026-02-28');
    expect(valid.drill).toEqual({ page: 1, from: '2026-10-01T10:00:00+05:30', to: '2026-11-01' });
  });
});

describe('parseFigureFilters', () => {
  it("keeps only the list's own figure filters, typed", () => {
    const params = url('failed=true&unplanned=false&dateField=resolved&caused=true&state=open&stale=maybe');
    expect(parseFigureFilters(params, 'deployments')).toEqual({ failed: true, unplanned: false });
    expect(parseFigureFilters(params, 'incidents')).toEqual({ dateField: 'resolved', caused: true });
    // dateField=resolved is not a change list's date field; stale=maybe is not a boolean.
    expect(parseFigureFilters(params, 'changes')).toEqual({ unplanned: false, state: 'open' });
  });
});

describe('writeDashboardUrl', () => {
  it('writes only the changed parts and keeps every other key', () => {
    const next = writeDashboardUrl(url('period=30d&granularity=week&benchmark=2023&team=a&x=1'), {
      compare: true,
      retro: '2026-11-01',
      drill: { page: 2, team: undefined },
    });
    expect(Object.fromEntries(next)).toEqual({
      period: '30d',
      granularity: 'week',
      benchmark: '2023',
      x: '1',
      compare: 'teams',
      retro: '2026-11-01',
      page: '2',
    });
    expect(writeDashboardUrl(next, { compare: false }).has('compare')).toBe(false);
  });

  it('round-trips a figure drill-down link into the list request', () => {
    const href = drillHref(
      'changes',
      { team: 'payments' },
      { from: '2026-10-05T00:00:00.000Z', to: '2026-10-12T00:00:00.000Z' },
      'period=90d&granularity=week&benchmark=2023&compare=teams',
      metricDrillFilters.changeLeadTime,
    );
    const params = new URL(href, 'http://x').searchParams;
    expect(drillListQuery(params, 'changes', 50)).toEqual({
      team: 'payments',
      from: '2026-10-05T00:00:00.000Z',
      to: '2026-10-12T00:00:00.000Z',
      page: 1,
      pageSize: 50,
      dateField: 'deployed',
      withLeadTime: true,
    });
  });
});

describe('AI impact view in the URL', () => {
  it('reads team, band, group and page, drops unknown values, and writes only what changed', async () => {
    const { parseAiView, writeDashboardUrl } = await import('./dashboard-url.ts');
    expect(parseAiView(new URLSearchParams('aiTeam=payments&aiBand=s&aiGroup=before&aiPage=3'))).toEqual({
      team: 'payments',
      band: 's',
      group: 'before',
      page: 3,
    });
    expect(parseAiView(new URLSearchParams('aiTeam=Bad%20Team&aiBand=huge&aiGroup=all&aiPage=-1'))).toEqual({
      page: 1,
    });
    const next = writeDashboardUrl(new URLSearchParams('period=90d&aiTeam=payments&aiGroup=ai'), {
      ai: { group: undefined, page: 2 },
    });
    expect(next.toString()).toBe('period=90d&aiTeam=payments&aiPage=2');
  });
});

describe('chart events in the URL', () => {
  it('reads every kind by default, a list, or none', () => {
    const read = (q: string) => parseDashboardUrl(new URLSearchParams(q)).events;
    expect(read('')).toBeNull();
    expect(read('events=reorg,incident')).toEqual(['reorg', 'incident']);
    expect(read('events=none')).toEqual([]);
  });
  it('writes a list, none, or removes the key for every kind', () => {
    const write = (events: readonly string[] | null) =>
      writeDashboardUrl(new URLSearchParams('period=custom'), { events }).toString();
    expect(write(['freeze'])).toBe('period=custom&events=freeze');
    expect(write([])).toBe('period=custom&events=none');
    expect(write(null)).toBe('period=custom');
  });
});
