import type { NewDeployment } from '@stride/db';
import { z } from 'zod';
import { type DeploymentStatus, deriveDeploymentOutcome } from './deployment-status.ts';
import { isoTime, parsePayload } from './payload.ts';

/** `GET /repos/{o}/{r}/deployments` item. */
export const deploymentSchema = z.object({
  id: z.number().int(),
  sha: z.string().nullable().optional(),
  ref: z.string().nullable().optional(),
  environment: z.string().min(1),
  created_at: isoTime,
  updated_at: isoTime.nullable().optional(),
});

/** Case-insensitive production test of an environment name (config `github.deployments.environment`). */
export function isProductionEnvironment(environment: string, pattern: string): boolean {
  return new RegExp(pattern, 'i').test(environment);
}

/**
 * Maps a GitHub deployment and its (already parsed) statuses to a `deployments` row
 * (source `github_deployments`). Production when the environment matches `environmentPattern`
 * case-insensitively. Source: https://docs.github.com/en/rest/deployments/deployments
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformDeployment(
  payload: unknown,
  statuses: readonly DeploymentStatus[],
  options: { repositoryId: string; environmentPattern: string },
): NewDeployment {
  const d = parsePayload(deploymentSchema, 'deployment', payload);
  const outcome = deriveDeploymentOutcome(statuses);
  return {
    repository_id: options.repositoryId,
    source: 'github_deployments',
    external_id: String(d.id),
    environment: d.environment,
    is_production: isProductionEnvironment(d.environment, options.environmentPattern),
    sha: d.sha ?? null,
    ref: d.ref ?? null,
    status: outcome.status,
    created_at: d.created_at,
    deployed_at: outcome.deployedAt,
    url: outcome.url,
    source_updated_at: d.updated_at ?? null,
  };
}
