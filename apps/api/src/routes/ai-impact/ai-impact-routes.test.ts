import {
  syncTeamsFromConfig,
  upsertDeploymentChanges,
  upsertDeployments,
  upsertIncidents,
  upsertPullRequestCommits,
  upsertPullRequestReviews,
  upsertPullRequests,
  upsertRepositories,
} from '@stride/db';
import { mulberry32, percentileCont } from '@stride/metrics';
import type { AiImpact, AiImpactChange, AiMetricComparison, Page } from '@stride/shared';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../../tests/support/parse-csv.ts';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

// A hand-built org: two teams whose changes carry known AI classes and known phase times. Every
// expected figure below is recomputed from these plain records (never from the SQL under test).
const HOUR = 3_600_000;
const FROM = new Date(Date.UTC(2026, 0, 1));
const TO = new Date(Date.UTC(2026, 6, 1));
const QUERY = 'from=2026-01-01&to=2026-07-01&granularity=month';

type Cls = 'agent' | 'assisted' | 'none' | null;
interface Change {
  key: string;
  team: string | null;
  repository: string;
  number: number;
  title: string;
  author: string;
  bot: boolean;
  aiClass: Cls;
  createdAt: Date;
  codingH: number;
  pickupH: number | null;
  reviewH: number;
  deployH: number | null;
  size: number;
  changesRequested: number;
  failed: boolean;
  revertOf: Change | null;
  mergedAt: Date;
}

const teams = [
  { slug: 'alpha', name: 'Alpha', members: ['ann', 'abe', 'amy', 'art'], repo: 'acme/alpha' },
  { slug: 'beta', name: 'Beta', members: ['ben', 'bob', 'bea', 'bud'], repo: 'acme/beta' },
];

// Whole seconds: stored times have millisecond precision, and the figures must come out exactly.
const sec = (hours: number) => Math.round(hours * 3600) / 3600;

function buildChanges(): Change[] {
  const random = mulberry32(17);
  const out: Change[] = [];
  let number = 1;
  for (const [ti, team] of teams.entries()) {
    for (let i = 0; i < 110; i++) {
      const mergedAt = new Date(FROM.getTime() + sec((i * 39 + ti * 7 + 1) * 1.5) * HOUR);
      const afterApril = mergedAt >= new Date(Date.UTC(2026, 3, 1));
      const r = random();
      const agent = team.slug === 'beta' && i % 11 === 3;
      const aiClass: Cls = agent
        ? 'agent'
        : i % 17 === 5
          ? null
          : r < (afterApril ? 0.6 : 0.08)
            ? 'assisted'
            : 'none';
      const ai = aiClass === 'agent' || aiClass === 'assisted';
      const reviewH = sec(2 + random() * (ai ? 30 : 20));
      const pickupH = random() < 0.1 ? null : sec(1 + random() * 10);
      const createdAt = new Date(mergedAt.getTime() - (reviewH + (pickupH ?? 0)) * HOUR);
      out.push({
        key: `${team.slug}-${i}`,
        team: team.slug,
        repository: team.repo,
        number: number++,
        title: `Change ${team.slug} ${i}`,
        author: agent ? 'Copilot' : team.members[i % 4]!,
        bot: agent,
        aiClass,
        createdAt,
        codingH: sec((ai ? 2 : 6) + random() * 24),
        pickupH,
        reviewH,
        deployH: random() < 0.8 ? sec(0.5 + random() * 4) : null,
        size: Math.round(10 + random() * (ai ? 500 : 300)),
        changesRequested: random() < (ai ? 0.4 : 0.2) ? 1 + (i % 2) : 0,
        failed: random() < (ai ? 0.2 : 0.1),
        revertOf: null,
        mergedAt,
      });
    }
  }
  // Reverts: a later PR titled like GitHub's revert button, two days after.
  for (const target of out.filter((c) => c.team === 'alpha' && c.aiClass === 'assisted').slice(0, 6)) {
    const mergedAt = new Date(target.mergedAt.getTime() + 48 * HOUR + 60_000);
    out.push({
      ...target,
      key: `revert-${target.key}`,
      number: number++,
      title: `Revert "${target.title}"`,
      author: 'ann',
      bot: false,
      aiClass: 'none',
      createdAt: new Date(mergedAt.getTime() - 3 * HOUR),
      pickupH: 1,
      reviewH: 2,
      deployH: null,
      changesRequested: 0,
      failed: false,
      revertOf: target,
      mergedAt,
    });
  }
  // Someone in no team: org figures only.
  out.push({
    ...out[0]!,
    key: 'outsider',
    number: number++,
    title: 'Docs fix',
    author: 'zed',
    team: null,
    aiClass: 'assisted',
    mergedAt: new Date(Date.UTC(2026, 4, 10, 12)),
  });
  return out.filter((c) => c.mergedAt < TO).sort((a, b) => a.mergedAt.getTime() - b.mergedAt.getTime());
}

