import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

const fixtures = fileURLToPath(new URL('../../../../../tests/fixtures/recorded/', import.meta.url));
const load = (name: string) => JSON.parse(readFileSync(`${fixtures}${name}`, 'utf8'));
const ANTS = 'panjf2000/ants';
const OPENBIC = 'facebook/OpenBIC';
const SECRET = 'webhook-secret-for-tests';
const repos: Record<string, Record<string, unknown>> = load('github_repos.json');
type Pull = { id: number; merged_at: string | null; state: string; number: number };
type Status = { id: number; state: string; created_at: string };
type Deployment = { id: number };
type Run = {
  id: number;
  path: string;
  status: string;
  conclusion: string | null;
  head_branch: string;
  event: string;
  head_repository: { full_name: string };
};
type Issue = { id: number; labels: { name: string }[]; pull_request?: unknown };
const pulls: Pull[] = load('github_pulls.json')[ANTS];
const deployments: Deployment[] = load('github_deployments.json')[OPENBIC];
const statuses: Record<string, Status[]> = load('github_deployment_statuses.json')[OPENBIC];
const runs: Run[] = load('github_runs.json')[ANTS];
const issues: Issue[] = load('github_issues.json')[ANTS];

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('POST /api/webhooks/github', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const deliver = (
    event: string,
    payload: unknown,
    options: { id?: string; signature?: string | null } = {},
  ) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': options.id ?? randomUUID(),
    };
    if (options.signature !== null) headers['x-hub-signature-256'] = options.signature ?? sign(body);
    return app.inject({ method: 'POST', url: '/api/webhooks/github', headers, payload: body });
  };
  const count = async (table: 'deployments' | 'incidents' | 'pull_requests' | 'webhook_deliveries') =>
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
        repositories: [ANTS, OPENBIC],
        incidentLabel: 'BUG',
        repositoryRules: {
          [OPENBIC]: { source: 'github_deployments', environment: '^github-pages$' },
          [ANTS]: { source: 'workflow_runs', workflows: ['codeql.yml'] },
        },
      },
    });
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ GITHUB_WEBHOOK_SECRET: SECRET }),
      strideConfig,
      logger: false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('rejects missing and forged signatures without writing anything', async () => {
    const payload = { action: 'opened', pull_request: pulls[0], repository: repos[ANTS] };
    const body = JSON.stringify(payload);
    for (const signature of [null, sign(body, 'wrong-secret'), 'sha256=00', sign(`${body} `)]) {
      const res = await deliver('pull_request', payload, { signature });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    expect(await count('pull_requests')).toBe(0);
    expect(await count('webhook_deliveries')).toBe(0);
  });

  it('applies recorded pull requests, once per delivery', async () => {
    const deliveryIds: string[] = [];
    for (const pr of pulls) {
      const id = randomUUID();
      deliveryIds.push(id);
      const action = pr.state === 'open' ? 'opened' : 'closed';
      const res = await deliver(
        'pull_request',
        { action, pull_request: pr, repository: repos[ANTS] },
        { id },
      );
      expect(res.statusCode, JSON.stringify(res.json())).toBe(202);
    }
    const rows = await t.db
      .selectFrom('pull_requests')
      .select(['external_id', 'state', 'merged_at'])
      .execute();
    expect(rows).toHaveLength(pulls.length);
    expect(rows.filter((r) => r.state === 'merged')).toHaveLength(pulls.filter((p) => p.merged_at).length);

    // A replayed delivery, even altered and re-signed, changes nothing.
    const before = await t.db.selectFrom('pull_requests').selectAll().orderBy('id').execute();
    const altered = { ...pulls[0]!, title: 'replayed', state: 'closed' };
    const res = await deliver(
      'pull_request',
      { action: 'edited', pull_request: altered, repository: repos[ANTS] },
      { id: deliveryIds[0] },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('duplicate');
    expect(await t.db.selectFrom('pull_requests').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('applies recorded deployment statuses: success, or inactive after a success (metrics.md)', async () => {
    const events = deployments
      .flatMap((d) => (statuses[String(d.id)] ?? []).map((s) => ({ d, s })))
      .sort((a, b) => a.s.created_at.localeCompare(b.s.created_at));
    for (const { d, s } of events) {
      const res = await deliver('deployment_status', {
        action: 'created',
        deployment_status: s,
        deployment: d,
        repository: repos[OPENBIC],
      });
      expect(res.statusCode).toBe(202);
    }
    // Expected, from the fixture: the deployments whose statuses include a success.
    const expected = deployments
      .map((d) => ({
        id: String(d.id),
        success: (statuses[String(d.id)] ?? []).find((s) => s.state === 'success'),
      }))
      .filter((d) => d.success);
    const rows = await t.db
      .selectFrom('deployments')
      .select(['external_id', 'status', 'deployed_at', 'is_production'])
      .where('source', '=', 'github_deployments')
      .execute();
    expect(rows).toHaveLength(new Set(events.map((e) => e.d.id)).size);
    const succeeded = rows.filter((r) => r.status === 'success');
    expect(succeeded.map((r) => r.external_id).sort()).toEqual(expected.map((d) => d.id).sort());
    for (const d of expected) {
      const row = succeeded.find((r) => r.external_id === d.id)!;
      expect(row.deployed_at?.toISOString()).toBe(new Date(d.success!.created_at).toISOString());
      expect(row.is_production).toBe(true);
    }
  });

  it('counts a success delivered after the inactive that superseded it (deliveries out of order)', async () => {
    // GitHub does not promise delivery order: the newest status may arrive first.
    await t.db.deleteFrom('deployment_changes').execute();
    await t.db.deleteFrom('deployments').where('source', '=', 'github_deployments').execute();
    const events = deployments
      .flatMap((d) => (statuses[String(d.id)] ?? []).map((s) => ({ d, s })))
      .sort((a, b) => b.s.created_at.localeCompare(a.s.created_at));
    const both = deployments.filter((d) => {
      const states = (statuses[String(d.id)] ?? []).map((s) => s.state);
      return states.includes('success') && states.includes('inactive');
    });
    expect(both.length).toBeGreaterThan(0);
    for (const { d, s } of events) {
      const res = await deliver('deployment_status', {
        action: 'created',
        deployment_status: s,
        deployment: d,
        repository: repos[OPENBIC],
      });
      expect(res.statusCode).toBe(202);
    }
    const rows = await t.db
      .selectFrom('deployments')
      .select(['external_id', 'status', 'deployed_at'])
      .where('source', '=', 'github_deployments')
      .execute();
    for (const d of both) {
      const success = (statuses[String(d.id)] ?? []).find((s) => s.state === 'success')!;
      const row = rows.find((r) => r.external_id === String(d.id));
      expect(row?.status, String(d.id)).toBe('success');
      expect(row?.deployed_at?.toISOString()).toBe(new Date(success.created_at).toISOString());
    }
  });

  it('applies runs of the configured workflow and names the bad field of malformed runs', async () => {
    const configured = runs.filter((r) => r.path.endsWith('/codeql.yml'));
    const valid = configured.filter((r) => r.status === r.status.toLowerCase());
    const deliveries = await count('webhook_deliveries');
    let ignored = 0;
    for (const run of runs) {
      const res = await deliver('workflow_run', {
        action: 'completed',
        workflow_run: run,
        repository: repos[ANTS],
      });
      if (!configured.includes(run)) {
        expect(res.json().status).toBe('ignored');
        ignored += 1;
      } else if (valid.includes(run)) {
        expect(res.statusCode).toBe(202);
      } else {
        expect(res.statusCode).toBe(400);
        expect(res.json().error.message).toMatch(/^workflow_run\.status: /);
      }
    }
    const rows = await t.db
      .selectFrom('deployments')
      .select(['external_id', 'deployed_at', 'is_production'])
      .where('source', '=', 'workflow_runs')
      .execute();
    expect(rows).toHaveLength(valid.length);
    const defaultBranch = repos[ANTS]!.default_branch;
    // Runs of the repository's own pushes (default workflowEvents: push, workflow_dispatch); the
    // recorded fork PR runs on a branch named like the default one are not deployments.
    const deployedInProduction = valid.filter(
      (r) =>
        r.status === 'completed' &&
        r.conclusion === 'success' &&
        r.head_branch === defaultBranch &&
        r.head_repository.full_name === ANTS &&
        ['push', 'workflow_dispatch'].includes(r.event),
    );
    expect(rows.filter((r) => r.is_production && r.deployed_at)).toHaveLength(deployedInProduction.length);
    // Rejected deliveries are not recorded (a fixed redelivery can still apply).
    expect(await count('webhook_deliveries')).toBe(deliveries + valid.length + ignored);
  });

  it('turns labelled issues into incidents and drops them when unlabelled', async () => {
    const isIncident = (i: Issue) => !i.pull_request && i.labels.some((l) => l.name.toLowerCase() === 'bug');
    for (const issue of issues) {
      const res = await deliver('issues', { action: 'opened', issue, repository: repos[ANTS] });
      expect(res.statusCode).toBe(202);
    }
    const incidents = await t.db
      .selectFrom('incidents')
      .select('external_id')
      .where('source', '=', 'github')
      .execute();
    expect(incidents.map((i) => i.external_id).sort()).toEqual(
      issues
        .filter(isIncident)
        .map((i) => String(i.id))
        .sort(),
    );
    const first = issues.find(isIncident)!;
    await deliver('issues', {
      action: 'unlabeled',
      issue: { ...first, labels: [] },
      repository: repos[ANTS],
    });
    expect(await count('incidents')).toBe(issues.filter(isIncident).length - 1);
  });

  it('answers pings, ignores other repositories and events, and rejects broken bodies', async () => {
    expect(
      (await deliver('ping', { zen: 'Keep it logically awesome.', repository: repos[ANTS] })).statusCode,
    ).toBe(200);
    const other = await deliver('pull_request', {
      action: 'opened',
      pull_request: pulls[0],
      repository: { full_name: 'someone/else' },
    });
    expect(other.json().status).toBe('ignored');
    expect((await deliver('star', { repository: repos[ANTS] })).json().status).toBe('ignored');
    const broken = await deliver('pull_request', '{"action": "opened", ');
    expect(broken.statusCode).toBe(400);
    const noPr = await deliver('pull_request', {
      action: 'opened',
      pull_request: { id: 1 },
      repository: repos[ANTS],
    });
    expect(noPr.statusCode).toBe(400);
    expect(noPr.json().error.message).toMatch(/^pull_request\./);
  });

  it('accepts the form-encoded content type, signed over the encoded body', async () => {
    const body = new URLSearchParams({
      payload: JSON.stringify({ zen: 'x', repository: repos[ANTS] }),
    }).toString();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-github-event': 'ping',
      'x-github-delivery': randomUUID(),
    };
    const good = await app.inject({
      method: 'POST',
      url: '/api/webhooks/github',
      headers: { ...headers, 'x-hub-signature-256': sign(body) },
      payload: body,
    });
    expect(good.statusCode).toBe(200);
    const forged = await app.inject({
      method: 'POST',
      url: '/api/webhooks/github',
      headers: { ...headers, 'x-hub-signature-256': sign(body, 'other') },
      payload: body,
    });
    expect(forged.statusCode).toBe(401);
  });

  it('is off (404) without GITHUB_WEBHOOK_SECRET', async () => {
    const off = await buildApp({
      db: t.db,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({}),
      logger: false,
    });
    const body = JSON.stringify({ zen: 'x' });
    const res = await off.inject({
      method: 'POST',
      url: '/api/webhooks/github',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-hub-signature-256': sign(body),
      },
      payload: body,
    });
    expect(res.statusCode).toBe(404);
    await off.close();
  });
});
