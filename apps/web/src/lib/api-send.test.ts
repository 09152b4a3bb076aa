import type { Goal } from '@stride/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiSend } from './api-client.ts';

interface Sent {
  url: string;
  method: string | undefined;
  headers: HeadersInit | undefined;
  body: BodyInit | null | undefined;
}

/** Replaces fetch with one answering `status` and `body`, recording each request. */
function answer(status: number, body?: unknown): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    sent.push({ url, method: init?.method, headers: init?.headers, body: init?.body });
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  });
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const goalBody = {
  team: 'checkout',
  metric: 'change_failure_rate',
  statistic: 'value',
  direction: '<=',
  target: '10%',
  startDate: null,
} as const;

describe('apiSend', () => {
  it('puts the path parameters in place and sends the body as JSON, returning the typed answer', async () => {
    const stored = { id: '7', target: 0.1 };
    const sent = answer(200, stored);
    const goal: Goal = await apiSend('PUT', '/api/admin/goals/:id', { params: { id: '7' }, body: goalBody });
    expect(goal).toEqual(stored);
    expect(sent).toEqual([
      {
        url: '/api/admin/goals/7',
        method: 'PUT',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(goalBody),
      },
    ]);
  });

  it('answers null for a 204 and sends no body when the route takes none', async () => {
    const sent = answer(204);
    const none: null = await apiSend('DELETE', '/api/admin/annotations/:id', { params: { id: 'a/b' } });
    expect(none).toBeNull();
    expect(sent[0]).toMatchObject({ url: '/api/admin/annotations/a%2Fb', method: 'DELETE', body: undefined });
    await apiSend('DELETE', '/api/session');
    expect(sent[1]).toMatchObject({ url: '/api/session', method: 'DELETE', body: undefined });
  });

  it("throws the API's error code and message", async () => {
    answer(400, { error: { code: 'invalid_body', message: "target: 'fast' is not a number" } });
    const failure = apiSend('POST', '/api/admin/goals', { body: { ...goalBody, target: 'fast' } });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 400, code: 'invalid_body' });
  });

  it('is typed by the endpoint map (checked by tsc)', () => {
    answer(204);
    const typeErrors = () => {
      // @ts-expect-error the goals path has no PATCH
      void apiSend('PATCH', '/api/admin/goals/:id', { params: { id: '1' }, body: goalBody });
      // @ts-expect-error the path parameter is required
      void apiSend('DELETE', '/api/admin/goals/:id');
      // @ts-expect-error the body must match the route's schema
      void apiSend('POST', '/api/admin/annotations', { body: { title: 'x' } });
      // @ts-expect-error webhook routes are not the dashboard's to send
      void apiSend('POST', '/api/webhooks/github', { body: {} });
    };
    expect(typeof typeErrors).toBe('function');
  });
});
