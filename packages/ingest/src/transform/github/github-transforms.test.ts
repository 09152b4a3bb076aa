import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  deriveDeploymentOutcome,
  InvalidPayloadError,
  transformDeployment,
  transformDeploymentStatus,
  transformIssueToIncident,
  transformPullRequest,
  transformPullRequestCommit,
  transformReview,
  transformWorkflowRun,
} from './index.ts';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../../tests/fixtures/recorded/${name}`, import.meta.url), 'utf8'),
  );
const ANTS = 'panjf2000/ants';
const pulls: Record<string, unknown>[] = fixture('github_pulls.json')[ANTS];
const runs: Record<string, unknown>[] = fixture('github_runs.json')[ANTS];
const issues: Record<string, unknown>[] = fixture('github_issues.json')[ANTS];
const commits: Record<string, Record<string, unknown>[]> = fixture('github_pull_commits.json')[ANTS];
const reviews: Record<string, Record<string, unknown>[]> = fixture('github_pull_reviews.json')[ANTS];
const deployments: Record<string, unknown>[] = fixture('github_deployments.json')['facebook/OpenBIC'];
const statuses: Record<string, unknown[]> = fixture('github_deployment_statuses.json')['facebook/OpenBIC'];

describe('GitHub transforms on recorded payloads', () => {
  it('maps every recorded PR; merged ones are those with merged_at', () => {
    const rows = pulls.map((p) => transformPullRequest(p, { repositoryId: '1' }));
    expect(rows).toHaveLength(pulls.length);
    expect(rows.filter((r) => r.state === 'merged')).toHaveLength(pulls.filter((p) => p.merged_at).length);
    const bugLabelled = pulls.filter((p) =>
      (p.labels as { name: string }[]).some((l) => l.name.toLowerCase() === 'bug'),
    );
    expect(rows.filter((r) => r.is_unplanned)).toHaveLength(bugLabelled.length);
    expect(rows[0]!.additions).toBeNull(); // list shape carries no size
  });

  it('maps commits and reviews (PENDING reviews are dropped)', () => {
    const all = Object.values(commits).flat();
    for (const c of all)
      expect(transformPullRequestCommit(c, { pullRequestId: '1' }).authored_at).toBeTruthy();
    const rs = Object.values(reviews).flat();
    const mapped = rs.map((r) => transformReview(r, { pullRequestId: '1' })).filter((r) => r !== null);
    expect(mapped).toHaveLength(rs.filter((r) => r.state !== 'PENDING').length);
  });

  it('rejects the workflow runs whose status values are in the wrong case', () => {
    const bad = runs.filter((r) => String(r.status) !== String(r.status).toLowerCase());
    expect(bad.length).toBeGreaterThan(0);
    for (const r of bad) {
      expect(() =>
        transformWorkflowRun(r, { repositoryId: '1', defaultBranch: 'master', deploys: () => true }),
      ).toThrow(InvalidPayloadError);
    }
    const good = runs.filter((r) => !bad.includes(r));
    const rows = good.map((r) =>
      transformWorkflowRun(r, { repositoryId: '1', defaultBranch: 'master', deploys: () => true }),
    );
    const expectedDeployed = good.filter(
      (r) => r.head_branch === 'master' && r.status === 'completed' && r.conclusion === 'success',
    );
    expect(rows.filter((r) => r.is_production && r.deployed_at)).toHaveLength(expectedDeployed.length);
  });

  it('derives the deployment outcome from statuses (inactive after success counts)', () => {
    for (const d of deployments) {
      const list = (statuses[String(d.id)] ?? []).map(transformDeploymentStatus);
      const row = transformDeployment(d, list, { repositoryId: '1', environmentPattern: '^github-pages$' });
      const states = [...(statuses[String(d.id)] as { state: string; created_at: string }[])].sort((a, b) =>
        b.created_at.localeCompare(a.created_at),
      );
      const success = states.find((s) => s.state === 'success');
      const counted =
        states[0]?.state === 'success' || (states[0]?.state === 'inactive' && success !== undefined);
      expect(row.status === 'success').toBe(counted);
      expect(row.deployed_at ?? null).toBe(counted ? success!.created_at : null);
      expect(row.is_production).toBe(true);
    }
    expect(deriveDeploymentOutcome([])).toEqual({ status: 'pending', deployedAt: null, url: null });
    expect(() =>
      transformDeploymentStatus({ id: 1, state: 'SUCCESS', created_at: '2024-01-01T00:00:00Z' }),
    ).toThrow(/state/);
  });

  it('turns labelled issues into incidents, never PRs', () => {
    const rows = issues.map((i) =>
      transformIssueToIncident(i, { repositoryId: '1', repositoryFullName: ANTS, incidentLabel: 'BUG' }),
    );
    const expected = issues.filter(
      (i) =>
        !('pull_request' in i) &&
        (i.labels as { name: string }[]).some((l) => l.name.toLowerCase() === 'bug'),
    );
    expect(rows.filter((r) => r !== null).map((r) => r!.external_id)).toEqual(
      expected.map((i) => String(i.id)),
    );
    const first = rows.find((r) => r !== null)!;
    expect(first.key).toMatch(/^panjf2000\/ants#\d+$/);
  });

  it('names the bad field of a malformed payload', () => {
    expect(() => transformPullRequest({ id: 1, number: 2 }, { repositoryId: '1' })).toThrow(/title/);
  });
});
