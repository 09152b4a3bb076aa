import { parseStrideConfig } from '@stride/shared/config';
import { copilotUsageReportsOfModel, createOrgModel, demoModelOptions } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { redactSignedUrl, syncCopilotUsage } from './sync-copilot-usage-reports.ts';

// The fake GitHub serves the Copilot usage metrics reports of the organisation model: signed links
// to NDJSON files on a second host. Expected team-days are aggregated here, independently of the
// collector, from the model's per-user rows and team memberships.
const end = new Date('2026-03-02T12:00:00Z');
const model = createOrgModel(demoModelOptions({ seed: 5, end, teams: 4, repositories: 4, years: 1 }));
const org = model.options.owner ?? 'stride-demo';
const DAY = 86_400_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The expected rows of [from, to]: organisation and team sums, by login, of the served reports. */
function expectedRows(from: string, to: string) {
  const rows: Record<string, unknown>[] = [];
  for (let t = Date.parse(from); dayOf(t) <= to; t += DAY) {
    const day = dayOf(t);
    const r = copilotUsageReportsOfModel(model, day);
    const users = r?.users ?? [];
    const sums = (list: typeof users) => ({
      total_active_users: list.length,
      code_suggestions: list.reduce((n, u) => n + Number(u.code_generation_activity_count), 0),
      code_acceptances: list.reduce((n, u) => n + Number(u.code_acceptance_activity_count), 0),
      code_lines_suggested: list.reduce((n, u) => n + Number(u.loc_suggested_to_add_sum), 0),
      code_lines_accepted: list.reduce((n, u) => n + Number(u.loc_added_sum), 0),
    });
    rows.push({ github_team: '', day, ...sums(users) });
    const teams = new Map<string, Set<string>>();
    for (const m of r?.userTeams ?? []) {
      const slug = String(m.slug);
      teams.set(slug, (teams.get(slug) ?? new Set()).add(String(m.user_login)));
    }
    for (const slug of [...teams.keys()].sort())
      rows.push({
        github_team: slug,
        day,
        ...sums(users.filter((u) => teams.get(slug)!.has(String(u.user_login)))),
      });
  }
  return rows.sort(
    (a, b) =>
      String(a.github_team).localeCompare(String(b.github_team)) ||
      String(a.day).localeCompare(String(b.day)),
  );
}

const stored = async (t: TestDatabase) =>
  (
    await sql<Record<string, unknown>>`select github_team, to_char(day, 'YYYY-MM-DD') as day,
      total_active_users, code_suggestions, code_acceptances, code_lines_suggested, code_lines_accepted
      from copilot_metrics_days where org = ${org} order by github_team, day`.execute(t.db)
  ).rows;

function contextFor(t: TestDatabase, github: FakeGitHubServer) {
  const ctx = createSyncTestContext(t.db, github.url, { orgs: [org] });
  ctx.config = parseStrideConfig({ github: { orgs: [org] }, teams: model.config });
  return ctx;
}

