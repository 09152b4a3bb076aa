import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { QueryState } from './query-state.tsx';

// QueryState as react-query hands it a result: `data` kept and `error` set after a failed
// background refetch; `data` undefined while the first request runs or after it failed.
function render(query: { data: string[] | undefined; error: unknown; isPending: boolean }) {
  return renderToStaticMarkup(
    <QueryState
      query={{ ...query, refetch: () => undefined }}
      isEmpty={(d) => d.length === 0}
      empty="none yet"
    >
      {(data) => <p data-testid="shown">{data.join(', ')}</p>}
    </QueryState>,
  );
}

describe('QueryState', () => {
  it('keeps showing the data when a refetch fails, with a non-blocking notice and Retry', () => {
    const html = render({
      data: ['payments', 'search'],
      error: new Error('The query took too long (query_timeout)'),
      isPending: false,
    });
    expect(html).toContain('<p data-testid="shown">payments, search</p>');
    expect(html).toMatch(/role="status"[^>]*>Could not refresh: The query took too long \(query_timeout\)/);
    expect(html).toContain('>Retry</button>');
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain('Could not load this data');
  });

  it('keeps showing the empty state (not the error) when a refetch of empty data fails', () => {
    const html = render({ data: [], error: new Error('Service Unavailable'), isPending: false });
    expect(html).toContain('none yet');
    expect(html).toContain('Could not refresh: Service Unavailable');
    expect(html).not.toContain('role="alert"');
  });

  it('shows the full error only when there is no data, and loading before the first answer', () => {
    const failed = render({ data: undefined, error: new Error('Service Unavailable'), isPending: false });
    expect(failed).toMatch(
      /role="alert"[^>]*><strong>⚠ Could not load this data.<\/strong> Service Unavailable/,
    );
    expect(failed).not.toContain('Could not refresh');
    expect(failed).not.toContain('data-testid="shown"');
    const loading = render({ data: undefined, error: null, isPending: true });
    expect(loading).toContain('Loading…');
    expect(loading).not.toContain('data-testid="shown"');
  });

  it('shows the data alone when the last request succeeded', () => {
    const html = render({ data: ['payments'], error: null, isPending: false });
    expect(html).toBe('<p data-testid="shown">payments</p>');
  });
});
