import { syncPlansFromConfig, syncTeamsFromConfig, upsertIncidents } from '@stride/db';
import type { AnnotationList } from '@stride/shared';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

const ADMIN = 'admin-token-annotations-0001';
const VIEWER = 'viewer-token-annotations-001';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const strideConfig = parseStrideConfig({
  annotations: [
    { date: '2026-10-05', kind: 'tool_adoption', title: 'Merge queue on every repository' },
    { date: '2026-10-12', endDate: '2026-10-16', kind: 'freeze', title: 'Release freeze', team: 'payments' },
    { date: '2026-10-20', kind: 'reorg', title: 'Search joins Platform', team: 'search' },
  ],
  automaticAnnotations: { incidentSeverity: 2 },
  teams: [
    {
      slug: 'payments',
      name: 'Payments',
      repositories: ['acme/pay'],
      members: [
        { name: 'Ada', github: 'ada' },
        { name: 'Bob', github: 'bob', from: '2026-10-07', to: '2026-10-27' },
      ],
      goals: [{ metric: 'pickup_time', statistic: 'p50', target: '4h', direction: '<' }],
    },
    {
      slug: 'search',
      name: 'Search',
      goals: [{ metric: 'pr_size', statistic: 'p50', target: 300, direction: '<', startDate: '2026-10-14' }],
    },
  ],
  goals: [
    { metric: 'deployment_days', statistic: 'value', target: 3, direction: '>=', startDate: '2025-06-02' },
  ],
});

