import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

const VIEWER = 'hardening-viewer-token-0001';
const shape = { error: { code: expect.any(String), message: expect.any(String) } };

let t: TestDatabase;
const apps: FastifyInstance[] = [];
async function boot(env: Record<string, string> = {}) {
  const app = await buildApp({
    db: t.db,
    config: loadApiConfig({ STRIDE_VIEWER_TOKEN: VIEWER, RATE_LIMIT_PER_MINUTE: '100000', ...env }),
    strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
    logger: false,
  });
  apps.push(app);
  return app;
}

/** Sends raw bytes to a listening server and returns the raw response text. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
    });
    socket.on('close', () => resolve(text));
    // The server destroys the socket after its error response: a reset then is expected.
    socket.on('error', (error) => (text ? resolve(text) : reject(error)));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}
const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const app of apps) await app.close().catch(() => {});
  await t?.destroy();
});

describe('every error body is { error: { code, message } }', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = await boot();
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });

  it('404 of an unknown route, before any data is read', async () => {
    const res = await app.inject({ url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('400 of a URL that does not percent-decode', async () => {
    const res = await app.inject({ url: '/api/teams/%E0%A4%A/health' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('414 of a path parameter over the limit', async () => {
    const res = await app.inject({
      url: `/api/teams/${'a'.repeat(500)}/health`,
      headers: { authorization: `Bearer ${VIEWER}` },
    });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual({ error: { code: 'uri_too_long', message: expect.any(String) } });
  });

  it('414 of a request line over 8 KiB, whether the parser takes it or overflows on it; 431 stays for headers', async () => {
    const long = (n: number) => 'a'.repeat(n);
    const headers = `Host: x\r\nConnection: close\r\nAuthorization: Bearer ${VIEWER}\r\n\r\n`;
    // Under Node's 16 KiB header limit: the app sees the URL (before: 404 and 200 with data).
    // Over it: the parser overflows inside the request line (before: 431).
    for (const target of [
      `/api/${long(9000)}`,
      `/api/teams?x=${long(9000)}`,
      `/api/teams?x=${long(20_000)}`,
      `/${long(100_000)}`,
      `http://stride.example/api/teams?x=${long(9000)}`,
    ]) {
      const response = await raw(port, `GET ${target} HTTP/1.1\r\n${headers}`);
      expect(response.slice(0, 20), `${target.length} bytes`).toMatch(/^HTTP\/1.1 414 /);
      expect(bodyOf(response)).toEqual({ error: { code: 'uri_too_long', message: expect.any(String) } });
      expect(response.toLowerCase()).toContain('x-content-type-options: nosniff');
    }
    // At the limit it is read as usual.
    const atLimit = `/api/teams?x=${long(8192 - '/api/teams?x='.length)}`;
    expect(atLimit).toHaveLength(8192);
    expect(await raw(port, `GET ${atLimit} HTTP/1.1\r\n${headers}`)).toMatch(/^HTTP\/1.1 200 /);
    // A short request line with headers over 16 KiB is still a 431.
    const big = await raw(port, `GET /api/teams HTTP/1.1\r\nX-Big: ${long(20_000)}\r\n${headers}`);
    expect(big).toMatch(/^HTTP\/1.1 431 /);
  });

  it('413 of a body over the limit', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ token: 'x'.repeat(1_100_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
  });

  it('431 of headers over the limit (from the HTTP parser, before any route)', async () => {
    const response = await raw(
      port,
      `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(response).toMatch(/^HTTP\/1.1 431 /);
    expect(bodyOf(response)).toEqual({
      error: { code: 'header_fields_too_large', message: expect.any(String) },
    });
    expect(response.toLowerCase()).toContain('x-content-type-options: nosniff');
  });

  it('400 of a malformed request line', async () => {
    const response = await raw(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1.1 400 /);
    expect(bodyOf(response)).toEqual(shape);
  });

  it('503 while shutting down, for a request that still arrives on a kept-alive connection', async () => {
    const closing = await boot();
    // A request held in flight until the test lets it go, so that close() starts while it runs.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    closing.get('/test/held', { config: { access: 'public' } }, async () => {
      started();
      await held;
      return { ok: true };
    });
    await closing.listen({ host: '127.0.0.1', port: 0 });
    const p = (closing.server.address() as { port: number }).port;
    const socket = connect(p, '127.0.0.1');
    socket.on('error', () => {}); // the server may reset the connection as it closes
    await new Promise((resolve) => socket.once('connect', resolve));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /test/held HTTP/1.1\r\nHost: x\r\n\r\n');
    await inFlight;
    // Shutdown starts while the first request runs; the second arrives on the same connection.
    const closingDone = closing.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write('GET /api/teams HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    socket.destroy();
    await closingDone;
    const statuses = [...text.matchAll(/HTTP\/1.1 (\d{3})/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 503]);
    const second = text.slice(text.lastIndexOf('HTTP/1.1 503'));
    expect(bodyOf(second)).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    expect(second.toLowerCase()).toContain('x-content-type-options: nosniff');
  });
});

describe('security headers', () => {
  it('sets CSP, frame-ancestors none, nosniff and Referrer-Policy on every response; HSTS only over TLS', async () => {
    const app = await boot();
    for (const url of ['/api/health', '/api/teams', '/api/nope', '/docs/json', '/%zz']) {
      const res = await app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    expect(String((await app.inject({ url: '/api/health' })).headers['content-security-policy'])).toContain(
      "script-src 'self'",
    );
    // Without TRUST_PROXY, a client's X-Forwarded-Proto is not believed.
    const spoofed = await app.inject({ url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('TRUST_PROXY', () => {
  it('off (default): no Secure cookie from a forwarded https, rate limit per socket address', async () => {
    const app = await boot({ RATE_LIMIT_PER_MINUTE: '3' });
    const login = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
      payload: { token: VIEWER },
    });
    expect(String(login.headers['set-cookie'])).not.toContain('Secure');
    // Changing X-Forwarded-For does not buy a fresh budget.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ url: '/api/health', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses).toContain(429);
  });

  it('on: Secure cookie and HSTS behind a TLS proxy, rate limit per forwarded client', async () => {
    const app = await boot({ TRUST_PROXY: 'true', RATE_LIMIT_PER_MINUTE: '3' });
    const login = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
      payload: { token: VIEWER },
    });
    expect(login.statusCode).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/; Secure/);
    expect(login.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ url: '/api/health', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses).not.toContain(429);
  });

  it('is validated at boot, naming the key', () => {
    expect(() => loadApiConfig({ TRUST_PROXY: 'sometimes' })).toThrow(/TRUST_PROXY/);
    expect(loadApiConfig({}).TRUST_PROXY).toBe(false);
    expect(loadApiConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadApiConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toBe('10.0.0.0/8, 127.0.0.1');
  });
});

describe('/docs', () => {
  it('needs a viewer token once tokens exist, and is rate limited', async () => {
    // Refused requests count against the budget too (the rate limit runs before the access check).
    const app = await boot({ RATE_LIMIT_PER_MINUTE: '3' });
    expect((await app.inject({ url: '/docs/json' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/%64ocs/json' })).statusCode).toBe(401);
    const ok = await app.inject({ url: '/docs/json', headers: { authorization: `Bearer ${VIEWER}` } });
    expect(ok.statusCode).toBe(200);
    const last = await app.inject({ url: '/docs/json', headers: { authorization: `Bearer ${VIEWER}` } });
    expect(last.statusCode).toBe(429);
    expect(last.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  });
});

// Keep the http import used for a request over a real socket (percent-encoded path as sent).
describe('over a real socket', () => {
  it('refuses /%61pi/changes.csv without a token', async () => {
    const app = await boot();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/%61pi/changes.csv' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
  });
});
