import { listTeams } from '@stride/db';
import { describeGoal } from '@stride/metrics';
import type { AgreementViolation, DoraSummary, GoalWithStatus, TeamHealth } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { computeTeamAgreements } from '../routes/agreements/index.ts';
import { computeDoraSummary } from '../routes/dora/index.ts';
import { computeGoalStatuses } from '../routes/goals/index.ts';
import { computeTeamHealth } from '../routes/teams/index.ts';

type Unit = 'count' | 'seconds' | 'ratio' | 'lines';

/** One figure of a digest: now, before (the previous period of equal length), both with n. */
export interface DigestFigure {
  label: string;
  unit: Unit;
  value: number | null;
  previous: number | null;
  n: number;
  previousN: number;
  better: 'higher' | 'lower';
}

/** What a digest says, before it is rendered for Slack, e-mail or a terminal. */
export interface DigestContent {
  /** `team:<slug>` or `org`: with the period, the delivery's idempotency key. */
  digest: string;
  name: string;
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  /** The dashboard page of the scope with exactly this period. */
  link: string;
  figures: DigestFigure[];
  goals: {
    text: string;
    status: GoalWithStatus['status'];
    value: number | null;
    unit: Goal['unit'];
    n: number;
  }[];
  /** Agreements broken in the period: per rule, how many of how many. */
  agreements: { label: string; broken: number; checked: number }[];
  /** Open PRs that broke an agreement, oldest first, with what they wait on. */
  stuck: Pick<AgreementViolation, 'repository' | 'number' | 'title' | 'url' | 'ageDays' | 'waitingOn'>[];
  /** Org digest: each team's goal status counts and a link. */
  teams: { name: string; link: string; met: number; atRisk: number; missed: number }[];
}
type Goal = GoalWithStatus['goal'];

const doraFigures = (now: DoraSummary, before: DoraSummary): DigestFigure[] => {
  const m = now.metrics;
  const b = before.metrics;
  return [
    {
      label: 'Deployments',
      unit: 'count',
      value: m.deploymentFrequency.value,
      previous: b.deploymentFrequency.value,
      n: m.deploymentFrequency.n,
      previousN: b.deploymentFrequency.n,
      better: 'higher',
    },
    {
      label: 'Change lead time p50',
      unit: 'seconds',
      value: m.changeLeadTime.p50,
      previous: b.changeLeadTime.p50,
      n: m.changeLeadTime.n,
      previousN: b.changeLeadTime.n,
      better: 'lower',
    },
    {
      label: 'Change failure rate',
      unit: 'ratio',
      value: m.changeFailureRate.value,
      previous: b.changeFailureRate.value,
      n: m.changeFailureRate.n,
      previousN: b.changeFailureRate.n,
      better: 'lower',
    },
    {
      label: 'Failed deployment recovery time p50',
      unit: 'seconds',
      value: m.failedDeploymentRecoveryTime.p50,
      previous: b.failedDeploymentRecoveryTime.p50,
      n: m.failedDeploymentRecoveryTime.n,
      previousN: b.failedDeploymentRecoveryTime.n,
      better: 'lower',
    },
    {
      label: 'Deployment rework rate',
      unit: 'ratio',
      value: m.deploymentReworkRate.value,
      previous: b.deploymentReworkRate.value,
      n: m.deploymentReworkRate.n,
      previousN: b.deploymentReworkRate.n,
      better: 'lower',
    },
  ];
};

const healthFigures = (now: TeamHealth, before: TeamHealth): DigestFigure[] => [
  {
    label: 'Pickup time p50',
    unit: 'seconds',
    value: now.cycleTime.pickup.p50,
    previous: before.cycleTime.pickup.p50,
    n: now.cycleTime.pickup.n,
    previousN: before.cycleTime.pickup.n,
    better: 'lower',
  },
  {
    label: 'PR size p50',
    unit: 'lines',
    value: now.prSize.p50,
    previous: before.prSize.p50,
    n: now.prSize.n,
    previousN: before.prSize.n,
    better: 'lower',
  },
  {
    label: 'Merged PRs',
    unit: 'count',
    value: now.throughput.mergedPrs,
    previous: before.throughput.mergedPrs,
    n: now.throughput.mergedPrs,
    previousN: before.throughput.mergedPrs,
    better: 'higher',
  },
];

