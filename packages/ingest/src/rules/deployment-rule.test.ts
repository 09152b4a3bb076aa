import { readFileSync } from 'node:fs';
import { parseStrideConfig } from '@stride/shared/config';
import { describe, expect, it } from 'vitest';
import { transformWorkflowRun } from '../transform/github/workflow-run.ts';
import { deploymentRuleFor, isDeploymentRun } from './deployment-rule.ts';

const ANTS = 'panjf2000/ants';
type Run = {
  id: number;
  event: string;
  head_branch: string;
  status: string;
  conclusion: string | null;
  head_repository: { full_name: string };
};
const runs: Run[] = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/recorded/github_runs.json', import.meta.url), 'utf8'),
)[ANTS].filter((r: Run) => r.status === r.status.toLowerCase());

const productionRuns = (github: Record<string, unknown>) => {
  const config = parseStrideConfig({ github: { repositories: [ANTS], ...github } });
  const rule = deploymentRuleFor(config, ANTS);
  return runs
    .map((run) =>
      transformWorkflowRun(run, {
        repositoryId: '1',
        defaultBranch: 'master',
        deploys: (r) => isDeploymentRun(rule, ANTS, r),
      }),
    )
    .filter((row) => row.is_production && row.deployed_at)
    .map((row) => Number(row.external_id));
};
const idsOf = (pick: (r: Run) => boolean) =>
  runs.filter((r) => pick(r) && r.status === 'completed' && r.conclusion === 'success').map((r) => r.id);

describe('workflow runs that deploy (rule workflowEvents, head_repository)', () => {
  it("a fork's pull_request run on a branch named like the default branch is not a deployment", () => {
    // Recorded: hanfezh/ants opened PRs from its own `master`; their runs succeeded on "master".
    const forkRuns = runs.filter((r) => r.head_repository.full_name !== ANTS && r.head_branch === 'master');
    expect(forkRuns.length).toBeGreaterThan(0);
    const deployed = productionRuns({ deployments: { source: 'workflow_runs', workflows: ['ci.yml'] } });
    for (const run of forkRuns) expect(deployed).not.toContain(run.id);
  });

  it('deploys on push and workflow_dispatch by default; schedule only when configured', () => {
    const own = (r: Run) => r.head_repository.full_name === ANTS && r.head_branch === 'master';
    expect(productionRuns({ deployments: { source: 'workflow_runs' } }).sort()).toEqual(
      idsOf((r) => own(r) && ['push', 'workflow_dispatch'].includes(r.event)).sort(),
    );
    const withSchedule = productionRuns({
      deployments: { source: 'workflow_runs', workflowEvents: ['push', 'schedule'] },
    });
    expect(withSchedule.sort()).toEqual(
      idsOf((r) => own(r) && ['push', 'schedule'].includes(r.event)).sort(),
    );
    expect(idsOf((r) => own(r) && r.event === 'schedule').length).toBeGreaterThan(0);
  });

  it('a repository override sets its own events', () => {
    const config = parseStrideConfig({
      github: {
        repositories: [ANTS],
        deployments: { source: 'workflow_runs' },
        repositoryRules: { [ANTS]: { workflowEvents: ['schedule'] } },
      },
    });
    expect(deploymentRuleFor(config, ANTS).workflowEvents).toEqual(['schedule']);
    expect(deploymentRuleFor(config, 'acme/other').workflowEvents).toEqual(['push', 'workflow_dispatch']);
  });

  it('pull_request events never deploy: configuring them fails naming the key', () => {
    expect(() =>
      parseStrideConfig({ github: { deployments: { workflowEvents: ['push', 'pull_request'] } } }),
    ).toThrow(/github\.deployments\.workflowEvents.*pull_request events never deploy/s);
    expect(() =>
      parseStrideConfig({
        github: { repositoryRules: { [ANTS]: { workflowEvents: ['pull_request_target'] } } },
      }),
    ).toThrow(/workflowEvents/);
    // Even a run whose payload lacks these fields is not taken for a deployment.
    expect(isDeploymentRun({ workflowEvents: ['push'] }, ANTS, { event: 'push' })).toBe(false);
    expect(
      isDeploymentRun({ workflowEvents: ['push'] }, ANTS, {
        head_repository: { full_name: 'PANJF2000/ants' },
      }),
    ).toBe(false);
    expect(
      isDeploymentRun({ workflowEvents: ['push'] }, ANTS, {
        event: 'push',
        head_repository: { full_name: 'PANJF2000/ants' },
      }),
    ).toBe(true);
  });
});