describe('syncCopilotUsage against the fake GitHub Copilot usage metrics reports', () => {
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

  it('stores organisation and team days equal to an independent aggregation of the per-user reports, incrementally', async () => {
    github = await startFakeGitHubServer({ fixturesDir: null, model, copilot: { now: end } });
    const ctx = contextFor(t, github);
    const reports = await syncCopilotUsage(ctx, { now: end });
    // The reports answered: the legacy API is not asked.
    expect(reports.map((r) => [r.scope, r.error, r.note])).toEqual([
      [`copilot-reports:${org}`, undefined, undefined],
    ]);
    expect(github.requests.some((r) => r.path.endsWith('/copilot/metrics'))).toBe(false);
    const expected = expectedRows('2025-10-10', '2026-03-01');
    const rows = await stored(t);
    expect(rows).toEqual(expected);
    // The story: usage grows; some team has usage, and the org's sums are not all zero.
    expect(rows.some((r) => r.github_team !== '' && Number(r.total_active_users) > 0)).toBe(true);
    // Each file came from the second host, without the token.
    expect(github.downloads.length).toBe(3 * 143);
    expect(github.downloads.every((d) => d.status === 200 && !d.authorization)).toBe(true);

    // Stored complete days are not fetched again; the next day asks for that day only.
    const before = github.requests.length;
    expect((await syncCopilotUsage(ctx, { now: end }))[0]!.requests).toBe(0);
    expect(github.requests.length).toBe(before);
    // A day GitHub has not published yet (404) ends the walk quietly: no error, no note, cursor kept.
    const next = new Date(end.getTime() + DAY);
    const early = await syncCopilotUsage(ctx, { now: next });
    expect([early[0]!.error, early[0]!.note]).toEqual([undefined, undefined]);
    expect(github.requests.slice(before).map((r) => [r.query, r.status])).toEqual([['?day=2026-03-02', 404]]);
    await github.close();
    github = await startFakeGitHubServer({ fixturesDir: null, model, copilot: { now: next } });
    await syncCopilotUsage(contextFor(t, github), { now: next });
    expect(github.requests.map((r) => r.query)).toEqual([
      '?day=2026-03-02',
      '?day=2026-03-02',
      '?day=2026-03-02',
    ]);
    expect((await stored(t)).filter((r) => r.github_team === '').at(-1)!.day).toBe('2026-03-02');
  });

  it('never writes the signed link query (the signature) to logs, errors or sync status', async () => {
    const scratch = await createTestDatabase();
    try {
      github = await startFakeGitHubServer({ fixturesDir: null, model, copilot: { now: end } });
      const ctx = contextFor(scratch, github);
      ctx.logger.level = 'debug';
      const reports = await syncCopilotUsage(ctx, { now: new Date('2025-10-14T08:00:00Z') });
      expect(github.signedQueries.length).toBeGreaterThan(0);
      const runs = await sql`select * from sync_runs`.execute(scratch.db);
      const cursors = await sql`select * from sync_cursors`.execute(scratch.db);
      const everything = JSON.stringify([ctx.logs, reports, runs.rows, cursors.rows]);
      for (const query of github.signedQueries) {
        expect(everything).not.toContain(query);
        expect(everything).not.toContain(new URLSearchParams(query).get('sig'));
      }
      // A failed download is an error naming the file by origin and path, never its query.
      await github.close();
      github = await startFakeGitHubServer({
        fixturesDir: null,
        model,
        copilot: { now: end, reportFilesStatus: 403 },
      });
      const failing = contextFor(scratch, github);
      failing.backfill = true;
      const failed = await syncCopilotUsage(failing, { now: new Date('2025-10-14T08:00:00Z') });
      expect(failed[0]!.error).toMatch(
        new RegExp(
          `^Copilot report download from ${github.downloadUrl}/copilot-reports/stride-demo/organization/2025-10-10/part-1\\.ndjson answered 403$`,
        ),
      );
      const failedRuns = await sql`select * from sync_runs`.execute(scratch.db);
      const failedText = JSON.stringify([failing.logs, failed, failedRuns.rows]);
      expect(github.signedQueries.length).toBeGreaterThan(0);
      for (const query of github.signedQueries)
        expect(failedText).not.toContain(new URLSearchParams(query).get('sig'));
      const link = `${github.downloadUrl}/copilot-reports/x/users/2025-10-10/part-1.ndjson?${github.signedQueries[0]}`;
      expect(redactSignedUrl(link)).toBe(
        `${github.downloadUrl}/copilot-reports/x/users/2025-10-10/part-1.ndjson`,
      );
    } finally {
      await scratch.destroy();
    }
  });

  it('a 403 of the reports is a sync-status note, and the legacy API is tried as fallback', async () => {
    const scratch = await createTestDatabase();
    try {
      github = await startFakeGitHubServer({
        fixturesDir: null,
        model,
        copilot: { now: end, reportsRefuse: 403, refuse: 404 },
      });
      const ctx = contextFor(scratch, github);
      const reports = await syncCopilotUsage(ctx, { now: end });
      expect(reports.every((r) => r.error === undefined && r.note !== undefined)).toBe(true);
      expect(reports[0]!.scope).toBe(`copilot-reports:${org}`);
      expect(reports[0]!.note).toMatch(
        /^Copilot usage metrics reports not collected for organisation stride-demo: GitHub answered 403 Forbidden/,
      );
      expect(reports.slice(1).map((r) => r.scope)).toContain(`copilot:${org}`);
      const runs = (
        await sql<{ scope: string; status: string; error: string | null; note: string | null }>`
          select scope, status, error, note from sync_runs order by id`.execute(scratch.db)
      ).rows;
      expect(runs.map((r) => [r.status, r.error])).toEqual(runs.map(() => ['succeeded', null]));
      expect(runs[0]!.note).toBe(reports[0]!.note);
      expect(await stored(scratch)).toEqual([]);
    } finally {
      await scratch.destroy();
    }
  });
});
