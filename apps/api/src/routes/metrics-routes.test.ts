import { upsertDeploymentChanges } from '@stride/db';
import {
  busFactor,
  changeFailureRateLevel,
  deploymentFrequencyLevel,
  leadTimeLevel,
  medianDeploymentDays,
  recoveryTimeLevel,
  teamSizeBand,
} from '@stride/metrics';
import type {
  DeploymentItem,
  DoraSummary,
  IncidentItem,
  Page,
  TeamHealth,
  TeamsDora,
  TeamsDoraOverview,
} from '@stride/shared';
import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { ReferenceOrg, type RefScope, stats } from '@stride/testkit/reference-metrics';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

// A generated org written through the collector's upserts; every expected figure is recomputed
// here from the same rows by the reference implementation (never hard-coded).
const end = new Date(Date.UTC(2025, 5, 1));
const org = generateOrg({ teams: 2, membersPerTeam: 5, reposPerTeam: 2, days: 120, end, seed: 7 });
const ref = new ReferenceOrg(org);
const from = new Date(end.getTime() - 56 * 86_400_000);
const prevFrom = new Date(from.getTime() - 56 * 86_400_000);
const period = `from=${from.toISOString().slice(0, 10)}&to=${end.toISOString().slice(0, 10)}`;

// Every third linked change gets an exact (commit) link.
const exactLinks = new Set([...ref.deploymentOf.keys()].filter((_, i) => i % 3 === 0));

const closeTo = (actual: number | null, expected: number | null) => {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 3);
};

