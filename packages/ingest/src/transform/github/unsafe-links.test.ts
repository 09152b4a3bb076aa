import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  findUnsafeLinks,
  transformDeployment,
  transformDeploymentStatus,
  transformIssueToIncident,
  transformPullRequest,
  transformRelease,
  transformTag,
  transformWorkflowRun,
} from './index.ts';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../../tests/fixtures/recorded/${name}`, import.meta.url), 'utf8'),
  );
const ANTS = 'panjf2000/ants';
const pull: Record<string, unknown> = fixture('github_pulls.json')[ANTS][0];
const run: Record<string, unknown> = fixture('github_runs.json')[ANTS][0];
const issue: Record<string, unknown> = (
  fixture('github_issues.json')[ANTS] as Record<string, unknown>[]
).find((i) => i.pull_request === undefined)!;
const deployment: Record<string, unknown> = fixture('github_deployments.json')['facebook/OpenBIC'][0];

// Links a payload could carry that must never be stored (they would be links on the dashboard).
const UNSAFE = [
  'javascript:alert(document.cookie)',
  'JAVASCRIPT:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,x',
];

describe('GitHub transforms keep only http(s) links', () => {
  it.each(UNSAFE)('a pull request with html_url %j is kept without its link', (url) => {
    const row = transformPullRequest({ ...pull, html_url: url }, { repositoryId: '1' });
    expect(row.html_url).toBeNull();
    expect(row.external_id).toBe(String(pull.id));
    expect(findUnsafeLinks({ ...pull, html_url: url })).toEqual([
      { field: 'html_url', scheme: url.trim().split(':')[0]!.toLowerCase() },
    ]);
  });

  it('keeps https links as they are', () => {
    expect(transformPullRequest(pull, { repositoryId: '1' }).html_url).toBe(pull.html_url);
    expect(findUnsafeLinks(pull)).toEqual([]);
  });

  it('drops unsafe links of workflow runs, incidents, releases and tags', () => {
    const bad = 'javascript:alert(1)';
    expect(
      transformWorkflowRun(
        { ...run, html_url: bad },
        { repositoryId: '1', defaultBranch: 'dev', deploys: () => true },
      ).url,
    ).toBeNull();
    const incident = transformIssueToIncident(
      { ...issue, html_url: bad, labels: [{ name: 'incident' }] },
      { repositoryId: '1', repositoryFullName: ANTS, incidentLabel: 'incident' },
    );
    expect(incident?.url).toBeNull();
    const release = {
      id: 1,
      tag_name: 'v1.0.0',
      name: 'v1.0.0',
      draft: false,
      prerelease: false,
      created_at: '2025-01-01T00:00:00Z',
      published_at: '2025-01-01T00:00:00Z',
      html_url: bad,
    };
    expect(transformRelease(release, { repositoryId: '1', sha: 'abc1234' }).url).toBeNull();
    const tag = { name: 'v1.0.0', commit: { sha: 'abc1234' } };
    const commit = {
      sha: 'abc1234',
      html_url: bad,
      commit: { committer: { date: '2025-01-01T00:00:00Z' }, author: { date: '2025-01-01T00:00:00Z' } },
    };
    expect(transformTag(tag, commit, { repositoryId: '1', fullName: ANTS }).url).toBeNull();
  });

  it('a deployment takes the first http(s) link of its success status, skipping unsafe ones', () => {
    const status = {
      id: 7,
      state: 'success',
      created_at: '2025-01-01T00:00:00Z',
      environment_url: 'javascript:alert(1)',
      log_url: 'https://ci.example.com/log/7',
      target_url: 'data:text/html,x',
    };
    expect(findUnsafeLinks(status).map((l) => l.field)).toEqual(['environment_url', 'target_url']);
    const parsed = transformDeploymentStatus(status);
    expect(parsed.url).toBe('https://ci.example.com/log/7');
    const row = transformDeployment(deployment, [parsed], { repositoryId: '1', environmentPattern: '.*' });
    expect(row.url).toBe('https://ci.example.com/log/7');
    const onlyBad = transformDeploymentStatus({ ...status, log_url: 'vbscript:x' });
    expect(onlyBad.url).toBeNull();
  });
});
