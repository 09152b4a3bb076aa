import type { NewDeployment } from '@stride/db';
import { z } from 'zod';
import { isoTime, linkUrl, parsePayload } from './payload.ts';

/** Run statuses and conclusions as the Actions API documents them (lower case). */
const RUN_STATUSES = ['requested', 'in_progress', 'completed', 'queued', 'pending', 'waiting'] as const;
const RUN_CONCLUSIONS = [
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'stale',
  'startup_failure',
] as const;

/** `GET /repos/{o}/{r}/actions/workflows/{id}/runs` item (also a `workflow_run` webhook's run). */
export const workflowRunSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable().optional(),
  path: z.string().optional(),
  head_branch: z.string().nullable(),
  head_sha: z.string(),
  event: z.string().optional(),
  head_repository: z.object({ full_name: z.string() }).nullable().optional(),
  status: z.enum(RUN_STATUSES),
  conclusion: z.enum(RUN_CONCLUSIONS).nullable(),
  created_at: isoTime,
  updated_at: isoTime,
  html_url: linkUrl,
});
export type WorkflowRunPayload = z.output<typeof workflowRunSchema>;

/**
 * Maps an Actions run of a configured deployment workflow to a `deployments` row (source
 * `workflow_runs`, environment `production`). It is production when it ran on the default
 * branch and `isDeploymentRun` holds (the repository's own code, a configured deployment event;
 * `deploys`, from rules/deployment-rule.ts); a success (`conclusion = success`) is deployed at the run's `updated_at`
 * (docs/metrics.md, Deployment). Status values in the wrong case are bad input.
 * Source: https://docs.github.com/en/rest/actions/workflow-runs
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformWorkflowRun(
  payload: unknown,
  options: { repositoryId: string; defaultBranch: string; deploys: (run: WorkflowRunPayload) => boolean },
): NewDeployment {
  const run = parsePayload(workflowRunSchema, 'workflow run', payload);
  const success = run.status === 'completed' && run.conclusion === 'success';
  return {
    repository_id: options.repositoryId,
    source: 'workflow_runs',
    external_id: String(run.id),
    environment: 'production',
    is_production: run.head_branch === options.defaultBranch && options.deploys(run),
    sha: run.head_sha,
    ref: run.head_branch,
    status: run.status === 'completed' ? (run.conclusion ?? 'completed') : run.status,
    created_at: run.created_at,
    deployed_at: success ? run.updated_at : null,
    url: run.html_url ?? null,
    source_updated_at: run.updated_at,
  };
}