describe('metrics routes on a seeded org', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    // Some links are exact (compare API): same deployment, attribution 'commit'.
    const prIds = new Map(
      (await t.db.selectFrom('pull_requests').select(['id', 'external_id']).execute()).map((r) => [
        r.external_id,
        r.id,
      ]),
    );
    const deploymentIds = new Map(
      (await t.db.selectFrom('deployments').select(['id', 'external_id']).execute()).map((r) => [
        r.external_id,
        r.id,
      ]),
    );
    await upsertDeploymentChanges(
      t.db,
      [...exactLinks].map((externalId) => ({
        pullRequestId: prIds.get(externalId)!,
        deploymentId: deploymentIds.get(ref.deploymentOf.get(externalId)!.externalId)!,
        attribution: 'commit' as const,
      })),
    );
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({ teams: org.teams }),
      logger: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  const get = async <T>(url: string): Promise<T> => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json() as T;
  };

  it('lists the teams with members today, repositories and Jira projects', async () => {
    const body = await get<{ teams: { slug: string; members: number; repositories: string[] }[] }>(
      '/api/teams',
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(body.teams.map((x) => x.slug)).toEqual(org.teams.map((x) => x.slug));
    for (const team of org.teams) {
      const got = body.teams.find((x) => x.slug === team.slug)!;
      expect(got.members).toBe(team.members.filter((m) => !m.to || m.to >= today).length);
      expect(got.repositories).toEqual([...team.repositories].sort());
    }
  });

  const scopes: [string, RefScope][] = [
    ['/api/org/dora', { type: 'org' }],
    ['/api/teams/team-1/dora', { type: 'team', slug: 'team-1' }],
    ['/api/teams/team-2/dora', { type: 'team', slug: 'team-2' }],
    [
      `/api/repositories/${encodeURIComponent('acme/t1-service-2')}/dora`,
      { type: 'repository', name: 'acme/t1-service-2' },
    ],
  ];
  /** Every figure of a DORA summary against the reference recomputation of the same scope. */
  const expectDoraOf = (body: DoraSummary, scope: RefScope) => {
    const cur = ref.dora(scope, from, end);
    const prev = ref.dora(scope, prevFrom, from);
    const m = body.metrics;
    expect(body.previousPeriod).toEqual({ from: prevFrom.toISOString(), to: from.toISOString() });
    expect(cur.deployments).toBeGreaterThan(0);

    expect(m.deploymentFrequency.value).toBe(cur.deployments);
    expect(m.deploymentFrequency.deploymentDays).toBe(cur.deploymentDays);
    closeTo(m.deploymentFrequency.perWeek, cur.deployments / 8);
    const week = medianDeploymentDays(cur.deploymentDates, from, end, 7);
    const month = medianDeploymentDays(cur.deploymentDates, from, end, 30);
    expect(m.deploymentFrequency.medianDeploymentDaysPerWeek).toBe(week);
    expect(m.deploymentFrequency.level).toBe(deploymentFrequencyLevel(week, month));
    expect(m.deploymentFrequency.trend.previous).toBe(prev.deployments);

    expect(m.changeLeadTime.n).toBe(cur.leadTime.n);
    closeTo(m.changeLeadTime.p50, cur.leadTime.p50);
    closeTo(m.changeLeadTime.p90, cur.leadTime.p90);
    const commit = cur.leadChanges.filter((id) => exactLinks.has(id)).length;
    expect(commit).toBeGreaterThan(0);
    expect(m.changeLeadTime.attribution).toEqual({ commit, time: cur.leadTime.n - commit });
    expect(m.changeLeadTime.level).toBe(leadTimeLevel(cur.leadTime.p50));
    closeTo(m.changeLeadTime.trend.previous, prev.leadTime.p50);

    expect(m.changeFailureRate.failed).toBe(cur.failed);
    expect(m.changeFailureRate.n).toBe(cur.deployments);
    closeTo(m.changeFailureRate.value, cur.failed / cur.deployments);
    expect(m.changeFailureRate.level).toBe(changeFailureRateLevel(cur.failed / cur.deployments, 2024));
    closeTo(m.changeFailureRate.trend.previous, prev.deployments ? prev.failed / prev.deployments : null);

    expect(m.failedDeploymentRecoveryTime.n).toBe(cur.recovery.n);
    closeTo(m.failedDeploymentRecoveryTime.p50, cur.recovery.p50);
    closeTo(m.failedDeploymentRecoveryTime.p90, cur.recovery.p90);
    expect(m.failedDeploymentRecoveryTime.level).toBe(recoveryTimeLevel(cur.recovery.p50));

    expect(m.deploymentReworkRate.unplanned).toBe(cur.unplanned);
    closeTo(m.deploymentReworkRate.value, cur.unplanned / cur.deployments);
    expect(m.deploymentReworkRate.level).toBeNull();

    // Series: 8 whole ISO weeks (2025-04-06 is a Sunday, so 9 buckets), summing to the totals.
    const series = m.deploymentFrequency.series;
    expect(series[0]!.bucket).toBe('2025-03-31T00:00:00.000Z');
    expect(series.reduce((s, p) => s + p.n, 0)).toBe(cur.deployments);
    expect(m.changeLeadTime.series.reduce((s, p) => s + p.n, 0)).toBe(cur.leadTime.n);
    const firstWeek = ref.dora(scope, from, new Date(Date.UTC(2025, 3, 7)));
    closeTo(m.changeLeadTime.series[0]!.value, firstWeek.leadTime.p50);
    expect(m.changeFailureRate.series[0]!.n).toBe(firstWeek.deployments);
    expect(body.reference.clusters.map((c) => c.year)).toEqual([2024, 2024, 2024, 2024]);
  };
  for (const [path, scope] of scopes) {
    it(`computes the five DORA metrics, levels and trends: ${path}`, async () => {
      expectDoraOf(await get<DoraSummary>(`${path}?${period}&granularity=week&benchmark=2024`), scope);
    });
  }

  it('lists each change with its cycle-time phases, sortable by each phase', async () => {
    type Item = {
      repository: string;
      number: number;
      codingSeconds: number | null;
      pickupSeconds: number | null;
      reviewSeconds: number | null;
      deploySeconds: number | null;
      waitingOn: string | null;
      ageSeconds: number | null;
    };
    const secs = (a: Date, b: Date) => Math.max(0, (b.getTime() - a.getTime()) / 1000);
    const firstReview = (p: (typeof org.pullRequests)[number]) => {
      const times = p.reviews
        .filter((r) => !r.isBot && r.reviewer !== p.author)
        .map((r) => r.submittedAt.getTime());
      return times.length ? new Date(Math.min(...times)) : null;
    };
    const expected = (p: (typeof org.pullRequests)[number]) => {
      const opened = p.readyForReviewAt ?? p.createdAt;
      const review = firstReview(p);
      const deployed = ref.deploymentOf.get(p.externalId)?.deployedAt ?? null;
      const first = ref.firstCommit(p);
      return {
        codingSeconds: first ? secs(first, opened) : null,
        pickupSeconds: review ? secs(opened, review) : null,
        reviewSeconds: review ? secs(review, p.mergedAt!) : null,
        deploySeconds: deployed ? secs(p.mergedAt!, deployed) : null,
      };
    };
    const byKey = new Map(org.pullRequests.map((p) => [`${p.repository}#${p.number}`, p]));
    for (const phase of ['coding', 'pickup', 'review', 'deploy'] as const) {
      const list = await get<{ items: Item[]; total: number }>(
        `/api/changes?team=team-1&${period}&sort=${phase}Time&order=desc&pageSize=500`,
      );
      expect(list.total).toBeGreaterThan(5);
      const values = list.items.map((c) => c[`${phase}Seconds`]);
      // Largest first, unknown phases last.
      const known = values.filter((v): v is number => v !== null);
      expect(values.slice(0, known.length)).toEqual(known);
      expect(known).toEqual([...known].sort((a, b) => b - a));
      for (const item of list.items) {
        const pr = byKey.get(`${item.repository}#${item.number}`)!;
        const want = expected(pr)[`${phase}Seconds`];
        if (want === null) expect(item[`${phase}Seconds`], `${item.number}`).toBeNull();
        else expect(item[`${phase}Seconds`]!, `${item.number}`).toBeCloseTo(want, 3);
        expect(item.waitingOn).toBeNull();
      }
    }
    // Open PRs: their age at `to`, and who they wait on (draft, CI, requested reviewers, verdicts).
    const open = await get<{ items: Item[] }>(`/api/changes?team=team-1&${period}&state=open&pageSize=500`);
    expect(open.items.length).toBeGreaterThan(0);
    for (const item of open.items) {
      const pr = byKey.get(`${item.repository}#${item.number}`)!;
      expect(item.ageSeconds!).toBeCloseTo((end.getTime() - pr.createdAt.getTime()) / 1000, 3);
      const latest = new Map<string, string>();
      for (const r of [...pr.reviews].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())) {
        if (r.kind === 'review' && !r.isBot && r.reviewer !== pr.author && r.state !== 'COMMENTED')
          latest.set(r.reviewer, r.state);
      }
      const verdicts = [...latest.values()];
      const answered = verdicts.includes('CHANGES_REQUESTED') || verdicts.includes('APPROVED');
      const waits =
        pr.draft || pr.ciState === 'failure'
          ? 'author'
          : pr.ciState === 'pending'
            ? 'ci'
            : pr.requestedReviewers.length > 0
              ? 'review'
              : answered
                ? 'author'
                : 'review';
      expect(item.waitingOn, `${item.number}`).toBe(waits);
    }
  });

  it('gives every team its DORA metrics in one request, equal to the per-team figures', async () => {
    const body = await get<{ teams: DoraSummary[]; period: unknown; granularity: string }>(
      `/api/teams/dora?${period}&granularity=week&benchmark=2024`,
    );
    expect(body.granularity).toBe('week');
    expect(body.teams.map((t) => t.scope.id)).toEqual(org.teams.map((t) => t.slug));
    for (const summary of body.teams) {
      expectDoraOf(summary, { type: 'team', slug: summary.scope.id });
      const one = await get<DoraSummary>(
        `/api/teams/${summary.scope.id}/dora?${period}&granularity=week&benchmark=2024`,
      );
      expect(summary).toEqual(one);
    }
  });

  it("gives the overview every team's DORA in compact form: the same figures, n and series as /api/teams/dora", async () => {
    const query = `${period}&granularity=week&benchmark=2024`;
    const full = await get<TeamsDora>(`/api/teams/dora?${query}`);
    const compact = await get<TeamsDoraOverview>(`/api/teams/dora-overview?${query}`);
    expect(compact).toMatchObject({
      period: full.period,
      previousPeriod: full.previousPeriod,
      granularity: 'week',
      benchmark: 2024,
      reference: full.teams[0]!.reference,
    });
    expect(compact.buckets).toEqual(full.teams[0]!.metrics.deploymentFrequency.series.map((p) => p.bucket));
    expect(compact.teams.map((t) => t.scope)).toEqual(full.teams.map((t) => t.scope));
    const keys = Object.keys(full.teams[0]!.metrics) as (keyof TeamsDora['teams'][number]['metrics'])[];
    expect(keys).toHaveLength(5);
    full.teams.forEach((team, i) => {
      for (const key of keys) {
        const { series, ...headline } = team.metrics[key];
        const { series: columns, ...compactHeadline } = compact.teams[i]!.metrics[key];
        // Headline, n, level and trend as they are; the series as value and n columns.
        expect(compactHeadline).toEqual(headline);
        expect(columns).toEqual({ value: series.map((p) => p.value), n: series.map((p) => p.n) });
      }
    });
    // The point of it: well under half the bytes of the full answer.
    const bytes = async (url: string) =>
      (await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } })).rawPayload
        .length;
    expect(await bytes(`/api/teams/dora-overview?${query}`)).toBeLessThan(
      (await bytes(`/api/teams/dora?${query}`)) / 2,
    );
  });

  it('answers 400 naming the parameter for a bad compact overview query', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/teams/dora-overview?from=yesterday' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('from');
  });

  it('answers 400 naming the parameter for a bad batched DORA query', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/teams/dora?granularity=fortnight' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('granularity');
  });

  it('gives null figures and levels for an empty period (n = 0)', async () => {
    const body = await get<DoraSummary>('/api/org/dora?from=2020-01-01&to=2020-03-01&granularity=month');
    const m = body.metrics;
    expect(m.deploymentFrequency).toMatchObject({ value: 0, n: 0, perWeek: null, level: null });
    expect(m.changeLeadTime).toMatchObject({ p50: null, p90: null, n: 0, level: null });
    expect(m.changeFailureRate).toMatchObject({ value: null, n: 0, level: null });
    expect(m.failedDeploymentRecoveryTime).toMatchObject({ p50: null, n: 0, level: null });
    expect(m.deploymentReworkRate.value).toBeNull();
    expect(m.changeLeadTime.series).toEqual([
      { bucket: '2020-01-01T00:00:00.000Z', value: null, p90: null, n: 0 },
      { bucket: '2020-02-01T00:00:00.000Z', value: null, p90: null, n: 0 },
    ]);
  });

  it('buckets by calendar quarter (UTC)', async () => {
    const body = await get<DoraSummary>('/api/org/dora?from=2025-02-15&to=2025-06-01&granularity=quarter');
    expect(body.granularity).toBe('quarter');
    const series = body.metrics.deploymentFrequency.series;
    expect(series.map((p) => p.bucket)).toEqual(['2025-01-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
    expect(series.reduce((s, p) => s + p.n, 0)).toBe(body.metrics.deploymentFrequency.value);
    const firstQuarter = ref.dora(
      { type: 'org' },
      new Date(Date.UTC(2025, 1, 15)),
      new Date(Date.UTC(2025, 3, 1)),
    );
    expect(series[0]!.n).toBe(firstQuarter.deployments);
    const h = await get<TeamHealth>(
      '/api/teams/team-1/health?from=2025-02-15&to=2025-06-01&granularity=quarter',
    );
    expect(h.throughput.series.map((p) => p.bucket)).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-04-01T00:00:00.000Z',
    ]);
    expect(h.throughput.series.reduce((s, p) => s + p.n, 0)).toBe(h.throughput.mergedPrs);
  });

  it('reads date-times with any offset as instants', async () => {
    const utc = await get<DoraSummary>(`/api/org/dora?${period}`);
    const shifted = await get<DoraSummary>(
      `/api/org/dora?from=${encodeURIComponent('2025-04-06T05:30:00+05:30')}&to=${encodeURIComponent('2025-05-31T19:00:00-05:00')}`,
    );
    expect(shifted.period).toEqual(utc.period);
    expect(shifted.metrics.deploymentFrequency.value).toBe(utc.metrics.deploymentFrequency.value);
  });

  it('computes the team health signals', async () => {
    const slug = 'team-1';
    const team = ref.team(slug);
    const h = await get<TeamHealth>(`/api/teams/${slug}/health?${period}&granularity=month`);
    const inPeriod = (d: Date | null) => d !== null && d >= from && d < end;
    const merged = ref
      .changes()
      .filter((p) => inPeriod(p.mergedAt) && ref.isMember(slug, p.author, p.mergedAt!));
    const secs = (a: Date, b: Date) => Math.max(0, (b.getTime() - a.getTime()) / 1000);
    const firstReview = (p: (typeof merged)[number]) => {
      const times = p.reviews
        .filter((r) => !r.isBot && r.reviewer !== p.author)
        .map((r) => r.submittedAt.getTime());
      return times.length ? new Date(Math.min(...times)) : null;
    };
    const opened = (p: (typeof merged)[number]) => p.readyForReviewAt ?? p.createdAt;
    const coding = merged.filter((p) => ref.firstCommit(p)).map((p) => secs(ref.firstCommit(p)!, opened(p)));
    const pickup = merged.filter((p) => firstReview(p)).map((p) => secs(opened(p), firstReview(p)!));
    const review = merged.filter((p) => firstReview(p)).map((p) => secs(firstReview(p)!, p.mergedAt!));
    const deploy = merged
      .filter((p) => ref.deploymentOf.has(p.externalId))
      .map((p) => secs(p.mergedAt!, ref.deploymentOf.get(p.externalId)!.deployedAt!));
    for (const [name, values] of Object.entries({ coding, pickup, review, deploy })) {
      const got = h.cycleTime[name as keyof TeamHealth['cycleTime']];
      const want = stats(values);
      expect(got.n, name).toBe(want.n);
      closeTo(got.p50, want.p50);
      closeTo(got.p90, want.p90);
    }
    const sizes = merged.filter((p) => p.additions !== null).map((p) => p.additions! + p.deletions!);
    expect(h.prSize.n).toBe(sizes.length);
    closeTo(h.prSize.p50, stats(sizes).p50);
    closeTo(h.prSize.over400Share, sizes.filter((s) => s > 400).length / sizes.length);

    expect(h.throughput.mergedPrs).toBe(merged.length);
    closeTo(h.throughput.perWeek, merged.length / 8);
    expect(h.throughput.series.reduce((s, p) => s + p.n, 0)).toBe(merged.length);
    const withoutReview = merged.filter(
      (p) => !p.reviews.some((r) => r.kind === 'review' && !r.isBot && r.reviewer !== p.author),
    );
    expect(h.reviewLoad.mergedWithoutReview).toBe(withoutReview.length);

    const allPrs = org.pullRequests.filter((p) => !p.authorIsBot);
    // Reviews count wherever they were given, bots' PRs included.
    const reviews = org.pullRequests.flatMap((p) =>
      p.reviews.filter(
        (r) =>
          r.kind === 'review' &&
          !r.isBot &&
          inPeriod(r.submittedAt) &&
          ref.isMember(slug, r.reviewer, r.submittedAt),
      ),
    );
    const byReviewer = new Map<string, number>();
    for (const r of reviews) byReviewer.set(r.reviewer, (byReviewer.get(r.reviewer) ?? 0) + 1);
    expect(h.reviewLoad.reviews).toBe(reviews.length);
    closeTo(h.reviewLoad.busiestReviewerShare, Math.max(...byReviewer.values()) / reviews.length);
    // The distribution: each reviewer's count, and 0 for each member on the last day who gave none.
    const lastDayIso = new Date(end.getTime() - 1).toISOString().slice(0, 10);
    const idle = team.members.filter(
      (m) => (m.from ?? '') <= lastDayIso && (!m.to || m.to >= lastDayIso) && !byReviewer.has(m.github ?? ''),
    );
    expect(h.reviewLoad.reviewsPerReviewer).toEqual(
      [...byReviewer.values(), ...idle.map(() => 0)].sort((a, b) => b - a),
    );

    const lastDay = new Date(end.getTime() - 1);
    // docs/metrics.md: created before `to` and neither merged nor closed before it.
    const open = allPrs.filter(
      (p) =>
        p.createdAt < end &&
        (p.closedAt === null || p.closedAt >= end) &&
        ref.isMember(slug, p.author, lastDay),
    );
    expect(h.workInProgress.open).toBe(open.length);
    expect(h.workInProgress.stale).toBe(
      open.filter((p) => p.createdAt.getTime() < end.getTime() - 7 * 86_400_000).length,
    );

    const members = team.members.filter((m) => !m.to || m.to >= lastDay.toISOString().slice(0, 10)).length;
    const active = new Set([
      ...allPrs
        .filter(
          (p) =>
            (inPeriod(p.mergedAt) && ref.isMember(slug, p.author, p.mergedAt!)) ||
            (inPeriod(p.createdAt) && ref.isMember(slug, p.author, p.createdAt)),
        )
        .map((p) => p.author),
      ...allPrs.flatMap((p) =>
        p.reviews
          .filter((r) => !r.isBot && inPeriod(r.submittedAt) && ref.isMember(slug, r.reviewer, r.submittedAt))
          .map((r) => r.reviewer),
      ),
    ]);
    expect(h.teamSize).toEqual({ members, activeContributors: active.size, band: teamSizeBand(members) });
    closeTo(h.throughput.perContributorPerWeek, merged.length / active.size / 8);

    const busFrom = new Date(end.getTime() - 90 * 86_400_000);
    for (const repo of team.repositories) {
      const prs = ref
        .changes()
        .filter((p) => p.repository === repo && p.mergedAt! >= busFrom && p.mergedAt! < end);
      const counts = new Map<string, number>();
      for (const p of prs) counts.set(p.author, (counts.get(p.author) ?? 0) + 1);
      expect(h.busFactor.find((b) => b.repository === repo)).toEqual({
        repository: repo,
        busFactor: busFactor([...counts.values()]),
        mergedPrs: prs.length,
      });
    }

    const issues = org.jiraIssues.filter(
      (j) => team.jiraProjects.includes(j.project) && inPeriod(j.resolvedAt),
    );
    const unplanned = issues.filter((j) => j.classification !== 'planned').length;
    expect(h.unplannedWork).toEqual({ ratio: unplanned / issues.length, unplanned, resolved: issues.length });

    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: team.timezone,
      weekday: 'short',
      hour: 'numeric',
      hourCycle: 'h23',
    });
    const commits = allPrs.flatMap((p) =>
      p.commits.filter((c) => inPeriod(c.authoredAt) && ref.isMember(slug, c.author, c.authoredAt)),
    );
    const ooh = commits.filter((c) => {
      const f = Object.fromEntries(parts.formatToParts(c.authoredAt).map((x) => [x.type, x.value]));
      const hour = Number(f.hour);
      return f.weekday === 'Sat' || f.weekday === 'Sun' || hour < 8 || hour >= 19;
    });
    expect(h.outOfHours.commits).toBe(commits.length);
    closeTo(h.outOfHours.share, ooh.length / commits.length);

    const incidents = org.incidents.filter((i) => inPeriod(i.startedAt) && ref.incidentTeam(i) === slug);
    expect(h.incidentLoad.incidents).toBe(incidents.length);
    const recovery = stats(
      incidents
        .filter((i) => i.resolvedAt)
        .map((i) => (i.resolvedAt!.getTime() - i.startedAt.getTime()) / 1000),
    );
    expect(h.incidentLoad.recovery.n).toBe(recovery.n);
    closeTo(h.incidentLoad.recovery.p50, recovery.p50);
  });

  it('drills down to exactly the rows behind a figure', async () => {
    const scope = { type: 'team', slug: 'team-1' } as const;
    const cur = ref.dora(scope, from, end);
    const all = await get<{ total: number; items: { failed: boolean; deployedAt: string }[] }>(
      `/api/deployments?team=team-1&${period}&pageSize=500`,
    );
    expect(all.total).toBe(cur.deployments);
    expect(all.items.filter((d) => d.failed)).toHaveLength(cur.failed);
    const failed = await get<{ total: number }>(`/api/deployments?team=team-1&${period}&failed=true`);
    expect(failed.total).toBe(cur.failed);
    const unplanned = await get<{ total: number }>(`/api/deployments?team=team-1&${period}&unplanned=true`);
    expect(unplanned.total).toBe(cur.unplanned);
    const lead = await get<{ total: number; items: { leadTimeSeconds: number }[] }>(
      `/api/changes?team=team-1&${period}&dateField=deployed&withLeadTime=true&sort=leadTime&order=asc&pageSize=500`,
    );
    expect(lead.total).toBe(cur.leadTime.n);
    closeTo(stats(lead.items.map((c) => c.leadTimeSeconds)).p50, cur.leadTime.p50);
    const recovery = await get<{ total: number }>(
      `/api/incidents?team=team-1&${period}&dateField=resolved&caused=true`,
    );
    expect(recovery.total).toBe(cur.recovery.n);

    // The team-health figures drill down the same way.
    const health = await get<TeamHealth>(`/api/teams/team-1/health?${period}`);
    const total = async (url: string) => (await get<{ total: number }>(url)).total;
    expect(await total(`/api/changes?team=team-1&${period}`)).toBe(health.throughput.mergedPrs);
    expect(await total(`/api/changes?team=team-1&${period}&reviewed=false`)).toBe(
      health.reviewLoad.mergedWithoutReview,
    );
    expect(await total(`/api/changes?team=team-1&${period}&state=open`)).toBe(health.workInProgress.open);
    expect(await total(`/api/changes?team=team-1&${period}&state=open&stale=true`)).toBe(
      health.workInProgress.stale,
    );
    expect(await total(`/api/incidents?team=team-1&${period}`)).toBe(health.incidentLoad.incidents);

    // Paging: pages are disjoint and ordered, and a page past the end keeps the total.
    const p1 = await get<{ items: { id: string; deployedAt: string }[]; page: number }>(
      `/api/deployments?team=team-1&${period}&pageSize=5&page=1`,
    );
    const p2 = await get<{ items: { id: string; deployedAt: string }[] }>(
      `/api/deployments?team=team-1&${period}&pageSize=5&page=2`,
    );
    expect(p1.items.map((d) => d.id)).toEqual(all.items.slice(0, 5).map((d) => (d as { id?: string }).id));
    expect(p2.items.map((d) => d.id)).toEqual(all.items.slice(5, 10).map((d) => (d as { id?: string }).id));
    expect(p1.items[0]!.deployedAt >= p1.items[4]!.deployedAt).toBe(true);
    const beyond = await get<{ items: unknown[]; total: number }>(
      `/api/deployments?team=team-1&${period}&pageSize=500&page=9`,
    );
    expect(beyond).toMatchObject({ items: [], total: cur.deployments });
  });

  it.each([
    ['deployments', 'deployedAt', 'deployedAt'],
    ['deployments', 'repository', 'repository'],
    ['deployments', 'changes', 'changes'],
    ['changes', 'mergedAt', 'mergedAt'],
    ['changes', 'deployedAt', 'deployedAt'],
    ['changes', 'openedAt', 'openedAt'],
    ['changes', 'leadTime', 'leadTimeSeconds'],
    ['changes', 'size', 'size'],
    ['changes', 'number', 'number'],
    ['incidents', 'startedAt', 'startedAt'],
    ['incidents', 'resolvedAt', 'resolvedAt'],
    ['incidents', 'recovery', 'recoverySeconds'],
  ])('orders /api/%s by %s both ways, nulls last', async (list, sort, field) => {
    for (const order of ['asc', 'desc'] as const) {
      const page = await get<{ total: number; items: Record<string, string | number | null>[] }>(
        `/api/${list}?${period}&sort=${sort}&order=${order}&pageSize=500`,
      );
      expect(page.total).toBeGreaterThan(1);
      const values = page.items.map((item) => item[field] ?? null);
      const known = values.filter((v) => v !== null);
      expect(values.slice(0, known.length), 'nulls last').toEqual(known);
      const sorted = [...known].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(known).toEqual(order === 'asc' ? sorted : sorted.reverse());
    }
  });

  it('a deployment carries the incidents it caused and the PRs it shipped; an incident names its deployment', async () => {
    const page = await get<Page<DeploymentItem>>(
      `/api/deployments?team=team-1&${period}&failed=true&pageSize=200`,
    );
    expect(page.items.length).toBeGreaterThan(0);
    let withIncident = 0;
    let withPrs = 0;
    for (const d of page.items) {
      const incidents = await t.db
        .selectFrom('incidents')
        .select(['id', 'key', 'url'])
        .where('caused_by_deployment_id', '=', d.id)
        .orderBy('started_at')
        .orderBy('id')
        .execute();
      expect(d.incidents.map((i) => [i.id, i.key, i.url])).toEqual(
        incidents.map((i) => [i.id, i.key, i.url]),
      );
      // Failed means it caused an incident or was rolled back: one of the two is always shown.
      expect(d.incidents.length > 0 || d.rolledBack).toBe(true);
      const shipped = await t.db
        .selectFrom('deployment_changes as dc')
        .innerJoin('pull_requests as p', 'p.id', 'dc.pull_request_id')
        .innerJoin('repositories as r', 'r.id', 'p.repository_id')
        .select(['r.full_name', 'p.number', 'p.html_url', 'dc.attribution'])
        .where('dc.deployment_id', '=', d.id)
        .orderBy('p.merged_at')
        .orderBy('p.id')
        .execute();
      expect(d.changes).toBe(shipped.length);
      expect(d.pullRequests.map((p) => [p.repository, p.number, p.url, p.attribution])).toEqual(
        shipped.slice(0, 20).map((p) => [p.full_name, p.number, p.html_url, p.attribution]),
      );
      if (d.incidents.length > 0) withIncident++;
      if (d.pullRequests.length > 0) withPrs++;
    }
    expect(withIncident).toBeGreaterThan(0);
    expect(withPrs).toBeGreaterThan(0);

    const incidents = await get<Page<IncidentItem>>(`/api/incidents?team=team-1&${period}&caused=true`);
    expect(incidents.items.length).toBeGreaterThan(0);
    for (const i of incidents.items) {
      const deployment = await t.db
        .selectFrom('deployments as d')
        .innerJoin('repositories as r', 'r.id', 'd.repository_id')
        .select(['d.id', 'r.full_name', 'd.environment', 'd.sha', 'd.deployed_at'])
        .where('d.id', '=', i.causedByDeploymentId!)
        .executeTakeFirstOrThrow();
      expect(i.causedBy).toMatchObject({
        id: deployment.id,
        repository: deployment.full_name,
        environment: deployment.environment,
        sha: deployment.sha,
        deployedAt: deployment.deployed_at!.toISOString(),
      });
    }
    const csv = await app.inject({
      method: 'GET',
      url: `/api/incidents.csv?team=team-1&${period}&caused=true`,
    });
    expect(csv.body.split('\r\n')[0]).toContain(
      'caused_by_deployment_id,caused_by_repository,caused_by_environment,caused_by_commit,caused_by_deployed_at',
    );
  });

  it('exports lists and series as RFC 4180 CSV', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/deployments.csv?team=team-1&${period}&failed=true`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="deployments.csv"');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,repository,team,source,environment,sha,deployed_at,failed,rolled_back,unplanned,changes,url,incidents,pull_requests',
    );
    expect(lines).toHaveLength(1 + ref.dora({ type: 'team', slug: 'team-1' }, from, end).failed);

    const dora = await app.inject({ method: 'GET', url: `/api/teams/team-1/dora.csv?${period}` });
    const json = await get<DoraSummary>(`/api/teams/team-1/dora?${period}`);
    const rows = dora.body.trimEnd().split('\r\n');
    expect(rows).toHaveLength(1 + json.metrics.deploymentFrequency.series.length);
    expect(rows[1]!.split(',')[1]).toBe(String(json.metrics.deploymentFrequency.series[0]!.value));
    const teams = await app.inject({ method: 'GET', url: '/api/teams.csv' });
    expect(teams.body.split('\r\n')[1]).toMatch(
      /^team-1,Team 1,Europe\/Berlin,\d+,acme\/t1-service-1 acme\/t1-service-2,P1$/,
    );
    for (const url of [
      `/api/org/dora.csv?${period}`,
      `/api/teams/team-2/health.csv?${period}`,
      `/api/changes.csv?${period}`,
      `/api/incidents.csv?${period}`,
    ]) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body.split('\r\n').length, url).toBeGreaterThan(2);
    }
  });

  it('documents every route in the OpenAPI document at /docs', async () => {
    const doc = await get<{ paths: Record<string, unknown> }>('/docs/json');
    for (const path of [
      '/api/teams',
      '/api/teams.csv',
      '/api/org/dora',
      '/api/org/dora.csv',
      '/api/teams/{team}/dora',
      '/api/teams/{team}/dora.csv',
      '/api/teams/{team}/health',
      '/api/teams/{team}/health.csv',
      '/api/repositories/{repo}/dora',
      '/api/repositories/{repo}/dora.csv',
      '/api/deployments',
      '/api/deployments.csv',
      '/api/changes',
      '/api/changes.csv',
      '/api/incidents',
      '/api/incidents.csv',
      '/api/sync-status',
      '/api/session',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });

  it.each([
    ['/api/org/dora?from=2025-02-30', 400, 'from:'],
    ['/api/org/dora?to=yesterday', 400, 'to:'],
    ['/api/org/dora?to=2025-03-01T12:00', 400, 'to:'], // no offset: the instant would be ambiguous
    ['/api/org/dora?from=2025-02-29T00:00Z', 400, 'from:'],
    ['/api/org/dora?granularity=year', 400, 'granularity: must be one of day, week, month'],
    ['/api/org/dora?benchmark=2022', 400, 'benchmark:'],
    ['/api/org/dora?from=2025-03-01&to=2025-02-01', 400, 'from: must be before to'],
    ['/api/org/dora?from=2020-01-01&to=2024-01-02', 400, 'from: the period'],
    ['/api/teams/nope/dora', 404, "team 'nope'"],
    ['/api/teams/nope/health', 404, "team 'nope'"],
    [`/api/repositories/${encodeURIComponent('acme/none')}/dora`, 404, "repository 'acme/none'"],
    ['/api/deployments?sort=sha', 400, 'sort:'],
    ['/api/deployments?team=team-1&repository=acme/x', 400, 'repository:'],
    ['/api/changes?pageSize=501', 400, 'pageSize'],
    ['/api/incidents?caused=maybe', 400, 'caused'],
  ])('rejects %s with %i naming the parameter', async (url, status, message) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toContain(message);
    expect(res.json().error.code).toBe(status === 404 ? 'not_found' : 'invalid_parameter');
  });
});
