import { syncTeamsFromConfig } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { collectOrgModel, createOrgModel, demoModelOptions } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import {
  type FakeGitHubServer,
  type FakeJiraServer,
  startFakeGitHubServer,
  startFakeJiraServer,
} from '@stride/testkit/fakes';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../config.ts';
import { runAllSyncs } from './run-all-syncs.ts';

// One organisation of the test kit's model, served by both fakes through its REST adapters: the
// real collector must store what the model holds. Every expected figure is counted from the model.
const model = createOrgModel(
  demoModelOptions({
    seed: 21,
    end: new Date('2026-03-02T12:00:00Z'),
    teams: 2,
    repositories: 3,
    years: 0.08,
  }),
);
const org = collectOrgModel(model);

const count = async (t: TestDatabase, table: string, where = sql`true`) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(t.db))
      .rows[0]!.n,
  );

describe('collecting a generated organisation from the fake GitHub and Jira', () => {
  let t: TestDatabase;
  let github: FakeGitHubServer;
  let jira: FakeJiraServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    github = await startFakeGitHubServer({ fixturesDir: null, model });
    jira = await startFakeJiraServer({ model, pageSize: 50 });
  });
  afterAll(async () => {
    await github?.close();
    await jira?.close();
    await t?.destroy();
  });

  it('stores every PR, deployment, Jira issue and incident the model holds, and links them', async () => {
    const config = parseStrideConfig({
      github: {
        repositories: model.repositories.map((r) => r.fullName),
        deployments: { source: 'github_deployments', environment: '^production$' },
        incidentLabel: 'incident',
      },
      jira: {
        projects: model.teams.map((team) => team.jiraProject),
        bugTypes: ['Bug'],
        incidentTypes: ['Incident'],
      },
      teams: model.config,
      sync: { backfillDays: 20_000, intervalMinutes: 15 },
    });
    await syncTeamsFromConfig(t.db, config.teams);
    const reports = await runAllSyncs({
      db: t.db,
      config,
      env: loadCollectorConfig({
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: 'test-token',
        JIRA_HOST: jira.url,
        JIRA_EMAIL: 'me@example.com',
        JIRA_API_TOKEN: 'secret',
        LOG_LEVEL: 'silent',
      }),
      logger: pino({ level: 'silent' }),
      waitUnitMs: 20,
    });
    expect(reports.filter((r) => r.error)).toEqual([]);

    const merged = org.pullRequests.filter((p) => p.mergedAt);
    expect(merged.length).toBeGreaterThan(20);
    expect(await count(t, 'pull_requests')).toBe(org.pullRequests.length);
    expect(await count(t, 'pull_requests', sql`merged_at is not null`)).toBe(merged.length);
    expect(await count(t, 'pull_request_commits')).toBe(merged.reduce((n, p) => n + p.commits.length, 0));
    // Reviews and comments of merged and open PRs (open ones are work in progress; a PR closed
    // unmerged is not looked into).
    expect(await count(t, 'pull_request_reviews')).toBe(
      org.pullRequests.filter((p) => p.state !== 'closed').reduce((n, p) => n + p.reviews.length, 0),
    );
    const readied = org.pullRequests.filter((p) => p.readyForReviewAt && p.state !== 'closed');
    expect(await count(t, 'pull_requests', sql`ready_for_review_at is not null`)).toBe(readied.length);
    const reached = org.deployments.filter((d) => d.deployedAt !== null);
    expect(await count(t, 'deployments', sql`status = 'success' and is_production`)).toBe(reached.length);
    expect(await count(t, 'jira_issues')).toBe(org.jiraIssues.length);
    expect(await count(t, 'jira_issue_transitions')).toBe(
      org.jiraIssues.reduce((n, j) => n + j.transitions.length, 0),
    );
    expect(await count(t, 'incidents')).toBe(org.incidents.length);
    expect(org.incidents.length).toBeGreaterThan(0);
    // Pickup starts from the same first review the model gave each merged PR.
    const firstReviews = await t.db
      .selectFrom('pull_requests')
      .select(['number', 'first_review_at', 'repository_id'])
      .where('merged_at', 'is not', null)
      .execute();
    const modelFirst = merged.map((p) => {
      const times = p.reviews.filter((r) => !r.isBot && r.reviewer !== p.author).map((r) => +r.submittedAt);
      return times.length ? Math.min(...times) : null;
    });
    expect(firstReviews.map((r) => r.first_review_at?.getTime() ?? null).sort()).toEqual(modelFirst.sort());
    // Every merged change with a later production deployment of its repository is linked to one.
    const linkable = merged.filter((p) =>
      reached.some((d) => d.repository === p.repository && +d.deployedAt! >= +p.mergedAt!),
    );
    expect(await count(t, 'deployment_changes')).toBe(linkable.length);
    // Open PRs: who is asked to review, draft state and the head commit's CI, as the model has them.
    const open = await t.db
      .selectFrom('pull_requests')
      .innerJoin('repositories', 'repositories.id', 'pull_requests.repository_id')
      .select(['full_name', 'number', 'requested_reviewers', 'draft', 'ci_state'])
      .where('state', '=', 'open')
      .execute();
    const modelOpen = org.pullRequests.filter((p) => p.state === 'open');
    expect(modelOpen.length).toBeGreaterThan(0);
    const key = (repo: string, n: number) => `${repo}#${n}`;
    const stored = new Map(open.map((r) => [key(r.full_name, r.number), r]));
    expect(stored.size).toBe(modelOpen.length);
    for (const p of modelOpen) {
      const row = stored.get(key(p.repository, p.number));
      expect(row, key(p.repository, p.number)).toBeDefined();
      expect([...row!.requested_reviewers].sort()).toEqual(p.requestedReviewers);
      expect(row!.draft).toBe(p.draft);
      expect(row!.ci_state).toBe(p.ciState);
    }
    expect(open.some((r) => r.requested_reviewers.length > 0)).toBe(true);
    expect(new Set(open.map((r) => r.ci_state)).size).toBeGreaterThan(1);
  });
});
