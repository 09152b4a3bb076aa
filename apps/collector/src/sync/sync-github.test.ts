import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import {
  type FakeGitHubServer,
  type FakePayload,
  RECORDED_FIXTURES_DIR,
  startFakeGitHubServer,
} from '@stride/testkit/fakes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncTestContext, RECORDED_GITHUB_CONFIG } from '../testing/sync-test-context.ts';
import { runAllSyncs } from './run-all-syncs.ts';
import type { SyncReport } from './sync-context.ts';

type Json = FakePayload;
const fixture = (name: string) => JSON.parse(readFileSync(`${RECORDED_FIXTURES_DIR}${name}`, 'utf8'));
const ANTS = 'panjf2000/ants';
const OPENBIC = 'facebook/OpenBIC';
const pulls: Json[] = fixture('github_pulls.json')[ANTS];
const pullCommits: Record<string, Json[]> = fixture('github_pull_commits.json')[ANTS];
const pullReviews: Record<string, Json[]> = fixture('github_pull_reviews.json')[ANTS];
const runs: Json[] = fixture('github_runs.json')[ANTS];
const issues: Json[] = fixture('github_issues.json')[ANTS];
const deployments: Json[] = fixture('github_deployments.json')[OPENBIC];
const statuses: Record<string, Json[]> = fixture('github_deployment_statuses.json')[OPENBIC];

const count = async (t: TestDatabase, table: string, where = sql`true`) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(t.db))
      .rows[0]!.n,
  );
const scope = (reports: SyncReport[], name: string) => reports.find((r) => r.scope === name)!;

