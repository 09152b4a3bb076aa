import { z } from 'zod';
import { isoTime, linkUrl, parsePayload } from './payload.ts';

/** GitHub deployment status states (lower case, as the API documents them). */
export const DEPLOYMENT_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** `GET /repos/{o}/{r}/deployments/{id}/statuses` item. */
export const deploymentStatusSchema = z.object({
  id: z.number().int(),
  state: z.enum(DEPLOYMENT_STATES),
  created_at: isoTime,
  environment: z.string().nullable().optional(),
  environment_url: linkUrl,
  log_url: linkUrl,
  target_url: linkUrl,
});

export interface DeploymentStatus {
  id: number;
  state: DeploymentState;
  createdAt: string;
  url: string | null;
}

/**
 * Parses one deployment status. Source:
 * https://docs.github.com/en/rest/deployments/statuses
 * @throws InvalidPayloadError e.g. for a state in the wrong case (`SUCCESS`).
 */
export function transformDeploymentStatus(payload: unknown): DeploymentStatus {
  const s = parsePayload(deploymentStatusSchema, 'deployment status', payload);
  return {
    id: s.id,
    state: s.state,
    createdAt: s.created_at,
    url: s.environment_url || s.log_url || s.target_url || null,
  };
}

export interface DeploymentOutcome {
  /** `success` also for `inactive` after an earlier `success`; otherwise the latest state, or `pending`. */
  status: string;
  /** `created_at` of the counted success status (docs/metrics.md, Deployment); null when not a success. */
  deployedAt: string | null;
  url: string | null;
}

/**
 * Outcome of a deployment from all its statuses (any order): a success when its latest status is
 * `success`, or `inactive` after an earlier `success` (GitHub marks older deployments inactive
 * when a newer one succeeds); deployed at that success status's `created_at`.
 */
export function deriveDeploymentOutcome(statuses: readonly DeploymentStatus[]): DeploymentOutcome {
  const ordered = [...statuses].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  const latest = ordered[0];
  if (!latest) return { status: 'pending', deployedAt: null, url: null };
  if (latest.state === 'success') return { status: 'success', deployedAt: latest.createdAt, url: latest.url };
  if (latest.state === 'inactive') {
    const success = ordered.find((s) => s.state === 'success');
    if (success) return { status: 'success', deployedAt: success.createdAt, url: success.url ?? latest.url };
  }
  return { status: latest.state, deployedAt: null, url: latest.url };
}
