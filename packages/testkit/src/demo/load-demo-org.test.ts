import { getAppSetting, listAutomaticAnnotationSources } from '@stride/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database/test-database.ts';
import { generateDemoOrg } from '../presets/size-presets.ts';
import { ensureDemoOrg } from './ensure-demo-org.ts';
import { DEMO_ORG_SETTING, DEMO_SETTING, loadDemoOrg } from './load-demo-org.ts';

const END = new Date('2026-11-23T10:00:00Z');
const options = { seed: 7, end: END, teams: 3, repositories: 6, years: 0.3 };
const org0 = generateDemoOrg(options);
const meta = {
  seed: 7,
  teams: 3,
  repositories: 6,
  years: 0.3,
  end: END.toISOString(),
  teamSlugs: org0.teams.map((t) => t.slug),
};

async function count(database: TestDatabase, table: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(
    database.db,
  );
  return Number(rows[0]!.n);
}

describe('loadDemoOrg', () => {
  let database: TestDatabase;
  const org = org0;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.destroy());

  it('writes every generated row, links changes and incidents, and marks the database as demo', async () => {
    const result = await loadDemoOrg(database.db, org, meta, { batchSize: 250 });
    expect(await count(database, 'repositories')).toBe(org.repositories.length);
    expect(await count(database, 'teams')).toBe(3);
    expect(await count(database, 'team_memberships')).toBe(
      org.teams.reduce((n, t) => n + t.members.length, 0),
    );
    expect(await count(database, 'pull_requests')).toBe(org.pullRequests.length);
    expect(await count(database, 'pull_request_reviews')).toBe(org.reviews.length);
    expect(await count(database, 'pull_request_commits')).toBe(org.commits.length);
    expect(await count(database, 'deployments')).toBe(org.deployments.length);
    expect(await count(database, 'incidents')).toBe(org.incidents.length);
    expect(await count(database, 'jira_issues')).toBe(org.jiraIssues.length);
    expect(await count(database, 'jira_issue_transitions')).toBe(org.jiraTransitions.length);
    expect(result.rows.pull_requests).toBe(org.pullRequests.length);
    expect(result.total).toBeGreaterThan(org.pullRequests.length);

    // Merged changes on main are linked to the first production deployment at or after merge.
    const { rows: unlinked } = await sql<{ n: string }>`
      select count(*) as n from pull_requests pr
      where pr.merged_at is not null
        and exists (select 1 from deployments d where d.repository_id = pr.repository_id
                    and d.deployed_at >= pr.merged_at and d.is_production)
        and not exists (select 1 from deployment_changes dc where dc.pull_request_id = pr.id)`.execute(
      database.db,
    );
    expect(Number(unlinked[0]!.n)).toBe(0);
    expect(await count(database, 'deployment_changes')).toBeGreaterThan(0);
    const { rows: attributed } = await sql<{ n: string }>`
      select count(*) as n from incidents where caused_by_deployment_id is not null`.execute(database.db);
    expect(Number(attributed[0]!.n)).toBe(org.incidents.length);

    // first_review_at / first_commit_at as generated (the upserts recompute them from reviews and commits).
    const sample = org.pullRequests.find((p) => p.first_review_at && !p.author_is_bot)!;
    const stored = await database.db
      .selectFrom('pull_requests')
      .select(['first_review_at', 'first_commit_at'])
      .where('external_id', '=', sample.external_id)
      .executeTakeFirstOrThrow();
    expect(stored.first_review_at?.toISOString()).toBe((sample.first_review_at as Date).toISOString());
    expect(stored.first_commit_at?.toISOString()).toBe((sample.first_commit_at as Date).toISOString());

    expect(await getAppSetting(database.db, DEMO_SETTING)).toBe(true);
    expect(await getAppSetting(database.db, DEMO_ORG_SETTING)).toEqual(meta);
  });

  it("its dated members become every team's automatic membership events of the last 90 days", async () => {
    const from = new Date(END.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    const to = END.toISOString().slice(0, 10);
    const { membershipChanges } = await listAutomaticAnnotationSources(database.db, { from, to });
    for (const team of org.teams) {
      const changes = membershipChanges.filter((c) => c.teamSlug === team.slug);
      expect(changes.length, team.slug).toBeGreaterThanOrEqual(1);
      // Each one is a generated member's dated membership: joined on `from`, left the day after `to`.
      for (const c of changes) {
        const member = team.members.find((m) => m.name === c.member)!;
        expect(member, `${team.slug}: ${c.member}`).toBeDefined();
        if (c.change === 'joined') expect(member.from).toBe(c.date);
        else expect(new Date(`${member.to}T00:00:00Z`).getTime() + 86_400_000).toBe(Date.parse(c.date));
      }
    }
    expect(membershipChanges.some((c) => c.change === 'joined')).toBe(true);
    expect(membershipChanges.some((c) => c.change === 'left')).toBe(true);
  });

  it('is idempotent: loading the same organisation again leaves the same rows', async () => {
    const before = await Promise.all(
      [
        'pull_requests',
        'pull_request_reviews',
        'deployments',
        'deployment_changes',
        'incidents',
        'jira_issues',
      ].map((t) => count(database, t)),
    );
    await loadDemoOrg(database.db, org, meta);
    const after = await Promise.all(
      [
        'pull_requests',
        'pull_request_reviews',
        'deployments',
        'deployment_changes',
        'incidents',
        'jira_issues',
      ].map((t) => count(database, t)),
    );
    expect(after).toEqual(before);
  });

  it('ensureDemoOrg skips the same demo and replaces a different one without mixing them', async () => {
    const same = await ensureDemoOrg(database.db, {
      ...options,
      seed: 7,
      end: new Date('2026-11-23T20:00:00Z'),
    });
    expect(same.loaded).toBe(false);
    expect(same.teams).toEqual([]); // loaded by loadDemoOrg directly: no teams setting yet
    const other = await ensureDemoOrg(database.db, { ...options, seed: 8, teams: 2, repositories: 4 });
    expect(other.loaded).toBe(true);
    expect((await ensureDemoOrg(database.db, { ...options, seed: 8 })).teams).toEqual(other.teams);
    const next = generateDemoOrg({ ...options, seed: 8, teams: 2, repositories: 4 });
    expect(await count(database, 'pull_requests')).toBe(next.pullRequests.length);
    expect(await count(database, 'repositories')).toBe(4);
    expect(await count(database, 'teams')).toBe(2);
    expect(await count(database, 'jira_issues')).toBe(next.jiraIssues.length);
    expect(await count(database, 'incidents')).toBe(next.incidents.length);
  });

  it('ensureDemoOrg regenerates a stale demo (over a day old) at its own size, ending at the new date', async () => {
    const later = new Date('2026-11-27T09:00:00Z');
    const result = await ensureDemoOrg(database.db, { ...options, seed: 8, end: later });
    expect(result.loaded).toBe(true);
    expect(result.meta).toMatchObject({ seed: 8, teams: 2, repositories: 4, end: later.toISOString() });
    const next = generateDemoOrg({ ...options, seed: 8, teams: 2, repositories: 4, end: later });
    expect(await count(database, 'repositories')).toBe(4);
    expect(await count(database, 'pull_requests')).toBe(next.pullRequests.length);
    expect(await count(database, 'deployments')).toBe(next.deployments.length);
  });
});