describe('GitHub sync of the recorded repositories', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  let first: SyncReport[];
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer();
    first = await runAllSyncs(createSyncTestContext(t.db, server.url));
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('stores every PR; merged ones with their commits, reviews, first commit time and size', async () => {
    const merged = pulls.filter((p) => p.merged_at);
    expect(merged.length).toBe(26); // the README's figure, counted from the file
    expect(await count(t, 'pull_requests')).toBe(pulls.length);
    const rows = await t.db.selectFrom('pull_requests').selectAll().where('state', '=', 'merged').execute();
    expect(rows).toHaveLength(merged.length);
    const expectedCommits = merged.reduce((n, p) => n + (pullCommits[String(p.number)]?.length ?? 0), 0);
    expect(await count(t, 'pull_request_commits')).toBe(expectedCommits);
    const expectedReviews = merged.reduce(
      (n, p) => n + (pullReviews[String(p.number)] ?? []).filter((r) => r.state !== 'PENDING').length,
      0,
    );
    expect(await count(t, 'pull_request_reviews')).toBe(expectedReviews);
    for (const row of rows) {
      const commits = pullCommits[String(row.number)] ?? [];
      const earliest = commits.map((c) => c.commit.author.date as string).sort()[0];
      expect(row.first_commit_at?.toISOString() ?? null).toBe(
        earliest ? new Date(earliest).toISOString() : null,
      );
      expect(row.additions).not.toBeNull(); // from the PR detail
      expect(row.deletions).not.toBeNull();
    }
  });

  it('stores the configured workflow runs as deployments and skips the upper-case ones, logging their URL', async () => {
    const configured = runs.filter((r) =>
      ['.github/workflows/ci.yml', '.github/workflows/codeql.yml'].includes(r.path),
    );
    const bad = configured.filter((r) => r.status !== String(r.status).toLowerCase());
    expect(bad).toHaveLength(15);
    const good = configured.filter((r) => !bad.includes(r));
    expect(await count(t, 'deployments', sql`source = 'workflow_runs'`)).toBe(good.length);
    // The repository's own runs only: the recorded fork PR runs on a branch named `master` are not.
    const deployed = good.filter(
      (r) =>
        r.head_branch === 'master' &&
        r.head_repository.full_name === ANTS &&
        r.event !== 'pull_request' &&
        r.status === 'completed' &&
        r.conclusion === 'success',
    );
    expect(good.some((r) => r.head_branch === 'master' && r.head_repository.full_name !== ANTS)).toBe(true);
    expect(
      await count(t, 'deployments', sql`source = 'workflow_runs' and is_production and status = 'success'`),
    ).toBe(deployed.length);
    expect(scope(first, ANTS).itemsSkipped).toBe(bad.length);
  });

  it('derives OpenBIC deployment outcomes from their statuses', async () => {
    const rows = await t.db
      .selectFrom('deployments')
      .selectAll()
      .where('source', '=', 'github_deployments')
      .execute();
    expect(rows).toHaveLength(deployments.length);
    for (const d of deployments) {
      const list = [...(statuses[String(d.id)] ?? [])].sort((a, b) =>
        b.created_at.localeCompare(a.created_at),
      );
      const success = list.find((s) => s.state === 'success');
      const counted = list[0]?.state === 'success' || (list[0]?.state === 'inactive' && success);
      const row = rows.find((r) => r.external_id === String(d.id))!;
      expect(row.status === 'success').toBe(Boolean(counted));
      expect(row.deployed_at?.toISOString() ?? null).toBe(
        counted ? new Date(success!.created_at).toISOString() : null,
      );
    }
  });

  it('turns labelled issues into incidents and links changes to deployments', async () => {
    const label = RECORDED_GITHUB_CONFIG.incidentLabel;
    const incidents = issues.filter(
      (i) => !i.pull_request && i.labels.some((l: Json) => l.name.toLowerCase() === label),
    );
    expect(await count(t, 'incidents', sql`source = 'github'`)).toBe(incidents.length);
    // Time fallback: merged into master, at or before the last production run of ants.
    const prodTimes = runs
      .filter(
        (r) =>
          ['.github/workflows/ci.yml', '.github/workflows/codeql.yml'].includes(r.path) &&
          r.head_branch === 'master' &&
          r.head_repository.full_name === ANTS &&
          r.event !== 'pull_request' &&
          r.status === 'completed' &&
          r.conclusion === 'success',
      )
      .map((r) => Date.parse(r.updated_at));
    const linkable = pulls.filter(
      (p) => p.merged_at && p.base.ref === 'master' && prodTimes.some((at) => at >= Date.parse(p.merged_at)),
    );
    const repo = await t.db
      .selectFrom('repositories')
      .select('id')
      .where('full_name', '=', ANTS)
      .executeTakeFirstOrThrow();
    const links = await t.db
      .selectFrom('deployment_changes as dc')
      .innerJoin('pull_requests as pr', 'pr.id', 'dc.pull_request_id')
      .select(['dc.attribution'])
      .where('pr.repository_id', '=', repo.id)
      .execute();
    expect(links).toHaveLength(linkable.length);
    // ants' deployments ship no recorded merge commit (runs are months after the last merge).
    expect(links.every((l) => l.attribution === 'time')).toBe(true);
  });

  it('keeps every raw payload and records the sync runs', async () => {
    expect(await count(t, 'raw_payloads', sql`kind = 'pull_request'`)).toBe(pulls.length);
    expect(await count(t, 'raw_payloads', sql`kind = 'deployment'`)).toBe(deployments.length);
    expect(await count(t, 'raw_payloads', sql`kind = 'deployment_status'`)).toBe(
      Object.values(statuses).reduce((n, l) => n + l.length, 0),
    );
    const runRows = await t.db.selectFrom('sync_runs').selectAll().where('source', '=', 'github').execute();
    expect(runRows.map((r) => [r.scope, r.status]).sort()).toEqual([
      [OPENBIC, 'succeeded'],
      [ANTS, 'succeeded'],
    ]);
    expect(runRows.find((r) => r.scope === ANTS)!.requests).toBe(scope(first, ANTS).requests);
  });

  it('a re-sync with nothing new spends no rate limit: every request is a conditional 304', async () => {
    const before = await count(t, 'pull_requests');
    const again = await runAllSyncs(createSyncTestContext(t.db, server.url));
    const firstRequests = first.reduce((n, r) => n + r.requests, 0);
    const againRequests = again.reduce((n, r) => n + r.requests, 0);
    const againCost = again.reduce((n, r) => n + r.requests - r.notModified, 0);
    expect(againCost).toBe(0);
    expect(againCost / firstRequests).toBeLessThan(0.02);
    // One conditional request per endpoint, not per object.
    expect(againRequests).toBeLessThan(firstRequests / 8);
    expect(await count(t, 'pull_requests')).toBe(before);
  });

  it('a changed PR is fetched again, and only it', async () => {
    const pr = server.repos.get(ANTS)!.pulls.find((p) => p.merged_at)!;
    pr.title = 'Renamed upstream';
    pr.updated_at = '2030-01-01T00:00:00Z';
    const before = server.requests.length;
    await runAllSyncs(createSyncTestContext(t.db, server.url));
    const paths = server.requests.slice(before).map((r) => r.path);
    const prPaths = paths.filter((p) => /\/pulls\/\d+/.test(p));
    expect(new Set(prPaths.map((p) => /\/pulls\/(\d+)/.exec(p)![1]))).toEqual(new Set([String(pr.number)]));
    const row = await t.db
      .selectFrom('pull_requests')
      .select('title')
      .where('external_id', '=', String(pr.id))
      .executeTakeFirstOrThrow();
    expect(row.title).toBe('Renamed upstream');
  });
});