/** The dashboard link of a scope with exactly a period (`period=custom&from&to`). */
export function dashboardLink(
  base: string,
  team: string | undefined,
  period: { from: string; to: string },
): string {
  const path = team === undefined ? '/' : `/teams/${encodeURIComponent(team)}`;
  return `${base.replace(/\/$/, '')}${path}?period=custom&from=${period.from}&to=${period.to}`;
}

const goalLine = (g: GoalWithStatus) => ({
  text: describeGoal(g.goal),
  status: g.status,
  value: g.value,
  unit: g.goal.unit,
  n: g.n,
});

/**
 * The digest of a team (`team` a slug) or of the org for the period [from, to) (ISO dates):
 * the figures against the previous period of equal length, goal status, broken agreements with
 * the stuck open PRs, and dashboard links with the exact period. Same computations as the API.
 * @throws StrideError not_found for an unknown team
 */
export async function buildDigest(
  app: FastifyInstance,
  team: string | undefined,
  period: { from: string; to: string },
): Promise<DigestContent> {
  const base = app.strideConfig.digests?.dashboardUrl ?? 'http://127.0.0.1:3000';
  const query = { from: period.from, to: period.to, granularity: 'week' as const };
  const target = team === undefined ? ({ type: 'org' } as const) : ({ type: 'team', slug: team } as const);
  const dora = await computeDoraSummary(app, target, query);
  const previousPeriod = {
    from: dora.previousPeriod.from.slice(0, 10),
    to: dora.previousPeriod.to.slice(0, 10),
  };
  const doraBefore = await computeDoraSummary(app, target, { ...previousPeriod, granularity: 'week' });
  const goals = await computeGoalStatuses(app, team, period);
  const content: DigestContent = {
    digest: team === undefined ? 'org' : `team:${team}`,
    name: dora.scope.name,
    period,
    previousPeriod,
    link: dashboardLink(base, team, period),
    figures: doraFigures(dora, doraBefore),
    goals: goals.goals.map(goalLine),
    agreements: [],
    stuck: [],
    teams: [],
  };
  if (team !== undefined) {
    const [health, healthBefore, agreements] = await Promise.all([
      computeTeamHealth(app, team, query),
      computeTeamHealth(app, team, { ...previousPeriod, granularity: 'week' }),
      computeTeamAgreements(app, team, period),
    ]);
    content.figures.push(...healthFigures(health, healthBefore));
    content.agreements = agreements.rules
      .filter((r) => r.limit !== null)
      .map((r) => ({
        label: `${r.label} ${r.limit} ${r.unit.replace('_', ' ')}`,
        broken: r.broken,
        checked: r.checked,
      }));
    const seen = new Set<string>();
    for (const v of agreements.violations) {
      const key = `${v.repository}#${v.number}`;
      if (v.state !== 'open' || seen.has(key)) continue;
      seen.add(key);
      content.stuck.push({
        repository: v.repository,
        number: v.number,
        title: v.title,
        url: v.url,
        ageDays: v.ageDays,
        waitingOn: v.waitingOn,
      });
    }
  } else {
    const teams = await listTeams(app.db, period.to);
    for (const t of teams) {
      const status = await computeGoalStatuses(app, t.slug, period);
      if (status.goals.length === 0) continue;
      const count = (s: string) => status.goals.filter((g) => g.status === s).length;
      content.teams.push({
        name: t.name,
        link: dashboardLink(base, t.slug, period),
        met: count('met'),
        atRisk: count('at_risk'),
        missed: count('missed'),
      });
    }
  }
  return content;
}
