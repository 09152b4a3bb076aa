import { syncPlansFromConfig, syncTeamsFromConfig } from '@stride/db';
import type { GoalStatusList, TeamsGoalStatus } from '@stride/shared';
import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { ReferenceOrg, stats } from '@stride/testkit/reference-metrics';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

// GET /api/teams/goals on a generated org: every status is recomputed here from the org's rows
// by the reference implementation and a judgement written out below (never the API's own
// evaluateGoal), then each team's entry is compared with GET /api/teams/:team/goals.
const ADMIN = 'admin-token-teams-goals-0001';
const VIEWER = 'viewer-token-teams-goals-001';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const DAY = 86_400_000;
const end = new Date(Date.UTC(2025, 5, 1));
const from = new Date(end.getTime() - 56 * DAY);
const prevFrom = new Date(from.getTime() - 56 * DAY);
const lastDay = new Date(end.getTime() - DAY).toISOString().slice(0, 10);
const period = `from=${from.toISOString().slice(0, 10)}&to=${end.toISOString().slice(0, 10)}`;
const org = generateOrg({ teams: 3, membersPerTeam: 5, reposPerTeam: 2, days: 120, end, seed: 11 });
const ref = new ReferenceOrg(org);
const [teamA, teamB, teamC] = org.teams.map((t) => t.slug) as [string, string, string];

type Direction = '<' | '<=' | '>' | '>=';
type Metric = 'change_failure_rate' | 'change_lead_time' | 'deployment_frequency' | 'pr_size' | 'throughput';
interface Figure {
  value: number | null;
  n: number;
}

/** A figure of docs/metrics.md recomputed from the generated rows for a team and a period. */
function figure(slug: string, metric: Metric, start: Date, stop: Date): Figure {
  const weeks = (stop.getTime() - start.getTime()) / (7 * DAY);
  const dora = ref.dora({ type: 'team', slug }, start, stop);
  const merged = ref
    .changes()
    .filter((p) => p.mergedAt! >= start && p.mergedAt! < stop && ref.isMember(slug, p.author, p.mergedAt!));
  switch (metric) {
    case 'change_failure_rate':
      return { value: dora.deployments ? dora.failed / dora.deployments : null, n: dora.deployments };
    case 'change_lead_time':
      return { value: dora.leadTime.p50, n: dora.leadTime.n };
    case 'deployment_frequency':
      return { value: dora.deployments ? dora.deployments / weeks : null, n: dora.deployments };
    case 'pr_size': {
      const sizes = stats(merged.filter((p) => p.additions !== null).map((p) => p.additions! + p.deletions!));
      return { value: sizes.p50, n: sizes.n };
    }
    case 'throughput':
      return { value: merged.length ? merged.length / weeks : null, n: merged.length };
  }
}

const satisfies = (value: number, direction: Direction, target: number) =>
  direction === '<'
    ? value < target
    : direction === '<='
      ? value <= target
      : direction === '>'
        ? value > target
        : value >= target;

/** The status docs/metrics.md gives a goal, written out independently of the API's code. */
function expectedStatus(
  goal: { direction: Direction; target: number; startDate?: string },
  now: Figure,
  before: Figure,
): string {
  if (goal.startDate !== undefined && lastDay < goal.startDate) return 'not_started';
  if (now.value === null) return 'no_data';
  if (!satisfies(now.value, goal.direction, goal.target)) return 'missed';
  if (before.value === null) return 'met';
  const wrongWay = goal.direction.startsWith('<') ? now.value > before.value : now.value < before.value;
  return wrongWay ? 'at_risk' : 'met';
}

const now = (slug: string, metric: Metric) => figure(slug, metric, from, end);
const before = (slug: string, metric: Metric) => figure(slug, metric, prevFrom, from);

/** A target above `a` (a ratio stays within 0..1). */
const above = (metric: Metric, a: number) => (metric === 'change_failure_rate' ? (a + 1) / 2 : a * 2 + 1);

/** A goal met (moving the right way), one at risk (met, moving the wrong way) and one missed. */
function metGoal(slug: string, metric: Metric) {
  const [a, b] = [now(slug, metric).value!, before(slug, metric).value!];
  return a <= b
    ? { metric, direction: '<' as const, target: above(metric, a) }
    : { metric, direction: '>' as const, target: a / 2 };
}
function atRiskGoal(slug: string, metric: Metric) {
  const [a, b] = [now(slug, metric).value!, before(slug, metric).value!];
  return a > b
    ? { metric, direction: '<=' as const, target: above(metric, a) }
    : { metric, direction: '>=' as const, target: a / 2 };
}
function missedGoal(slug: string, metric: Metric) {
  return { metric, direction: '>=' as const, target: above(metric, now(slug, metric).value!) };
}