describe('malformed payloads are logged with their URL and skipped', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer();
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('skips a PR without base, a deployment with an upper-case status and an issue with bad labels', async () => {
    const ants = server.repos.get(ANTS)!;
    const badPr = ants.pulls.find((p) => !p.merged_at)!;
    delete badPr.base;
    const badIssue = ants.issues.find(
      (i) => !i.pull_request && i.labels.some((l: Json) => l.name === 'bug'),
    )!;
    badIssue.labels = [{ name: 'bug' }, { color: 'red' }];
    const openbic = server.repos.get(OPENBIC)!;
    const badDeployment = openbic.deployments[0]!;
    openbic.deploymentStatuses[String(badDeployment.id)]![0]!.state = 'SUCCESS';

    const ctx = createSyncTestContext(t.db, server.url);
    const reports = await runAllSyncs(ctx);
    expect(reports.every((r) => !r.error)).toBe(true);
    const warnings = ctx.logs.filter((l) => String(l.msg).startsWith('skipped malformed'));
    const urls = warnings.map((w) => String(w.url));
    expect(urls.some((u) => u.includes(`/repos/${ANTS}/pulls?`))).toBe(true);
    expect(urls.some((u) => u.includes(`/deployments/${badDeployment.id}/statuses`))).toBe(true);
    expect(urls.some((u) => u.includes(`/repos/${ANTS}/issues?`))).toBe(true);
    expect(JSON.stringify(ctx.logs)).not.toContain('test-token-never-logged');
    // Everything else is stored.
    expect(await count(t, 'pull_requests')).toBe(pulls.length - 1);
    expect(await count(t, 'deployments', sql`source = 'github_deployments'`)).toBe(deployments.length - 1);
    expect(await count(t, 'pull_requests', sql`external_id = ${String(badPr.id)}`)).toBe(0);
  });

  it('a repository that does not exist fails alone; the others are synced', async () => {
    const ctx = createSyncTestContext(t.db, server.url, {
      ...RECORDED_GITHUB_CONFIG,
      repositories: ['nobody/missing', ...RECORDED_GITHUB_CONFIG.repositories],
    });
    const reports = await runAllSyncs(ctx);
    expect(reports.find((r) => r.scope === 'nobody/missing')!.error).toMatch(/Not Found/);
    expect(reports.filter((r) => r.error)).toHaveLength(1);
    const failed = await t.db
      .selectFrom('sync_runs')
      .select('status')
      .where('scope', '=', 'nobody/missing')
      .execute();
    expect(failed).toEqual([{ status: 'failed' }]);
  });

  it('GITHUB_API_URL may carry a GitHub Enterprise path prefix (/api/v3)', async () => {
    const before = server.requests.length;
    const reports = await runAllSyncs(createSyncTestContext(t.db, `${server.url}/api/v3`));
    expect(reports.every((r) => !r.error)).toBe(true);
    const seen = server.requests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.path.startsWith('/api/v3/repos/'))).toBe(true);
  });
});

describe('a malformed page', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({
      faults: [{ kind: 'malformed-body', atRequest: 1, pathIncludes: `/repos/${ANTS}/pulls` }],
    });
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('is logged with its URL, the rest goes on, and the next run fetches it again', async () => {
    const ctx = createSyncTestContext(t.db, server.url);
    const reports = await runAllSyncs(ctx);
    expect(reports.filter((r) => r.error)).toEqual([]);
    const warning = ctx.logs.find((l) => l.msg === 'skipped malformed page')!;
    expect(String(warning.url)).toContain(`/repos/${ANTS}/pulls?`);
    expect(await count(t, 'pull_requests')).toBe(0);
    expect(await count(t, 'deployments')).toBeGreaterThan(0); // runs and deployments went on
    await runAllSyncs(createSyncTestContext(t.db, server.url));
    expect(await count(t, 'pull_requests')).toBe(pulls.length);
  });
});

describe('a small rate-limit budget is waited out, not hammered', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    // 70 requests per 5-second window: the first sync (~127 requests) needs two windows. The
    // window is long enough that even a slow machine spends the budget before it resets.
    server = await startFakeGitHubServer({ rateLimit: 70, rateLimitWindowSeconds: 5 });
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('waits for each reset (real seconds) instead of retrying into the limit', async () => {
    const ctx = { ...createSyncTestContext(t.db, server.url), waitUnitMs: 1000 };
    const reports = await runAllSyncs(ctx);
    expect(reports.filter((r) => r.error)).toEqual([]);
    expect(ctx.logs.some((l) => String(l.msg).includes('rate limit used up'))).toBe(true);
    // Only requests already in flight when the budget ran out can meet a 403 (at most the
    // client's concurrency, 10, per window); a client that hammered would pile up hundreds.
    const limited = server.requests.filter((r) => r.status === 403).length;
    expect(limited).toBeLessThanOrEqual(10 * 2);
    expect(await count(t, 'pull_requests')).toBe(pulls.length);
  });
});
