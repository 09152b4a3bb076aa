import { finishSyncRun, startSyncRun, syncTeamsFromConfig, upsertCopilotMetricsDays } from '@stride/db';
import type { AiImpact, CopilotUsage } from '@stride/shared';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../../tests/support/parse-csv.ts';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

// Copilot usage in the AI-impact answers: hand-built days for the organisation and one GitHub team,
// a refusal note for the other team; every figure recomputed here from the days inserted.
const QUERY = 'from=2026-01-01&to=2026-03-01&granularity=month';
const NOTE =
  'Copilot metrics not collected for GitHub team acme/beta: GitHub answered 404 Not Found: the team or organisation is not visible to the token, or it has no Copilot Business or Enterprise plan.';

interface Day {
  day: string;
  active: number;
  engaged: number;
  suggestions: number;
  acceptances: number;
}
const days = (team: string, offset: number): Day[] =>
  Array.from({ length: 70 }, (_, i) => {
    const date = new Date(Date.UTC(2025, 11, 20) + i * 86_400_000).toISOString().slice(0, 10);
    const active = ((i * 7 + offset) % 11) + 5;
    return { day: date, active, engaged: active - 2, suggestions: active * 40 + i, acceptances: active * 9 };
  }).filter((d) => !(team === 'alpha-gh' && d.day === '2026-01-15')); // a day GitHub did not give

const orgDays = days('', 3);
const alphaDays = days('alpha-gh', 1);

/** The expected series of a list of days over the query's months. */
function expected(list: Day[]) {
  return ['2026-01', '2026-02'].map((month) => {
    const inMonth = list.filter((d) => d.day.startsWith(month));
    const mean = (f: (d: Day) => number) => inMonth.reduce((s, d) => s + f(d), 0) / inMonth.length;
    return {
      bucket: `${month}-01T00:00:00.000Z`,
      days: inMonth.length,
      activeUsersMean: mean((d) => d.active),
      activeUsersMax: Math.max(...inMonth.map((d) => d.active)),
      engagedUsersMean: mean((d) => d.engaged),
      suggestions: inMonth.reduce((s, d) => s + d.suggestions, 0),
      acceptances: inMonth.reduce((s, d) => s + d.acceptances, 0),
    };
  });
}

