import { Writable } from 'node:stream';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

// Secrets the API sees: bootstrap tokens (env), a bearer token, a session cookie, a webhook
// signature. None may reach the log (captured at trace level) or a response body.
const ADMIN = 'admin-secret-token-0123456789';
const VIEWER = 'viewer-secret-token-0123456789';
const UNKNOWN = 'unknown-secret-token-0123456789';
const WEBHOOK_SECRET = 'webhook-secret-0123456789';

describe('the API never logs nor answers secrets', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await createTestDatabase();
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({
        STRIDE_ADMIN_TOKEN: ADMIN,
        STRIDE_VIEWER_TOKEN: VIEWER,
        GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
      strideConfig: parseStrideConfig({ teams: [{ slug: 'core', name: 'Core' }] }),
      logger: { level: 'trace', stream },
    });
    // A handler that logs its headers, as a debugging line might.
    app.get('/test/log-headers', { config: { access: 'public' } }, async (request) => {
      request.log.info({ headers: request.headers }, 'headers seen');
      return { ok: true };
    });
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  it('redacts bearer tokens, session cookies and signatures; bodies never echo them', async () => {
    const bodies: string[] = [];
    const send = async (options: InjectOptions) => {
      const res = await app.inject(options);
      bodies.push(res.body);
      return res;
    };
    expect(
      (await send({ method: 'GET', url: '/api/teams', headers: { authorization: `Bearer ${VIEWER}` } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await send({ method: 'GET', url: '/api/teams', headers: { authorization: `Bearer ${UNKNOWN}` } }))
        .statusCode,
    ).toBe(401);
    const session = await send({ method: 'POST', url: '/api/session', payload: { token: ADMIN } });
    expect(session.statusCode).toBeLessThan(300);
    const cookie = String(session.headers['set-cookie']).split(';')[0]!;
    const sessionToken = decodeURIComponent(cookie.split('=')[1]!);
    expect((await send({ method: 'GET', url: '/api/teams', headers: { cookie } })).statusCode).toBe(200);
    const signature = `sha256=${'ab'.repeat(32)}`;
    await send({
      method: 'POST',
      url: '/api/webhooks/github',
      headers: {
        'x-github-event': 'ping',
        'x-hub-signature-256': signature,
        'content-type': 'application/json',
      },
      payload: { zen: 'hi' },
    });
    await send({
      method: 'GET',
      url: '/test/log-headers',
      headers: { authorization: `Bearer ${ADMIN}`, cookie, 'x-hub-signature-256': signature },
    });

    const logged = lines.join('');
    expect(logged).toContain('headers seen');
    expect(logged).toContain('[Redacted]');
    for (const secret of [ADMIN, VIEWER, UNKNOWN, WEBHOOK_SECRET, sessionToken, signature]) {
      expect(logged).not.toContain(secret);
    }
    for (const secret of [ADMIN, VIEWER, UNKNOWN, WEBHOOK_SECRET]) {
      for (const body of bodies) expect(body).not.toContain(secret);
    }
  });
});
