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