describe('Copilot usage in the AI impact routes', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    const config = parseStrideConfig({
      github: { orgs: ['acme'] },
      teams: [
        { slug: 'alpha', name: 'Alpha', members: [{ github: 'ann' }] },
        { slug: 'beta', name: 'Beta', members: [{ github: 'bob' }] },
      ],
      ai: { copilot: { teams: { alpha: 'alpha-gh' } } },
    });
    await syncTeamsFromConfig(t.db, config.teams);
    const rows = (team: string, list: Day[]) =>
      list.map((d) => ({
        org: 'acme',
        github_team: team,
        day: d.day,
        total_active_users: d.active,
        total_engaged_users: d.engaged,
        completions_engaged_users: d.engaged,
        chat_engaged_users: 1,
        code_suggestions: d.suggestions,
        code_acceptances: d.acceptances,
        code_lines_suggested: d.suggestions * 2,
        code_lines_accepted: d.acceptances * 2,
      }));
    await upsertCopilotMetricsDays(t.db, [...rows('', orgDays), ...rows('alpha-gh', alphaDays)]);
    const run = await startSyncRun(t.db, 'github', 'copilot:acme/beta');
    const totals = {
      requests: 1,
      notModified: 0,
      itemsUpserted: 0,
      itemsSkipped: 0,
      rateLimitRemaining: 10,
      rateLimitResetAt: null,
    };
    await finishSyncRun(t.db, run, totals, undefined, undefined, false, NOTE);
    app = await buildApp({ db: t.db, config: loadApiConfig({}), strideConfig: config, logger: false });
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });
  const get = async <T>(url: string): Promise<T> => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json() as T;
  };
  const expectUsage = (usage: CopilotUsage, list: Day[], githubTeam: string | null) => {
    const series = expected(list);
    expect(usage).toMatchObject({ collected: true, githubTeam, note: null });
    expect(usage.series).toEqual(
      series.map((b) => ({
        ...b,
        activeUsersMean: expect.closeTo(b.activeUsersMean, 9),
        engagedUsersMean: expect.closeTo(b.engagedUsersMean, 9),
      })),
    );
    const inPeriod = list.filter((d) => d.day >= '2026-01-01' && d.day < '2026-03-01');
    expect(usage.days).toBe(inPeriod.length);
    expect(usage.activeUsersMean).toBeCloseTo(
      inPeriod.reduce((s, d) => s + d.active, 0) / inPeriod.length,
      9,
    );
    expect(usage.acceptanceRate).toBeCloseTo(
      inPeriod.reduce((s, d) => s + d.acceptances, 0) / inPeriod.reduce((s, d) => s + d.suggestions, 0),
      12,
    );
  };

  it('gives the organisation’s and each collected team’s daily active users per bucket, and why the others are missing', async () => {
    const org = await get<AiImpact>(`/api/ai-impact?${QUERY}`);
    expectUsage(org.copilot, orgDays, null);
    const alpha = org.teams.find((x) => x.slug === 'alpha')!;
    expectUsage(alpha.copilot, alphaDays, 'alpha-gh');
    const beta = org.teams.find((x) => x.slug === 'beta')!;
    expect(beta.copilot).toMatchObject({
      collected: false,
      githubTeam: 'beta',
      note: NOTE,
      days: 0,
      series: [],
    });
    // The team route answers the same usage.
    expect((await get<AiImpact>(`/api/teams/alpha/ai-impact?${QUERY}`)).copilot).toEqual(alpha.copilot);
  });

  it('says "not collected" with its reason when nothing is collected', async () => {
    const t2 = await createTestDatabase();
    const app2 = await buildApp({
      db: t2.db,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({ teams: [{ slug: 'alpha', name: 'Alpha' }] }),
      logger: false,
    });
    try {
      const res = (await app2.inject({ method: 'GET', url: `/api/ai-impact?${QUERY}` })).json() as AiImpact;
      expect(res.copilot.collected).toBe(false);
      expect(res.copilot.note).toMatch(/no GitHub organisation is configured/);
    } finally {
      await app2.close();
      await t2.destroy();
    }
  });

  it('carries the usage in the CSV (one row per bucket and figure) and documents it in OpenAPI', async () => {
    const csv = parseCsv((await app.inject({ method: 'GET', url: `/api/ai-impact.csv?${QUERY}` })).body);
    const header = csv[0]!;
    const col = (name: string) => header.indexOf(name);
    const usage = csv.slice(1).filter((r) => r[col('comparison')] === 'copilot_usage');
    const orgActive = usage.filter(
      (r) =>
        r[col('scope')] === 'org' &&
        r[col('metric')] === 'copilotActiveUsers' &&
        r[col('statistic')] === 'mean',
    );
    expect(
      orgActive.map((r) => [r[col('bucket')], Number(r[col('group_n')]), Number(r[col('group_value')])]),
    ).toEqual(expected(orgDays).map((b) => [b.bucket, b.days, expect.closeTo(b.activeUsersMean, 9)]));
    const beta = usage.filter((r) => r[col('scope')] === 'beta');
    expect(beta.map((r) => [r[col('enough_data')], r[col('bucket')]])).toEqual([['false', '']]);
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).body;
    expect(doc).toContain('mean of the daily total_active_users');
  });

  it("shows the usage metrics reports' refusal note (organisation-wide) before the legacy API's", async () => {
    const reportsNote =
      'Copilot usage metrics reports not collected for organisation acme: GitHub answered 403 Forbidden: test';
    const run = await startSyncRun(t.db, 'github', 'copilot-reports:acme');
    const totals = {
      requests: 1,
      notModified: 0,
      itemsUpserted: 0,
      itemsSkipped: 0,
      rateLimitRemaining: 10,
      rateLimitResetAt: null,
    };
    await finishSyncRun(t.db, run, totals, undefined, undefined, false, reportsNote);
    const org = await get<AiImpact>(`/api/ai-impact?${QUERY}`);
    expect(org.copilot.note).toBeNull();
    expect(org.teams.find((x) => x.slug === 'beta')!.copilot.note).toBe(reportsNote);
  });
});