const changes = buildChanges();
const revertedKeys = new Set(changes.filter((c) => c.revertOf).map((c) => c.revertOf!.key));

// Expected per-change figures, straight from the records.
const figures = (c: Change) => ({
  codingTime: (c.codingH * HOUR) / 1000,
  pickupTime: c.pickupH === null ? null : (c.pickupH * HOUR) / 1000,
  reviewTime: c.pickupH === null ? null : (c.reviewH * HOUR) / 1000,
  deployTime: c.deployH === null ? null : (c.deployH * HOUR) / 1000,
  prSize: c.size,
  reviewRounds: c.pickupH === null ? 0 : c.changesRequested, // no reviews were written without a pickup
  revertRate: revertedKeys.has(c.key) ? 1 : 0,
  failedDeploymentRate: c.deployH === null ? null : c.failed ? 1 : 0,
});
type Key = keyof ReturnType<typeof figures>;

function side(list: Change[], key: Key) {
  const values = list.map((c) => figures(c)[key]).filter((v): v is number => v !== null);
  const median = !['reviewRounds', 'revertRate', 'failedDeploymentRate'].includes(key);
  if (values.length === 0) return { n: 0, value: null, p90: null };
  return median
    ? { n: values.length, value: percentileCont(values, 0.5), p90: percentileCont(values, 0.9) }
    : { n: values.length, value: values.reduce((a, b) => a + b, 0) / values.length, p90: null };
}

/** A naive percentile bootstrap: resamples materialised, drawn in the documented order (group, then baseline). */
function naiveInterval(group: Change[], baseline: Change[], key: Key, seed: number, iterations = 1000) {
  const random = mulberry32(seed);
  const stat = (xs: Change[]) => side(xs, key).value;
  const draw = (xs: Change[]) =>
    Array.from({ length: xs.length }, () => xs[Math.floor(random() * xs.length)]!);
  const diffs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const a = stat(draw(group));
    const b = stat(draw(baseline));
    if (a !== null && b !== null) diffs.push(a - b);
  }
  return [percentileCont(diffs, 0.025), percentileCont(diffs, 0.975)];
}

const isAi = (c: Change) => c.aiClass === 'agent' || c.aiClass === 'assisted';
const teamChanges = (slug: string) => changes.filter((c) => c.team === slug);

