import { transformCopilotMetricsDay } from '@stride/ingest';
import { parseStrideConfig } from '@stride/shared/config';
import { copilotMetricsOfModel, createOrgModel, demoModelOptions } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { copilotScopes, syncCopilotMetrics } from './sync-copilot-metrics.ts';

// The test kit's organisation model serves its Copilot metrics through the fake GitHub server in
// the documented shape; every expected row is computed from the model's payloads.
const end = new Date('2026-03-02T12:00:00Z');
const model = createOrgModel(demoModelOptions({ seed: 5, end, teams: 4, repositories: 4, years: 1 }));
const served = copilotMetricsOfModel(model);
const DAY = 86_400_000;
const inWindow = (now: Date) => {
  const today = Date.parse(now.toISOString().slice(0, 10));
  const earliest = new Date(today - 28 * DAY).toISOString().slice(0, 10);
  const yesterday = new Date(today - DAY).toISOString().slice(0, 10);
  return (d: { date: string }) => d.date >= earliest && d.date <= yesterday;
};

const stored = async (t: TestDatabase) =>
  (
    await sql<Record<string, unknown>>`select org, github_team, to_char(day, 'YYYY-MM-DD') as day,
      total_active_users, total_engaged_users, completions_engaged_users, chat_engaged_users, code_suggestions,
      code_acceptances, code_lines_suggested, code_lines_accepted
      from copilot_metrics_days order by github_team, day`.execute(t.db)
  ).rows;

const expectedRows = (now: Date, from?: string) =>
  [...served.byTeam]
    .flatMap(([githubTeam, days]) =>
      days
        .filter(inWindow(now))
        .filter((d) => from === undefined || d.date >= from)
        .map((d) => transformCopilotMetricsDay(d, { org: served.org, githubTeam })),
    )
    .sort((a, b) => (a.github_team ?? '').localeCompare(b.github_team ?? '') || a.day.localeCompare(b.day));

function contextFor(t: TestDatabase, github: FakeGitHubServer) {
  const ctx = createSyncTestContext(t.db, github.url, { orgs: [served.org] });
  ctx.config = parseStrideConfig({ github: { orgs: [served.org] }, teams: model.config });
  return ctx;
}

describe('syncCopilotMetrics against the fake GitHub Copilot metrics API', () => {
  let t: TestDatabase;
  let github: FakeGitHubServer | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterEach(async () => {
    await github?.close();
    github = undefined;
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('first sync stores every served day of the organisation and each team; a re-sync is answered 304', async () => {
    github = await startFakeGitHubServer({ fixturesDir: null, model, copilot: { now: end } });
    const ctx = contextFor(t, github);
    const scopes = copilotScopes(ctx.config);
    expect(scopes).toHaveLength(1 + model.config.length);
    const expected = expectedRows(end);
    // The story: some teams have Copilot, one never adopts, so the org has days and that team none.
    expect(expected.filter((r) => r.github_team === '').length).toBe(28);
    expect(new Set(expected.map((r) => r.github_team)).size).toBeGreaterThan(1);

    const first = await syncCopilotMetrics(ctx, { now: end });
    expect(first.map((r) => [r.scope, r.error, r.note])).toEqual(
      scopes.map((s) => [`copilot:${s.org}${s.githubTeam ? `/${s.githubTeam}` : ''}`, undefined, undefined]),
    );
    expect(await stored(t)).toEqual(expected.map((r) => ({ ...r })));
    // Each scope with days reads its last day once more, for the ETag of the URL the next sync asks.
    const scopesWithDays = new Set(expected.map((r) => r.github_team)).size;
    expect(first.reduce((n, r) => n + r.itemsUpserted, 0)).toBe(expected.length + scopesWithDays);
    const firstRequests = github.requests.filter((r) => r.path.endsWith('/copilot/metrics'));
    expect(firstRequests.every((r) => r.status === 200)).toBe(true);
    expect(firstRequests[0]!.query).toContain(
      `since=${new Date(Date.parse('2026-03-02') - 28 * DAY).toISOString().slice(0, 10)}T00%3A00%3A00Z`,
    );

    const before = github.requests.length;
    const again = await syncCopilotMetrics(ctx, { now: end });
    const resync = github.requests.slice(before);
    expect(resync).toHaveLength(scopes.length);
    expect(resync.every((r) => r.status === 304)).toBe(true);
    expect(again.every((r) => r.notModified === 1 && r.itemsUpserted === 0)).toBe(true);
    expect(await stored(t)).toEqual(expected.map((r) => ({ ...r })));
  });

  it('the next day asks from the last stored day on and stores the new one', async () => {
    const next = new Date(end.getTime() + DAY);
    github = await startFakeGitHubServer({
      fixturesDir: null,
      model: createOrgModel(demoModelOptions({ seed: 5, end: next, teams: 4, repositories: 4, years: 1 })),
      copilot: { now: next },
    });
    const ctx = contextFor(t, github);
    await syncCopilotMetrics(ctx, { now: next });
    const orgRequest = github.requests.find((r) => r.path === `/orgs/${served.org}/copilot/metrics`)!;
    expect(orgRequest.query).toContain('since=2026-03-01T00%3A00%3A00Z');
    const days = (await stored(t)).filter((r) => r.github_team === '').map((r) => r.day);
    expect(days.at(-1)).toBe('2026-03-02');
    expect(days).toHaveLength(29);
  });

  it('missing permission, a refused team and a disabled API are sync-status notes, not errors', async () => {
    const scratch = await createTestDatabase();
    try {
      const [firstTeam] = model.config;
      github = await startFakeGitHubServer({
        fixturesDir: null,
        model,
        copilot: { now: end, refuse: 403, refuseTeams: { [firstTeam!.slug]: 422 } },
      });
      const ctx = contextFor(scratch, github);
      const reports = await syncCopilotMetrics(ctx, { now: end });
      expect(reports.every((r) => r.error === undefined && r.note !== undefined)).toBe(true);
      expect(reports[0]!.note).toMatch(
        /organisation stride-demo: GitHub answered 403 Forbidden: only organisation owners/,
      );
      expect(reports[1]!.note).toMatch(/Copilot Metrics API access policy is disabled/);
      const runs = (
        await sql<{ status: string; error: string | null; note: string | null }>`
          select status, error, note from sync_runs order by id`.execute(scratch.db)
      ).rows;
      expect(runs.map((r) => [r.status, r.error])).toEqual(runs.map(() => ['succeeded', null]));
      expect(runs[0]!.note).toBe(reports[0]!.note);
      expect(await stored(scratch)).toEqual([]);
      const cursors = await sql`select * from sync_cursors where endpoint = 'copilot-metrics'`.execute(
        scratch.db,
      );
      expect(cursors.rows).toEqual([]);

      await github.close();
      github = await startFakeGitHubServer({ fixturesDir: null, model, copilot: { now: end, refuse: 404 } });
      const notFound = await syncCopilotMetrics(contextFor(scratch, github), { now: end });
      expect(notFound[0]!.note).toMatch(
        /404 Not Found: the organisation is not visible to the token, or it has no Copilot Business or Enterprise plan/,
      );
    } finally {
      await scratch.destroy();
    }
  });
});
