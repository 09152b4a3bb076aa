import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApiToken, syncTeamsFromConfig } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const fixtures = `${root}tests/fixtures/recorded/`;
const REPO = 'facebook/OpenBIC';
type Status = { id: number; state: string; created_at: string; environment: string; target_url: string };
type Deployment = { id: number; sha: string; ref: string; environment: string; created_at: string };
const deployments: Deployment[] = JSON.parse(readFileSync(`${fixtures}github_deployments.json`, 'utf8'))[
  REPO
];
const statuses: Record<string, Status[]> = JSON.parse(
  readFileSync(`${fixtures}github_deployment_statuses.json`, 'utf8'),
)[REPO];

// The recorded deployment statuses, replayed as a CI/CD system would post them (oldest first).
// `inactive` only marks a deployment superseded: a CD tool would not send it as an event.
const events = deployments
  .flatMap((d) => (statuses[String(d.id)] ?? []).map((s) => ({ d, s })))
  .filter(({ s }) => s.state !== 'inactive')
  .sort((a, b) => a.s.created_at.localeCompare(b.s.created_at))
  .map(({ d, s }) => ({
    eventId: String(s.id),
    deploymentId: String(d.id),
    repository: REPO,
    environment: s.environment,
    status: s.state,
    sha: d.sha,
    ref: d.ref,
    startedAt: d.created_at,
    finishedAt: s.created_at,
  }));

