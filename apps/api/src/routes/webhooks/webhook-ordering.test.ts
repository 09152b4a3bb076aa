import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApiToken } from '@stride/db';
import { LINK_QUEUE, type LinkJobs, startLinkJobs } from '@stride/ingest';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

// Deliveries arrive late, twice, and out of order; senders give up when an answer is slow.
const fixtures = fileURLToPath(new URL('../../../../../tests/fixtures/recorded/', import.meta.url));
const load = (name: string) => JSON.parse(readFileSync(`${fixtures}${name}`, 'utf8'));
const ANTS = 'panjf2000/ants';
const SECRET = 'webhook-secret-for-ordering-tests';
type Pull = {
  id: number;
  merged_at: string | null;
  updated_at: string;
  state: string;
  closed_at: string | null;
};
const pulls: Pull[] = load('github_pulls.json')[ANTS];
type Issue = { id: number; labels: { name: string }[]; updated_at: string; pull_request?: unknown };
const issues: Issue[] = load('github_issues.json')[ANTS];
const repository = load('github_repos.json')[ANTS];
const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const later = (iso: string, seconds: number) =>
  new Date(new Date(iso).getTime() + seconds * 1000).toISOString();

describe('webhooks: out-of-order, replayed and slow deliveries', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let token: string;
  let linkJobs: LinkJobs;
  let worker: LinkJobs | undefined;

  const deliver = (action: string, pull: Pull) =>
    deliverEvent('pull_request', { action, pull_request: pull });
  const deliverEvent = (event: string, payload: object) => {
    const body = JSON.stringify({ ...payload, repository });
    return app.inject({
      method: 'POST',
      url: '/api/webhooks/github',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': sign(body),
      },
      payload: body,
    });
  };
  const post = (url: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: body as object,
    });
  const pullRow = (id: number) =>
    t.db
      .selectFrom('pull_requests')
      .selectAll()
      .where('external_id', '=', String(id))
      .executeTakeFirstOrThrow();
  const deploymentRow = (id: string) =>
    t.db
      .selectFrom('deployments')
      .selectAll()
      .where('external_id', '=', `pd:${id}`)
      .executeTakeFirstOrThrow();
  const incidentRow = (id: string) =>
    t.db.selectFrom('incidents').selectAll().where('external_id', '=', `pd:${id}`).executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestDatabase();
    const strideConfig = parseStrideConfig({
      github: {
        repositories: [ANTS],
        repositoryRules: { [ANTS]: { source: 'webhook', environment: '^production$' } },
      },
    });
    // This process only sends link jobs; the test starts a worker when it wants them run.
    linkJobs = await startLinkJobs({ databaseUrl: t.url, db: t.db, work: false });
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ GITHUB_WEBHOOK_SECRET: SECRET }),
      strideConfig,
      logger: false,
      linkJobs,
    });
    token = (await createApiToken(t.db, { name: 'pd', role: 'webhook', scope: 'pd' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await linkJobs?.stop();
    await t?.destroy();
  });

  it('a delayed older pull_request delivery does not un-merge a merged PR', async () => {
    const merged = pulls.find((p) => p.merged_at)!;
    const opened: Pull = {
      ...merged,
      state: 'open',
      merged_at: null,
      closed_at: null,
      updated_at: later(merged.merged_at!, -3600),
    };
    expect((await deliver('closed', merged)).statusCode).toBe(202);
    // The `opened` delivery GitHub sent an hour earlier arrives now.
    expect((await deliver('opened', opened)).statusCode).toBe(202);
    let row = await pullRow(merged.id);
    expect(row.state).toBe('merged');
    expect(row.merged_at?.toISOString()).toBe(new Date(merged.merged_at!).toISOString());
    expect(row.source_updated_at.toISOString()).toBe(new Date(merged.updated_at).toISOString());
    // The stored payload stays the newer one too (the AI classification reads its title and body).
    const raw = await t.db
      .selectFrom('raw_payloads')
      .select(sql<string>`payload->>'updated_at'`.as('updatedAt'))
      .where('source', '=', 'github')
      .where('kind', '=', 'pull_request')
      .where('external_id', '=', String(merged.id))
      .executeTakeFirstOrThrow();
    expect(raw.updatedAt).toBe(merged.updated_at);
    // Even a newer delivery without merged_at (an edit that lost it) never un-merges it.
    await deliver('edited', {
      ...opened,
      title: 'renamed',
      updated_at: later(merged.updated_at, 60),
    } as Pull);
    row = await pullRow(merged.id);
    expect(row.state).toBe('merged');
    expect(row.merged_at).not.toBeNull();
    expect(row.title).toBe('renamed');
  });

  it('a delayed older issues delivery neither drops a labelled incident nor brings back an unlabelled one', async () => {
    const issue = issues.find((i) => !i.pull_request)!;
    const at = (seconds: number) => later(issue.updated_at, seconds);
    const labelled = (seconds: number) => ({
      ...issue,
      labels: [{ name: 'incident' }],
      updated_at: at(seconds),
    });
    const unlabelled = (seconds: number) => ({ ...issue, labels: [], updated_at: at(seconds) });
    const incident = () =>
      t.db
        .selectFrom('incidents')
        .select(['id', 'source_updated_at'])
        .where('source', '=', 'github')
        .where('external_id', '=', String(issue.id))
        .executeTakeFirst();
    // The label is added a minute after the issue was opened; the `opened` delivery comes last.
    expect((await deliverEvent('issues', { action: 'labeled', issue: labelled(60) })).statusCode).toBe(202);
    expect((await deliverEvent('issues', { action: 'opened', issue: unlabelled(0) })).statusCode).toBe(202);
    expect((await incident())?.source_updated_at?.toISOString()).toBe(new Date(at(60)).toISOString());
    // Unlabelled at +180 s; the delivery of an edit at +120 s (still labelled) arrives after it.
    await deliverEvent('issues', { action: 'unlabeled', issue: unlabelled(180) });
    expect(await incident()).toBeUndefined();
    await deliverEvent('issues', { action: 'edited', issue: labelled(120) });
    expect(await incident()).toBeUndefined();
    // Labelled again later: an incident again.
    await deliverEvent('issues', { action: 'labeled', issue: labelled(240) });
    expect((await incident())?.source_updated_at?.toISOString()).toBe(new Date(at(240)).toISOString());
  });

  it('keys generic deliveries by (source, kind, eventId): an incident may reuse a deployment event id', async () => {
    const deployment = await post('/api/webhooks/deployments', {
      eventId: 'evt-1',
      repository: ANTS,
      environment: 'staging',
      status: 'success',
      finishedAt: '2026-03-01T10:00:00Z',
    });
    expect(deployment.statusCode).toBe(202);
    const incident = await post('/api/webhooks/incidents', {
      eventId: 'evt-1',
      incidentId: 'P-1',
      title: 'Checkout 500s',
      startedAt: '2026-03-01T11:00:00Z',
    });
    expect(incident.statusCode).toBe(202);
    expect(incident.json().status).toBe('accepted');
    expect((await incidentRow('P-1')).title).toBe('Checkout 500s');
    // A replay of either is still a duplicate.
    const replay = await post('/api/webhooks/incidents', {
      eventId: 'evt-1',
      title: 'x',
      startedAt: '2026-03-01T11:00:00Z',
    });
    expect(replay.json().status).toBe('duplicate');
  });

  it('rejects with 409 an incident event that would resolve it before it started, storing nothing', async () => {
    const base = { incidentId: 'P-2', title: 'Latency', startedAt: '2026-03-02T10:00:00Z' };
    await post('/api/webhooks/incidents', { ...base, eventId: 'p2-a', resolvedAt: '2026-03-02T10:30:00Z' });
    const before = await incidentRow('P-2');
    // startedAt moved after the stored resolvedAt: a recovery time of -2400 s.
    const moved = await post('/api/webhooks/incidents', {
      ...base,
      eventId: 'p2-b',
      startedAt: '2026-03-02T11:10:00Z',
    });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().error.code).toBe('conflict');
    expect(moved.json().error.message).toMatch(/^startedAt, resolvedAt: /);
    expect(await incidentRow('P-2')).toEqual(before);
    const deliveries = await t.db
      .selectFrom('webhook_deliveries')
      .select('delivery_id')
      .where('delivery_id', '=', 'p2-b')
      .execute();
    expect(deliveries).toEqual([]);
    // The corrected event (both times) is applied.
    const fixed = await post('/api/webhooks/incidents', {
      ...base,
      eventId: 'p2-b',
      startedAt: '2026-03-02T11:10:00Z',
      resolvedAt: '2026-03-02T11:40:00Z',
    });
    expect(fixed.statusCode).toBe(202);
  });

  it('rejects with 409 a deployment event that would move its start after its stored finish', async () => {
    const base = { deploymentId: 'D-9', repository: ANTS, environment: 'staging' };
    await post('/api/webhooks/deployments', {
      ...base,
      eventId: 'd9-a',
      status: 'success',
      startedAt: '2026-03-03T10:00:00Z',
      finishedAt: '2026-03-03T10:30:00Z',
    });
    const before = await deploymentRow('D-9');
    // A rollback event that also moves the start to 11:00: it would finish before it started.
    const res = await post('/api/webhooks/deployments', {
      ...base,
      eventId: 'd9-b',
      status: 'rolled_back',
      startedAt: '2026-03-03T11:00:00Z',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/^startedAt, finishedAt: /);
    const after = await deploymentRow('D-9');
    expect(after).toEqual(before);
  });

  it('a late resolvedAt: null does not reopen a resolved incident unless it is newer', async () => {
    const base = { incidentId: 'P-3', title: 'Queue stuck', startedAt: '2026-03-04T10:00:00Z' };
    await post('/api/webhooks/incidents', {
      ...base,
      eventId: 'p3-resolved',
      resolvedAt: '2026-03-04T10:30:00Z',
      updatedAt: '2026-03-04T10:30:00Z',
    });
    // The "still open" event of 10:20 arrives after the resolution of 10:30.
    const late = await post('/api/webhooks/incidents', {
      ...base,
      eventId: 'p3-late',
      resolvedAt: null,
      updatedAt: '2026-03-04T10:20:00Z',
    });
    expect(late.statusCode).toBe(202);
    expect((await incidentRow('P-3')).resolved_at?.toISOString()).toBe('2026-03-04T10:30:00.000Z');
    // A reopening after the resolution does reopen it.
    await post('/api/webhooks/incidents', {
      ...base,
      eventId: 'p3-reopen',
      resolvedAt: null,
      updatedAt: '2026-03-04T11:00:00Z',
    });
    expect((await incidentRow('P-3')).resolved_at).toBeNull();
  });

  it('answers a merged-PR delivery at once and links in a pg-boss job scoped to its repository', async () => {
    const merged = pulls.filter((p) => p.merged_at).at(-1)!;
    // A production deployment without a SHA after the merge: the change is linked to it by time.
    const deployed = await post('/api/webhooks/deployments', {
      eventId: 'prod-1',
      repository: ANTS,
      environment: 'production',
      status: 'success',
      finishedAt: later(merged.merged_at!, 3600),
    });
    expect(deployed.statusCode).toBe(202);
    // The collector stored the repository's default branch (the PR's base).
    await t.db
      .updateTable('repositories')
      .set({ default_branch: 'master' })
      .where('full_name', '=', ANTS)
      .execute();
    const res = await deliver('closed', merged);
    expect(res.statusCode).toBe(202);
    const prId = (await pullRow(merged.id)).id;
    const link = () =>
      t.db
        .selectFrom('deployment_changes')
        .selectAll()
        .where('pull_request_id', '=', prId)
        .executeTakeFirst();
    // Answered before any linking: nothing is linked yet, a job for this repository is queued.
    expect(await link()).toBeUndefined();
    const repo = await t.db
      .selectFrom('repositories')
      .select('id')
      .where('full_name', '=', ANTS)
      .executeTakeFirstOrThrow();
    const jobs = await sql<{ data: { repositoryIds: string[] } }>`
      select data from pgboss.job where name = ${LINK_QUEUE} and state = 'created'`.execute(t.db);
    expect(jobs.rows.map((j) => j.data.repositoryIds)).toContainEqual([String(repo.id)]);
    // A worker (the API process or a collector) runs it.
    worker = await startLinkJobs({ databaseUrl: t.url, db: t.db, pollingIntervalSeconds: 0.5 });
    let row = await link();
    for (let i = 0; i < 120 && !row; i++) {
      await new Promise((r) => setTimeout(r, 250));
      row = await link();
    }
    expect(row?.deployment_id).toBe(deployed.json().id);
    expect(row?.attribution).toBe('time');
  });
});