describe('annotation routes', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    const teamIds = await syncTeamsFromConfig(t.db, strideConfig.teams);
    await syncPlansFromConfig(t.db, strideConfig);
    const incident = (key: string, severity: string | null, startedAt: string) => ({
      source: 'webhook' as const,
      external_id: key,
      key,
      title: `Outage ${key}`,
      team_id: teamIds.get('payments')!,
      severity,
      started_at: startedAt,
    });
    await upsertIncidents(t.db, [
      incident('INC-1', 'SEV1', '2026-10-09T10:00:00Z'),
      incident('INC-2', 'SEV3', '2026-10-10T10:00:00Z'),
      incident('INC-3', null, '2026-10-11T10:00:00Z'),
    ]);
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({
        RATE_LIMIT_PER_MINUTE: '100000',
        STRIDE_ADMIN_TOKEN: ADMIN,
        STRIDE_VIEWER_TOKEN: VIEWER,
      }),
      strideConfig,
      logger: false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });
  const list = async (query: string) => {
    const res = await app.inject({ url: `/api/annotations?${query}`, headers: bearer(VIEWER) });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as AnnotationList).annotations;
  };

  it("gives a team the org's events, its own, its membership changes and its severe incidents", async () => {
    const events = await list('team=payments&from=2026-10-01&to=2026-11-01');
    expect(events.map((e) => [e.date, e.kind, e.origin])).toEqual([
      ['2026-10-05', 'tool_adoption', 'config'],
      ['2026-10-07', 'membership', 'automatic'],
      ['2026-10-09', 'incident', 'automatic'],
      ['2026-10-12', 'freeze', 'config'],
      ['2026-10-28', 'membership', 'automatic'],
    ]);
    expect(events[1]!.title).toBe('Bob joined the team');
    expect(events[2]!.title).toContain('INC-1');
    expect(events[3]!.endDate).toBe('2026-10-16');
    expect(events[4]!.title).toBe('Bob left the team');
  });

  it('filters by kind and period; without a team gives the org-wide events only', async () => {
    expect(
      (await list('team=payments&from=2026-10-01&to=2026-11-01&kind=membership')).map((e) => e.date),
    ).toEqual(['2026-10-07', '2026-10-28']);
    expect((await list('team=payments&from=2026-10-10&to=2026-10-13')).map((e) => e.kind)).toEqual([
      'freeze',
    ]);
    expect((await list('from=2026-10-01&to=2026-11-01')).map((e) => e.kind)).toEqual(['tool_adoption']);
    const bad = await app.inject({ url: '/api/annotations?kind=party', headers: bearer(VIEWER) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^kind:/);
    expect(
      (await app.inject({ url: '/api/annotations?team=ghosts', headers: bearer(VIEWER) })).statusCode,
    ).toBe(404);
  });

  it('marks the day a goal was created', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const events = await list(`team=payments&kind=goal`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      date: today,
      title: 'Goal set: Pickup time p50 < 4 h',
      origin: 'automatic',
    });
  });

  it('dates a goal with a start date at its start, not the day the config was synced', async () => {
    expect(await list('team=search&from=2026-10-01&to=2026-11-01&kind=goal')).toEqual([
      expect.objectContaining({
        date: '2026-10-14',
        title: 'Goal set: PR size p50 < 300 lines',
        team: 'search',
      }),
    ]);
    // An org goal on the org charts, on its start date long before the sync.
    expect(await list('from=2025-06-01&to=2025-07-01&kind=goal')).toEqual([
      expect.objectContaining({ date: '2025-06-02', team: null, origin: 'automatic' }),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list('team=search&kind=goal')).some((e) => e.date === today)).toBe(false);
  });

  it('lets an admin add and delete an event; a bad one names its field', async () => {
    const post = (payload: object, token = ADMIN) =>
      app.inject({ method: 'POST', url: '/api/admin/annotations', headers: bearer(token), payload });
    const body = {
      team: 'payments',
      kind: 'postmortem',
      title: 'Checkout outage review',
      date: '2026-10-21',
    };
    expect((await post(body, VIEWER)).statusCode).toBe(403);
    for (const [payload, field] of [
      [{ ...body, kind: 'party' }, 'kind'],
      [{ ...body, team: 'ghosts' }, 'team'],
      [{ ...body, endDate: '2026-10-01' }, 'endDate'],
      [{ ...body, date: 'tomorrow' }, 'date'],
    ] as const) {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    const created = await post(body);
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect(
      (await list('team=payments&from=2026-10-01&to=2026-11-01&kind=postmortem')).map((e) => e.id),
    ).toEqual([id]);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/admin/annotations/${id}`, headers: bearer(ADMIN) }))
        .statusCode,
    ).toBe(204);
    expect(await list('team=payments&from=2026-10-01&to=2026-11-01&kind=postmortem')).toEqual([]);
    const configured = (await list('team=payments&from=2026-10-01&to=2026-11-01&kind=freeze'))[0]!;
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/admin/annotations/${configured.id}`,
          headers: bearer(ADMIN),
        })
      ).statusCode,
    ).toBe(404);
  });

  it("lets an admin edit an admin's event; a bad edit names its field, an unknown id is a 404", async () => {
    const body = { team: 'payments', kind: 'postmortem', title: 'Outage review', date: '2026-10-21' };
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/annotations',
      headers: bearer(ADMIN),
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    const put = (target: string, payload: object, token = ADMIN) =>
      app.inject({ method: 'PUT', url: `/api/admin/annotations/${target}`, headers: bearer(token), payload });
    const edit = { ...body, team: null, kind: 'freeze', title: 'Holiday freeze', endDate: '2026-10-24' };

    expect((await put(id, edit, VIEWER)).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'PUT', url: `/api/admin/annotations/${id}`, payload: edit })).statusCode,
    ).toBe(401);
    for (const [payload, field] of [
      [{ ...edit, kind: 'membership' }, 'kind'],
      [{ ...edit, team: 'ghosts' }, 'team'],
      [{ ...edit, endDate: '2026-10-01' }, 'endDate'],
      [{ ...edit, date: '2026-02-30' }, 'date'],
      [{ ...edit, title: '' }, 'title'],
      [{ ...edit, colour: 'red' }, 'colour'],
    ] as const) {
      const res = await put(id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('invalid_parameter');
      expect(res.json().error.message).toContain(field);
    }
    // Nothing of the refused edits was written.
    expect(
      (await list('team=payments&from=2026-10-01&to=2026-11-01&kind=postmortem')).map((e) => e.id),
    ).toEqual([id]);

    const res = await put(id, edit);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id,
      kind: 'freeze',
      title: 'Holiday freeze',
      team: null,
      date: '2026-10-21',
      endDate: '2026-10-24',
      origin: 'api',
    });
    // The org's charts now show it (it is org-wide), the team's no longer as a postmortem.
    expect((await list('from=2026-10-22&to=2026-10-23&kind=freeze')).map((e) => e.title)).toEqual([
      'Holiday freeze',
    ]);
    expect(await list('team=payments&from=2026-10-01&to=2026-11-01&kind=postmortem')).toEqual([]);

    expect((await put('999999', edit)).statusCode).toBe(404);
    const configured = (await list('team=payments&from=2026-10-01&to=2026-11-01&kind=freeze')).find(
      (e) => e.origin === 'config',
    )!;
    const refused = await put(configured.id, edit);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('not_found');
    expect((await put('not-a-number', edit)).statusCode).toBe(400);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/admin/annotations/${id}`, headers: bearer(ADMIN) }))
        .statusCode,
    ).toBe(204);
  });

  it('lets an admin (not a viewer) list every stored event', async () => {
    const listed = await app.inject({ url: '/api/admin/annotations', headers: bearer(ADMIN) });
    expect(listed.statusCode).toBe(200);
    expect(
      listed.json().annotations.map((a: { title: string; origin: string }) => [a.title, a.origin]),
    ).toEqual([
      ['Merge queue on every repository', 'config'],
      ['Release freeze', 'config'],
      ['Search joins Platform', 'config'],
    ]);
    expect((await app.inject({ url: '/api/admin/annotations', headers: bearer(VIEWER) })).statusCode).toBe(
      403,
    );
    expect((await app.inject({ url: '/api/admin/annotations' })).statusCode).toBe(401);
  });
});
