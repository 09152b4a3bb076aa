import { syncPlansFromConfig, syncTeamsFromConfig } from '@stride/db';
import { evaluateGoal } from '@stride/metrics';
import type { DoraSummary, GoalStatusList, TeamHealth } from '@stride/shared';
import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

const ADMIN = 'admin-token-goals-value-0001';
const VIEWER = 'viewer-token-goals-value-001';
const end = new Date(Date.UTC(2025, 5, 1));
const org = generateOrg({ teams: 2, membersPerTeam: 5, reposPerTeam: 2, days: 120, end, seed: 7 });
const team = org.teams[0]!.slug;
const period = 'from=2025-04-06&to=2025-06-01';
const previousPeriod = 'from=2025-02-09&to=2025-04-06';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('goal routes', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    const strideConfig = parseStrideConfig({
      teams: [
        {
          ...org.teams[0],
          goals: [
            { metric: 'pickup_time', statistic: 'p50', target: '4h', direction: '<' },
            { metric: 'change_failure_rate', statistic: 'value', target: '10%', direction: '<=' },
            { metric: 'pr_size', statistic: 'p50', target: 300, direction: '<', startDate: '2030-01-01' },
          ],
        },
      ],
      goals: [{ metric: 'deployment_days', statistic: 'value', target: 3, direction: '>=' }],
    });
    await syncTeamsFromConfig(t.db, strideConfig.teams);
    await syncPlansFromConfig(t.db, strideConfig);
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

  it("judges a team's goals on the figures the dashboard shows, with n", async () => {
    const res = await app.inject({ url: `/api/teams/${team}/goals?${period}`, headers: bearer(VIEWER) });
    expect(res.statusCode).toBe(200);
    const body = res.json() as GoalStatusList;
    expect(body.previousPeriod).toEqual({ from: '2025-02-09T00:00:00.000Z', to: '2025-04-06T00:00:00.000Z' });
    const get = async <T>(url: string) => (await app.inject({ url, headers: bearer(VIEWER) })).json() as T;
    const health = await get<TeamHealth>(`/api/teams/${team}/health?${period}`);
    const previousHealth = await get<TeamHealth>(`/api/teams/${team}/health?${previousPeriod}`);
    const dora = await get<DoraSummary>(`/api/teams/${team}/dora?${period}`);

    const pickup = body.goals.find((g) => g.goal.metric === 'pickup_time')!;
    expect(pickup.goal).toMatchObject({
      team,
      statistic: 'p50',
      target: 14_400,
      direction: '<',
      origin: 'config',
    });
    expect(pickup.value).toBe(health.cycleTime.pickup.p50);
    expect(pickup.n).toBe(health.cycleTime.pickup.n);
    expect(pickup.n).toBeGreaterThan(0);
    expect(pickup.previous).toBe(previousHealth.cycleTime.pickup.p50);
    expect(pickup.status).toBe(
      evaluateGoal(pickup.goal, { value: pickup.value, previous: pickup.previous, n: pickup.n }, '2025-05-31')
        .status,
    );

    const cfr = body.goals.find((g) => g.goal.metric === 'change_failure_rate')!;
    expect(cfr.value).toBe(dora.metrics.changeFailureRate.value);
    expect(cfr.n).toBe(dora.metrics.changeFailureRate.n);
    expect(cfr.previous).toBe(dora.metrics.changeFailureRate.trend.previous);
    const met = cfr.value! <= 0.1;
    expect(cfr.status).toBe(met ? (cfr.value! > cfr.previous! ? 'at_risk' : 'met') : 'missed');

    expect(body.goals.find((g) => g.goal.metric === 'pr_size')!.status).toBe('not_started');
  });

  it('serves the org goals on the org figures', async () => {
    const body = (
      await app.inject({ url: `/api/org/goals?${period}`, headers: bearer(VIEWER) })
    ).json() as GoalStatusList;
    const dora = (
      await app.inject({ url: `/api/org/dora?${period}`, headers: bearer(VIEWER) })
    ).json() as DoraSummary;
    expect(body.goals).toHaveLength(1);
    expect(body.goals[0]!.value).toBe(dora.metrics.deploymentFrequency.medianDeploymentDaysPerWeek);
    expect(body.goals[0]!.n).toBe(dora.metrics.deploymentFrequency.n);
  });

  it('404s an unknown team and 400s a bad period', async () => {
    expect((await app.inject({ url: '/api/teams/nope/goals', headers: bearer(VIEWER) })).statusCode).toBe(
      404,
    );
    const bad = await app.inject({
      url: `/api/teams/${team}/goals?from=2025-06-02&to=2025-06-01`,
      headers: bearer(VIEWER),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^from:/);
  });

  it('lets an admin add, replace and delete goals; a bad goal names its field', async () => {
    const post = (payload: object, token = ADMIN) =>
      app.inject({ method: 'POST', url: '/api/admin/goals', headers: bearer(token), payload });
    expect(
      (await post({ team, metric: 'pr_size', statistic: 'p50', target: 300, direction: '<' }, VIEWER))
        .statusCode,
    ).toBe(403);

    const bad = [
      [{ team, metric: 'pr_size', statistic: 'value', target: 300, direction: '<' }, 'statistic'],
      [{ team, metric: 'pr_size', statistic: 'p50', target: '10%', direction: '<' }, 'target'],
      [{ team, metric: 'velocity', statistic: 'p50', target: 1, direction: '<' }, 'metric'],
      [{ team, metric: 'pr_size', statistic: 'p50', target: 1, direction: '!=' }, 'direction'],
      [{ team: 'ghosts', metric: 'pr_size', statistic: 'p50', target: 1, direction: '<' }, 'team'],
      [{ metric: 'pickup_time', statistic: 'p50', target: '4h', direction: '<' }, 'metric'],
    ] as const;
    for (const [payload, field] of bad) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message, JSON.stringify(payload)).toContain(field);
    }

    const created = await post({
      team,
      metric: 'work_in_progress',
      statistic: 'value',
      target: 8,
      direction: '<=',
    });
    expect(created.statusCode).toBe(201);
    const goal = created.json();
    expect(goal).toMatchObject({ team, metric: 'work_in_progress', target: 8, origin: 'api' });
    const status = (
      await app.inject({ url: `/api/teams/${team}/goals?${period}`, headers: bearer(VIEWER) })
    ).json() as GoalStatusList;
    const health = (
      await app.inject({ url: `/api/teams/${team}/health?${period}`, headers: bearer(VIEWER) })
    ).json() as TeamHealth;
    expect(status.goals.find((g) => g.goal.id === goal.id)!.value).toBe(health.workInProgress.open);

    const put = await app.inject({
      method: 'PUT',
      url: `/api/admin/goals/${goal.id}`,
      headers: bearer(ADMIN),
      payload: { team, metric: 'work_in_progress', statistic: 'value', target: 5, direction: '<=' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().target).toBe(5);

    const configGoal = status.goals.find((g) => g.goal.origin === 'config')!.goal;
    const delConfig = await app.inject({
      method: 'DELETE',
      url: `/api/admin/goals/${configGoal.id}`,
      headers: bearer(ADMIN),
    });
    expect(delConfig.statusCode).toBe(404);
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/admin/goals/${goal.id}`,
      headers: bearer(ADMIN),
    });
    expect(del.statusCode).toBe(204);
    const list = (await app.inject({ url: '/api/admin/goals', headers: bearer(ADMIN) })).json();
    expect(list.goals.map((g: { id: string }) => g.id)).not.toContain(goal.id);
    expect(list.goals).toHaveLength(4);
  });
});