describe('generic webhooks: POST /api/webhooks/deployments and /incidents', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let token: string;
  let otherToken: string;
  let viewerToken: string;
  const post = (url: string, body: unknown, bearer = token) =>
    app.inject({
      method: 'POST',
      url,
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
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
    const strideConfig = parseStrideConfig({
      github: {
        repositories: [REPO, 'acme/polled'],
        repositoryRules: { [REPO]: { source: 'webhook', environment: '^github-pages$' } },
      },
      teams: [{ slug: 'platform', name: 'Platform', repositories: [REPO] }],
    });
    await syncTeamsFromConfig(t.db, strideConfig.teams);
    app = await buildApp({ db: t.db, config: loadApiConfig({}), strideConfig, logger: false });
    // The token command, as an operator runs it.
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'scripts/token.ts', 'create', 'webhook', 'argocd'],
      { cwd: root, env: { ...process.env, DATABASE_URL: t.url } },
    );
    token = /^(stride_\S+)$/m.exec(stdout)![1]!;
    otherToken = (await createApiToken(t.db, { name: 'jenkins', role: 'webhook', scope: 'jenkins' })).token;
    viewerToken = (await createApiToken(t.db, { name: 'viewer', role: 'viewer' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('stores only the hash of a created token', async () => {
    const rows = await t.db.selectFrom('api_tokens').select(['token_hash', 'scope', 'role']).execute();
    expect(rows.find((r) => r.scope === 'argocd')?.role).toBe('webhook');
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
  });

  it('rejects missing, unknown and non-webhook tokens before reading the body', async () => {
    for (const bearer of ['', 'stride_forged', viewerToken]) {
      const res = await post('/api/webhooks/deployments', events[0], bearer);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    expect(await count('deployments')).toBe(0);
    expect(await count('webhook_deliveries')).toBe(0);
  });

  it('turns recorded deployment events into deployments, once per event id', async () => {
    for (const event of events) {
      const res = await post('/api/webhooks/deployments', event);
      expect(res.statusCode).toBe(202);
      expect(res.json().status).toBe('accepted');
    }
    const rows = await t.db.selectFrom('deployments').selectAll().orderBy('external_id').execute();
    const deploymentIds = [...new Set(events.map((e) => e.deploymentId))].sort();
    expect(rows.map((r) => r.external_id)).toEqual(deploymentIds.map((id) => `argocd:${id}`));
    for (const id of deploymentIds) {
      const last = events.filter((e) => e.deploymentId === id).at(-1)!;
      const row = rows.find((r) => r.external_id === `argocd:${id}`)!;
      expect(row.status).toBe(last.status);
      expect(row.is_production).toBe(true);
      expect(row.deployed_at?.toISOString() ?? null).toBe(
        last.status === 'success' ? new Date(last.finishedAt).toISOString() : null,
      );
    }
    expect(await count('webhook_deliveries')).toBe(events.length);

    // Replays, even with an altered body, change nothing.
    const before = await t.db.selectFrom('deployments').selectAll().orderBy('id').execute();
    for (const event of events) {
      const res = await post('/api/webhooks/deployments', {
        ...event,
        status: 'failure',
        environment: 'staging',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('duplicate');
    }
    expect(await t.db.selectFrom('deployments').selectAll().orderBy('id').execute()).toEqual(before);
    expect(await count('webhook_deliveries')).toBe(events.length);
  });

  it('keeps sources apart: the same ids from another token are another deployment', async () => {
    const event = events.at(-1)!;
    const res = await post('/api/webhooks/deployments', event, otherToken);
    expect(res.statusCode).toBe(202);
    const row = await t.db
      .selectFrom('deployments')
      .select('external_id')
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row.external_id).toBe(`jenkins:${event.deploymentId}`);
  });

  it('ignores events older than the stored state and keeps a rolled-back deployment deployed', async () => {
    const success = events.find((e) => e.status === 'success')!;
    const key = `argocd:${success.deploymentId}`;
    const row = () =>
      t.db.selectFrom('deployments').selectAll().where('external_id', '=', key).executeTakeFirstOrThrow();
    const before = await row();
    const earlier = new Date(new Date(success.finishedAt).getTime() - 60_000).toISOString();
    const late = await post('/api/webhooks/deployments', {
      ...success,
      eventId: 'late-in-progress',
      status: 'in_progress',
      startedAt: undefined,
      finishedAt: earlier,
    });
    expect(late.statusCode).toBe(202);
    expect(await row()).toEqual(before);

    const rollbackAt = new Date(new Date(success.finishedAt).getTime() + 3600_000).toISOString();
    await post('/api/webhooks/deployments', {
      ...success,
      eventId: 'rollback',
      status: 'rolled_back',
      finishedAt: rollbackAt,
    });
    const after = await row();
    expect(after.rolled_back).toBe(true);
    expect(after.deployed_at).toEqual(before.deployed_at);
  });

  it('answers malformed bodies with a 400 naming the field, and writes nothing', async () => {
    const deliveries = await count('webhook_deliveries');
    const base = { ...events[0]!, eventId: 'bad-1' };
    const cases: [unknown, RegExp][] = [
      [{ ...base, environment: undefined }, /^environment: /],
      [{ ...base, status: 'done' }, /^status: /],
      [{ ...base, finishedAt: 'yesterday' }, /^finishedAt: /],
      [{ ...base, repository: 'no-slash' }, /^repository: /],
      [{ ...base, sha: 'xyz' }, /^sha: /],
      [{ ...base, startedAt: '2024-08-02T00:00:00Z', finishedAt: '2024-08-01T00:00:00Z' }, /^finishedAt: /],
      // Polled by the GitHub collector (default rule github_deployments): one source per repository.
      [
        { ...base, repository: 'acme/polled' },
        /^repository: deployments of acme\/polled come from github_deployments/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await post('/api/webhooks/deployments', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.message).toMatch(message);
    }
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/webhooks/deployments',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"eventId": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toBeDefined();
    expect(await count('webhook_deliveries')).toBe(deliveries);
  });

  it('stores incidents and attributes them to the named or the last deployment', async () => {
    const successes = events.filter((e) => e.status === 'success');
    const named = successes[0]!;
    // Named: the deploymentId this source sent earlier.
    const a = await post('/api/webhooks/incidents', {
      eventId: 'pd-1',
      incidentId: 'P123',
      title: 'Checkout 500s',
      startedAt: '2026-03-01T10:00:00Z',
      repository: REPO,
      deploymentRef: named.deploymentId,
    });
    expect(a.statusCode).toBe(202);
    // Unnamed: the last successful production deployment of the team's repositories before it.
    const latest = successes.at(-1)!;
    const startedAt = new Date(new Date(latest.finishedAt).getTime() + 3600_000).toISOString();
    const b = await post('/api/webhooks/incidents', {
      eventId: 'pd-2',
      incidentId: 'P124',
      title: 'Latency',
      startedAt,
      team: 'platform',
    });
    expect(b.statusCode).toBe(202);
    const byId = async (id: string) =>
      t.db
        .selectFrom('incidents')
        .innerJoin('deployments', 'deployments.id', 'incidents.caused_by_deployment_id')
        .select(['deployments.external_id', 'deployments.source'])
        .where('incidents.id', '=', id)
        .executeTakeFirst();
    expect((await byId(a.json().id))?.external_id).toBe(`argocd:${named.deploymentId}`);
    // Both argocd's and jenkins' copies of the latest deployment are candidates; either is that deployment.
    expect((await byId(b.json().id))?.external_id).toMatch(new RegExp(`:${latest.deploymentId}$`));

    // A later event resolves the incident; replaying the first one does not reopen it.
    const resolve = await post('/api/webhooks/incidents', {
      eventId: 'pd-3',
      incidentId: 'P124',
      title: 'Latency',
      startedAt,
      resolvedAt: new Date(new Date(startedAt).getTime() + 1800_000).toISOString(),
      team: 'platform',
    });
    expect(resolve.statusCode).toBe(202);
    expect(
      (await post('/api/webhooks/incidents', { eventId: 'pd-2', title: 'x', startedAt })).json().status,
    ).toBe('duplicate');
    const row = await t.db
      .selectFrom('incidents')
      .selectAll()
      .where('external_id', '=', 'argocd:P124')
      .executeTakeFirstOrThrow();
    expect(row.resolved_at?.getTime()).toBe(new Date(startedAt).getTime() + 1800_000);
    // An update without resolvedAt (severity changed) keeps it resolved.
    await post('/api/webhooks/incidents', {
      eventId: 'pd-4',
      incidentId: 'P124',
      title: 'Latency',
      startedAt,
      severity: 'SEV2',
      team: 'platform',
    });
    const updated = await t.db
      .selectFrom('incidents')
      .selectAll()
      .where('external_id', '=', 'argocd:P124')
      .executeTakeFirstOrThrow();
    expect(updated.severity).toBe('SEV2');
    expect(updated.resolved_at).toEqual(row.resolved_at);
    expect(await count('incidents')).toBe(2);
  });

  it('names the bad incident field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ eventId: 'x1', startedAt: '2026-01-01T00:00:00Z' }, /^title: /],
      [{ eventId: 'x2', title: 't', startedAt: 'soon' }, /^startedAt: /],
      [{ eventId: 'x3', title: 't', startedAt: '2026-01-01T00:00:00Z', team: 'nope' }, /^team: unknown team/],
      [
        { eventId: 'x4', title: 't', startedAt: '2026-01-02T00:00:00Z', resolvedAt: '2026-01-01T00:00:00Z' },
        /^resolvedAt: /,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await post('/api/webhooks/incidents', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(message);
    }
    expect(await count('incidents')).toBe(2);
  });

  it('documents both endpoints and their bodies in the OpenAPI document', async () => {
    // A viewer token exists in this file, so the docs need one too.
    const doc = (
      await app.inject({
        method: 'GET',
        url: '/docs/json',
        headers: { authorization: `Bearer ${viewerToken}` },
      })
    ).json();
    const deploymentBody =
      doc.paths['/api/webhooks/deployments'].post.requestBody.content['application/json'].schema;
    expect(deploymentBody.required).toEqual(
      expect.arrayContaining(['eventId', 'repository', 'environment', 'status']),
    );
    expect(doc.paths['/api/webhooks/incidents'].post.security).toEqual([{ bearer: [] }]);
  });
});