describe('AI impact routes on a hand-built org', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    const config = parseStrideConfig({
      teams: teams.map((tm) => ({
        slug: tm.slug,
        name: tm.name,
        repositories: [tm.repo],
        members: tm.members.map((m) => ({ github: m, from: '2025-01-01' })),
      })),
      ai: { adoptionDates: { beta: '2026-03-01' } },
    });
    const repoIds = await upsertRepositories(
      t.db,
      teams.map((tm, i) => ({ external_id: String(900 + i), full_name: tm.repo, default_branch: 'main' })),
    );
    await syncTeamsFromConfig(t.db, config.teams);
    const repoId = (name: string) => repoIds.get(name)!;
    const prIds = await upsertPullRequests(
      t.db,
      changes.map((c) => ({
        repository_id: repoId(c.repository),
        external_id: c.key,
        number: c.number,
        title: c.title,
        author_login: c.author,
        author_is_bot: c.bot,
        state: 'merged',
        base_branch: 'main',
        head_branch: `b-${c.number}`,
        created_at: c.createdAt,
        merged_at: c.mergedAt,
        closed_at: c.mergedAt,
        source_updated_at: c.mergedAt,
        additions: Math.floor(c.size / 2),
        deletions: c.size - Math.floor(c.size / 2),
        ai_class: c.aiClass,
        ai_evidence: JSON.stringify(
          c.aiClass === 'assisted'
            ? [
                {
                  rule: 'co-author',
                  tool: 'Claude Code',
                  detail: 'Co-Authored-By: Claude <noreply@anthropic.com>',
                  sha: 'abc1234',
                },
              ]
            : [],
        ),
      })),
    );
    const id = (c: Change) => prIds.get(c.key)!;
    await upsertPullRequestCommits(
      t.db,
      changes.map((c) => ({
        pull_request_id: id(c),
        sha: c.number.toString(16).padStart(8, '0'),
        author_login: c.author,
        authored_at: new Date(c.createdAt.getTime() - c.codingH * HOUR),
      })),
    );
    const reviewer = (c: Change) => (c.author === 'ann' || c.author === 'ben' ? 'art' : 'ann');
    await upsertPullRequestReviews(
      t.db,
      changes.flatMap((c) => {
        if (c.pickupH === null) return [];
        const first = new Date(c.createdAt.getTime() + c.pickupH * HOUR);
        return [
          ...Array.from({ length: c.changesRequested }, (_, k) => ({
            pull_request_id: id(c),
            external_id: `${c.key}-cr-${k}`,
            kind: 'review' as const,
            reviewer_login: reviewer(c),
            state: 'CHANGES_REQUESTED',
            submitted_at: new Date(first.getTime() + k * 60_000),
          })),
          // A bot's change request does not count as a review round.
          {
            pull_request_id: id(c),
            external_id: `${c.key}-bot`,
            kind: 'review' as const,
            reviewer_login: 'lint[bot]',
            reviewer_is_bot: true,
            state: 'CHANGES_REQUESTED',
            submitted_at: first,
          },
          {
            pull_request_id: id(c),
            external_id: `${c.key}-ok`,
            kind: 'review' as const,
            reviewer_login: reviewer(c),
            state: 'APPROVED',
            submitted_at: first,
          },
        ];
      }),
    );
    const deployed = changes.filter((c) => c.deployH !== null);
    const deploymentIds = await upsertDeployments(
      t.db,
      deployed.map((c) => ({
        repository_id: repoId(c.repository),
        source: 'webhook' as const,
        external_id: `d-${c.key}`,
        environment: 'production',
        is_production: true,
        status: 'success',
        created_at: c.mergedAt,
        deployed_at: new Date(c.mergedAt.getTime() + c.deployH! * HOUR),
      })),
    );
    await upsertDeploymentChanges(
      t.db,
      deployed.map((c) => ({
        pullRequestId: id(c),
        deploymentId: deploymentIds.get(`d-${c.key}`)!,
        attribution: 'commit' as const,
      })),
    );
    const incidentIds = await upsertIncidents(
      t.db,
      deployed
        .filter((c) => c.failed)
        .map((c) => ({
          source: 'webhook' as const,
          external_id: `i-${c.key}`,
          started_at: new Date(c.mergedAt.getTime() + (c.deployH! + 1) * HOUR),
        })),
    );
    for (const c of deployed.filter((x) => x.failed)) {
      await t.db
        .updateTable('incidents')
        .set({ caused_by_deployment_id: deploymentIds.get(`d-${c.key}`)! })
        .where('id', '=', incidentIds.get(`i-${c.key}`)!)
        .execute();
    }
    app = await buildApp({ db: t.db, config: loadApiConfig({}), strideConfig: config, logger: false });
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
  const expectSide = (actual: AiMetricComparison['group'], expected: ReturnType<typeof side>) => {
    expect(actual.n).toBe(expected.n);
    for (const k of ['value', 'p90'] as const) {
      if (expected[k] === null) expect(actual[k]).toBeNull();
      else expect(actual[k]).toBeCloseTo(expected[k]!, 4);
    }
  };
  const expectComparison = (metrics: AiMetricComparison[], group: Change[], baseline: Change[]) => {
    for (const m of metrics) {
      expectSide(m.group, side(group, m.metric as Key));
      expectSide(m.baseline, side(baseline, m.metric as Key));
      const enough = side(group, m.metric as Key).n >= 10 && side(baseline, m.metric as Key).n >= 10;
      expect([m.metric, m.enoughData]).toEqual([m.metric, enough]);
      if (enough) expect(m.difference).toBeCloseTo(m.group.value! - m.baseline.value!, 6);
      else expect(m.difference).toBeNull();
    }
  };

  it('counts adoption per team and month, and for the org once per change', async () => {
    const body = await get<AiImpact>(`/api/ai-impact?${QUERY}`);
    const count = (list: Change[]) => {
      const n = list.filter((c) => c.aiClass !== null).length;
      return {
        merged: list.length,
        agent: list.filter((c) => c.aiClass === 'agent').length,
        assisted: list.filter((c) => c.aiClass === 'assisted').length,
        n,
        share: n ? list.filter(isAi).length / n : null,
      };
    };
    expect(body.adoption).toMatchObject(count(changes));
    for (const team of teams) {
      const entry = body.teams.find((x) => x.slug === team.slug)!;
      expect(entry.adoption).toMatchObject(count(teamChanges(team.slug)));
      expect(entry.adoption.series).toHaveLength(6);
      entry.adoption.series.forEach((b, month) => {
        const inMonth = teamChanges(team.slug).filter((c) => c.mergedAt.getUTCMonth() === month);
        expect(b).toMatchObject({
          bucket: new Date(Date.UTC(2026, month, 1)).toISOString(),
          ...count(inMonth),
        });
      });
    }
    // Agent PRs (the Copilot account is in no team) belong to the team owning the repository.
    expect(body.teams.find((x) => x.slug === 'beta')!.adoption.agent).toBeGreaterThan(0);
    expect(body.caveats.join(' ')).toMatch(/Observational/);
    expect(body.method).toEqual({
      confidence: 0.95,
      iterations: 1000,
      seed: 1,
      minSamples: 10,
      adoptionShare: 0.25,
      revertWindowDays: 30,
    });
  });

  it('compares AI-assisted with other changes of the same team, with n, p90 and a reproducible 95 % interval', async () => {
    const body = await get<AiImpact>(`/api/teams/alpha/ai-impact?${QUERY}&seed=5`);
    const list = teamChanges('alpha');
    const group = list.filter(isAi);
    const baseline = list.filter((c) => c.aiClass === 'none');
    expectComparison(body.comparison.metrics, group, baseline);
    const coding = body.comparison.metrics.find((m) => m.metric === 'codingTime')!;
    const [low, high] = naiveInterval(group, baseline, 'codingTime', 5);
    expect(coding.low).toBeCloseTo(low!, 4);
    expect(coding.high).toBeCloseTo(high!, 4);
    expect(coding.difference!).toBeLessThan(0); // the records make AI coding shorter
    const reverts = body.comparison.metrics.find((m) => m.metric === 'revertRate')!;
    expect(reverts.group.value).toBeCloseTo(6 / group.length, 6);
    const [rl, rh] = naiveInterval(group, baseline, 'revertRate', 5);
    expect([reverts.low, reverts.high]).toEqual([rl, rh].map((x) => expect.closeTo(x!, 6)));
    // The same request again: the same interval.
    expect((await get<AiImpact>(`/api/teams/alpha/ai-impact?${QUERY}&seed=5`)).comparison).toEqual(
      body.comparison,
    );
  });

  it('repeats the comparison within PR-size bands', async () => {
    const body = await get<AiImpact>(`/api/teams/alpha/ai-impact?${QUERY}`);
    const bands = { xs: [0, 50], s: [51, 200], m: [201, 400], l: [401, Number.POSITIVE_INFINITY] } as const;
    for (const b of body.comparison.bands) {
      const [lo, hi] = bands[b.band];
      const inBand = teamChanges('alpha').filter((c) => c.size >= lo && c.size <= hi);
      expectComparison(
        b.metrics,
        inBand.filter(isAi),
        inBand.filter((c) => c.aiClass === 'none'),
      );
    }
  });

  it('before/after: a configured adoption date, and a detected one (first month with >= 25 % AI, >= 5 classified)', async () => {
    const body = await get<AiImpact>(`/api/ai-impact?${QUERY}`);
    const beta = body.teams.find((x) => x.slug === 'beta')!;
    expect(beta.beforeAfter).toMatchObject({ adoptedAt: '2026-03-01T00:00:00.000Z', source: 'configured' });
    const at = new Date(Date.UTC(2026, 2, 1));
    expectComparison(
      beta.beforeAfter.comparison!.metrics,
      teamChanges('beta').filter((c) => c.mergedAt >= at),
      teamChanges('beta').filter((c) => c.mergedAt < at),
    );
    const alpha = body.teams.find((x) => x.slug === 'alpha')!;
    const month = [0, 1, 2, 3, 4, 5].find((m) => {
      const inMonth = teamChanges('alpha').filter(
        (c) => c.mergedAt.getUTCMonth() === m && c.aiClass !== null,
      );
      return inMonth.length >= 5 && inMonth.filter(isAi).length / inMonth.length >= 0.25;
    })!;
    expect(alpha.beforeAfter).toMatchObject({
      adoptedAt: new Date(Date.UTC(2026, month, 1)).toISOString(),
      source: 'detected',
    });
  });

  it('says "not enough data" under the minimum n, with each side’s n', async () => {
    const body = await get<AiImpact>(
      '/api/teams/beta/ai-impact?from=2026-01-01&to=2026-02-01&granularity=week',
    );
    const coding = body.comparison.metrics.find((m) => m.metric === 'codingTime')!;
    const list = teamChanges('beta').filter((c) => c.mergedAt < new Date(Date.UTC(2026, 1, 1)));
    expect(coding.group.n).toBe(list.filter(isAi).length);
    expect(coding.group.n).toBeLessThan(10);
    expect(coding).toMatchObject({ enoughData: false, difference: null, low: null, high: null });
  });

  it('exports the comparison table as CSV, row for row with the JSON', async () => {
    const json = await get<AiImpact>(`/api/teams/alpha/ai-impact?${QUERY}`);
    const res = await app.inject({ method: 'GET', url: `/api/teams/alpha/ai-impact.csv?${QUERY}` });
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual([
      'scope',
      'comparison',
      'band',
      'metric',
      'statistic',
      'unit',
      'group_n',
      'group_value',
      'group_p90',
      'baseline_n',
      'baseline_value',
      'baseline_p90',
      'difference',
      'ci95_low',
      'ci95_high',
      'enough_data',
      'bucket',
    ]);
    const coding = rows.find((r) => r[1] === 'ai_vs_none' && r[2] === 'all' && r[3] === 'codingTime')!;
    const m = json.comparison.metrics.find((x) => x.metric === 'codingTime')!;
    expect(coding.slice(6).map(Number)).toEqual(
      [
        m.group.n,
        m.group.value,
        m.group.p90,
        m.baseline.n,
        m.baseline.value,
        m.baseline.p90,
        m.difference,
        m.low,
        m.high,
      ]
        .map((v) => expect.closeTo(v!, 6))
        .concat([Number.NaN, 0]),
    );
    expect(rows.filter((r) => r[1] === 'after_vs_before').length).toBe(8 + 4 * 7);
    const org = parseCsv((await app.inject({ method: 'GET', url: `/api/ai-impact.csv?${QUERY}` })).body);
    expect(new Set(org.slice(1).map((r) => r[0]))).toEqual(new Set(['org', 'alpha', 'beta']));
  });

  it('drills down to the changes of each group with their evidence, without authors', async () => {
    const page = await get<Page<AiImpactChange>>(
      `/api/ai-impact/changes?${QUERY}&team=alpha&group=ai&pageSize=500`,
    );
    const expected = teamChanges('alpha').filter(isAi);
    expect(page.total).toBe(expected.length);
    expect(page.items.map((c) => c.number).sort((a, b) => a - b)).toEqual(
      expected.map((c) => c.number).sort((a, b) => a - b),
    );
    expect(page.items[0]!.evidence[0]).toMatchObject({ tool: 'Claude Code', rule: 'co-author' });
    expect(page.items[0]).not.toHaveProperty('author');
    const reverted = page.items
      .filter((c) => c.reverted)
      .map((c) => c.number)
      .sort((a, b) => a - b);
    expect(reverted).toEqual(
      changes
        .filter((c) => c.revertOf)
        .map((c) => c.revertOf!.number)
        .sort((a, b) => a - b),
    );
    const before = await get<Page<AiImpactChange>>(
      `/api/ai-impact/changes?${QUERY}&team=beta&group=before&pageSize=500`,
    );
    expect(before.total).toBe(
      teamChanges('beta').filter((c) => c.mergedAt < new Date(Date.UTC(2026, 2, 1))).length,
    );
    const unclassified = await get<Page<AiImpactChange>>(
      `/api/ai-impact/changes?${QUERY}&group=unclassified`,
    );
    expect(unclassified.total).toBe(changes.filter((c) => c.aiClass === null).length);
    const csv = parseCsv(
      (
        await app.inject({
          method: 'GET',
          url: `/api/ai-impact/changes.csv?${QUERY}&team=alpha&group=ai&band=s`,
        })
      ).body,
    );
    expect(csv.length - 1).toBe(expected.filter((c) => c.size > 50 && c.size <= 200).length);
  });

  it('answers 400 naming the parameter and 404 for an unknown team', async () => {
    const bad = async (url: string, name: string) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message).toContain(name);
    };
    await bad('/api/ai-impact?from=2026-13-01', 'from');
    await bad('/api/ai-impact?granularity=year', 'granularity');
    await bad('/api/ai-impact?seed=-1', 'seed');
    await bad('/api/ai-impact/changes?group=before', 'group');
    await bad('/api/ai-impact/changes?band=huge', 'band');
    expect((await app.inject({ method: 'GET', url: '/api/teams/nope/ai-impact' })).statusCode).toBe(404);
  });
});
