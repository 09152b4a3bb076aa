import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database/test-database.ts';
import { createOrgModel } from '../model/org-model.ts';
import { demoModelOptions, scaleModelOptions } from '../presets/size-presets.ts';
import { bulkLoadOrgModel } from './bulk-load-org-model.ts';
import { loadOrgModel } from './load-org-rows.ts';

const END = new Date('2026-11-23T10:00:00Z');
const model = () =>
  createOrgModel(demoModelOptions({ seed: 11, end: END, teams: 3, repositories: 6, years: 0.5 }));

// Every loaded table by natural keys (ids differ between databases), derived links included.
async function contents(t: TestDatabase) {
  const q = async (text: string) => (await sql.raw<Record<string, unknown>>(text).execute(t.db)).rows;
  return {
    prs: await q(`select pr.*, null as id, r.full_name as repository_id from pull_requests pr
                  join repositories r on r.id = pr.repository_id order by pr.external_id`),
    commits:
      await q(`select p.external_id, c.sha, c.author_login, c.author_email, c.authored_at, c.committed_at
                      from pull_request_commits c join pull_requests p on p.id = c.pull_request_id order by 1, 2`),
    reviews:
      await q(`select p.external_id as pr, r.external_id, r.kind, r.reviewer_login, r.reviewer_is_bot, r.state, r.submitted_at
                      from pull_request_reviews r join pull_requests p on p.id = r.pull_request_id order by 2`),
    deployments: await q(`select d.*, null as id, r.full_name as repository_id from deployments d
                          join repositories r on r.id = d.repository_id order by d.source, d.external_id`),
    links:
      await q(`select p.external_id as pr, d.external_id as deployment, dc.attribution from deployment_changes dc
                    join pull_requests p on p.id = dc.pull_request_id join deployments d on d.id = dc.deployment_id order by 1`),
    incidents:
      await q(`select i.*, null as id, r.full_name as repository_id, t.slug as team_id, d.external_id as caused_by_deployment_id
                        from incidents i left join repositories r on r.id = i.repository_id left join teams t on t.id = i.team_id
                        left join deployments d on d.id = i.caused_by_deployment_id order by i.source, i.external_id`),
    issues: await q(`select j.*, null as id from jira_issues j order by j.external_id`),
    transitions:
      await q(`select j.external_id as issue, t.external_id, t.from_status, t.to_status, t.author_account_id, t.transitioned_at
                          from jira_issue_transitions t join jira_issues j on j.id = t.jira_issue_id order by 1, 2`),
  };
}

describe('bulkLoadOrgModel (COPY, stage, merge once)', () => {
  let upserted: TestDatabase;
  let bulk: TestDatabase;
  beforeAll(async () => {
    [upserted, bulk] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([upserted?.destroy(), bulk?.destroy()]);
  });

  it('gives the rows of the per-row upsert loader on the same model, links and attribution included', async () => {
    await loadOrgModel(upserted.db, model(), { linkRepositories: 'all' });
    const result = await bulkLoadOrgModel(bulk.db, model());
    expect(result.rejectedCount).toBe(0);
    expect(result.rows.pull_requests).toBeGreaterThan(100);
    expect(result.rows.deployment_changes).toBeGreaterThan(0);
    const expected = await contents(upserted);
    expect(expected.incidents.some((i) => i.caused_by_deployment_id !== null)).toBe(true);
    expect(expected.deployments.some((d) => d.is_unplanned)).toBe(true);
    expect(await contents(bulk)).toEqual(expected);
  });

  it('is idempotent: loading the same model again changes no row and links nothing new', async () => {
    const before = await contents(bulk);
    const again = await bulkLoadOrgModel(bulk.db, model());
    expect(again.rows.deployment_changes).toBe(0);
    expect(await contents(bulk)).toEqual(before);
  });

  it('streams: the xl model yields its first repository without generating the organisation', () => {
    const xl = createOrgModel(
      scaleModelOptions({ seed: 1, end: END, teams: 300, repositories: 2000, prsPerTeamWeek: 32 }),
    );
    const heapBefore = process.memoryUsage().heapUsed;
    const activities = xl.activity();
    const first = activities.next();
    expect(first.done).toBe(false);
    const chunk = first.done ? undefined : first.value;
    // One repository's share of ~1,000,000 PRs, and memory for it, not for the organisation.
    expect(chunk!.pullRequests.every((p) => p.repository === xl.repositories[0]!.fullName)).toBe(true);
    expect(chunk!.pullRequests.length).toBeGreaterThan(100);
    expect(chunk!.pullRequests.length).toBeLessThan(5000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  });
});