const statistic = (metric: Metric) =>
  metric === 'change_lead_time' || metric === 'pr_size' ? 'p50' : 'value';
const goalsOf: Record<
  string,
  { metric: Metric; direction: Direction; target: number; startDate?: string }[]
> = {
  [teamA]: [
    metGoal(teamA, 'change_lead_time'),
    missedGoal(teamA, 'pr_size'),
    { ...metGoal(teamA, 'throughput'), startDate: '2030-01-01' },
  ],
  [teamB]: [atRiskGoal(teamB, 'deployment_frequency'), metGoal(teamB, 'change_failure_rate')],
  [teamC]: [],
};

describe('GET /api/teams/goals', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    const strideConfig = parseStrideConfig({
      teams: org.teams.map((team) => ({
        ...team,
        goals: goalsOf[team.slug]!.map((g) => ({ ...g, statistic: statistic(g.metric) })),
      })),
      // An org goal: served by /api/org/goals, never as a team's.
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

  it("gives every team's goal statuses with n, as recomputed from the rows", async () => {
    const res = await app.inject({ url: `/api/teams/goals?${period}`, headers: bearer(VIEWER) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as TeamsGoalStatus;
    expect(body.period).toEqual({ from: from.toISOString(), to: end.toISOString() });
    expect(body.previousPeriod).toEqual({ from: prevFrom.toISOString(), to: from.toISOString() });
    expect(body.teams.map((t) => t.team.slug)).toEqual(
      [...org.teams].sort((a, b) => a.name.localeCompare(b.name)).map((t) => t.slug),
    );
    const statuses: string[] = [];
    for (const entry of body.teams) {
      const expected = goalsOf[entry.team.slug]!;
      expect(entry.team.name).toBe(org.teams.find((t) => t.slug === entry.team.slug)!.name);
      expect(entry.goals.map((g) => g.goal.metric).sort()).toEqual(expected.map((g) => g.metric).sort());
      for (const g of entry.goals) {
        const goal = expected.find((e) => e.metric === g.goal.metric)!;
        const current = now(entry.team.slug, goal.metric);
        const previous = before(entry.team.slug, goal.metric);
        const where = `${entry.team.slug} ${goal.metric}`;
        expect(g.goal.team, where).toBe(entry.team.slug);
        expect(g.n, where).toBe(current.n);
        expect(g.n, where).toBeGreaterThan(0);
        if (current.value === null) expect(g.value, where).toBeNull();
        else expect(g.value, where).toBeCloseTo(current.value, 6);
        if (previous.value === null) expect(g.previous, where).toBeNull();
        else expect(g.previous, where).toBeCloseTo(previous.value, 6);
        expect(g.status, where).toBe(expectedStatus(goal, current, previous));
        statuses.push(g.status);
      }
    }
    // The fixture reaches every judgement a period can give a goal with data.
    expect(new Set(statuses)).toEqual(new Set(['met', 'at_risk', 'missed', 'not_started']));
    expect(body.teams.find((t) => t.team.slug === teamC)!.goals).toEqual([]);
  });

  it("equals GET /api/teams/:team/goals for each team, and leaves the org's goals to /api/org/goals", async () => {
    const all = (
      await app.inject({ url: `/api/teams/goals?${period}`, headers: bearer(VIEWER) })
    ).json() as TeamsGoalStatus;
    for (const entry of all.teams) {
      const one = (
        await app.inject({ url: `/api/teams/${entry.team.slug}/goals?${period}`, headers: bearer(VIEWER) })
      ).json() as GoalStatusList;
      expect(entry.goals, entry.team.slug).toEqual(one.goals);
      expect(all.period).toEqual(one.period);
    }
    expect(all.teams.flatMap((t) => t.goals).some((g) => g.goal.team === null)).toBe(false);
  });

  it('400s a bad period naming it; needs a viewer', async () => {
    const bad = await app.inject({
      url: '/api/teams/goals?from=2025-06-02&to=2025-06-01',
      headers: bearer(VIEWER),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^from:/);
    const unknown = await app.inject({ url: '/api/teams/goals?to=soon', headers: bearer(VIEWER) });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/^to:/);
    expect((await app.inject({ url: '/api/teams/goals' })).statusCode).toBe(401);
  });
});
