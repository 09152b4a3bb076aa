import type { DeploymentRule, StrideConfig } from '@stride/shared/config';

/**
 * The deployment rule of a repository (docs/metrics.md, Deployment): `github.deployments` with the
 * keys its `github.repositoryRules[fullName]` override sets (an override holds only what it sets).
 */
export function deploymentRuleFor(config: StrideConfig, fullName: string): DeploymentRule {
  const override = Object.fromEntries(
    Object.entries(config.github.repositoryRules[fullName] ?? {}).filter(([, value]) => value !== undefined),
  );
  return { ...config.github.deployments, ...override } as DeploymentRule;
}

/**
 * Whether a workflow is one of the rule's deployment workflows (`workflows`): its path
 * (`.github/workflows/deploy.yml`), file name (`deploy.yml`) or name (`Deploy`), case-insensitive.
 * The poller matches the repository's workflows with it, the `workflow_run` webhook the run's.
 */
export function isConfiguredWorkflow(
  configured: readonly string[],
  workflow: { path?: unknown; name?: unknown },
): boolean {
  const path = typeof workflow.path === 'string' ? workflow.path.toLowerCase() : '';
  const candidates = [
    path,
    path.split('/').at(-1) ?? '',
    typeof workflow.name === 'string' ? workflow.name.toLowerCase() : '',
  ];
  return configured.some((w) => candidates.includes(w.toLowerCase()));
}

/**
 * Whether an Actions run can be a production deployment of `fullName` under `rule`
 * (docs/metrics.md, Deployment): the run's code comes from the repository itself
 * (`head_repository.full_name`, case-insensitive; a fork's PR may have a branch named like the
 * default one) and its `event` is one of the rule's `workflowEvents` (default `push`,
 * `workflow_dispatch`; `schedule` only when configured); `pull_request*` events never deploy.
 * A run without `event` or `head_repository` is not one. The branch is checked by the transform.
 * Source: https://docs.github.com/en/rest/actions/workflow-runs (`event`, `head_repository`).
 */
export function isDeploymentRun(
  rule: Pick<DeploymentRule, 'workflowEvents'>,
  fullName: string,
  run: { event?: unknown; head_repository?: unknown },
): boolean {
  const head = run.head_repository as { full_name?: unknown } | null | undefined;
  if (typeof head?.full_name !== 'string' || head.full_name.toLowerCase() !== fullName.toLowerCase()) {
    return false;
  }
  if (typeof run.event !== 'string' || run.event.startsWith('pull_request')) return false;
  return rule.workflowEvents.includes(run.event);
}

/**
 * Case-insensitive production test of an environment name against a repository's rule
 * (`environment`, a regular expression; docs/metrics.md, Deployment).
 */
export function isProductionEnvironmentOf(
  config: StrideConfig,
  repository: string,
  environment: string,
): boolean {
  return new RegExp(deploymentRuleFor(config, repository).environment, 'i').test(environment);
}

/**
 * Repositories Stride takes events of: `github.repositories`, the repositories of `github.orgs`,
 * and the repositories of configured teams (case-insensitive).
 */
export function isConfiguredRepository(config: StrideConfig, fullName: string): boolean {
  const name = fullName.toLowerCase();
  const owner = name.split('/')[0];
  return (
    config.github.repositories.some((r) => r.toLowerCase() === name) ||
    config.github.orgs.some((o) => o.toLowerCase() === owner) ||
    config.teams.some((t) => t.repositories.some((r) => r.toLowerCase() === name))
  );
}

/**
 * The deployment source (rule `source`) of a repository the GitHub collector polls
 * (`github.repositories` or a repository of `github.orgs`), else undefined: one deployment source
 * per repository (docs/metrics.md), so a polled repository's webhook deployments are refused.
 */
export function polledDeploymentSource(config: StrideConfig, repository: string): string | undefined {
  const name = repository.toLowerCase();
  const polled =
    config.github.repositories.some((r) => r.toLowerCase() === name) ||
    config.github.orgs.some((o) => o.toLowerCase() === name.split('/')[0]);
  if (!polled) return undefined;
  return deploymentRuleFor(config, repository).source;
}
