import {
  type Db,
  deleteIncidents,
  ensureRepository,
  getDeploymentByExternalId,
  getRawPayloadUpdatedAt,
  type RawPayloadInput,
  upsertDeployments,
  upsertIncidents,
  upsertPullRequests,
  upsertRawPayloads,
} from '@stride/db';
import { invalidParameter, StrideError } from '@stride/shared';
import type { StrideConfig } from '@stride/shared/config';
import { aiDetectionRulesFor } from '../ai/classify-pull-request.ts';
import type { DeriveLinksScope } from '../derive-links.ts';
import {
  deploymentRuleFor,
  isConfiguredRepository,
  isConfiguredWorkflow,
  isDeploymentRun,
} from '../rules/deployment-rule.ts';
import {
  type DeploymentStatus,
  InvalidPayloadError,
  transformDeployment,
  transformDeploymentStatus,
  transformIssueToIncident,
  transformPullRequest,
  transformWorkflowRun,
} from '../transform/github/index.ts';

/** GitHub webhook events Stride applies (others are acknowledged and ignored). */
export const GITHUB_WEBHOOK_EVENTS: readonly string[] = [
  'pull_request',
  'deployment_status',
  'workflow_run',
  'issues',
];

export interface GithubEventResult {
  status: 'accepted' | 'ignored';
  /** Stride id of the row written. */
  id?: string;
  /** The derived links to run (`deriveLinks`) once the event's transaction has committed. */
  links?: DeriveLinksScope;
}

interface EventPayload {
  action?: string;
  repository?: { full_name?: unknown; default_branch?: unknown };
  pull_request?: { url?: unknown; updated_at?: unknown };
  deployment?: { id?: unknown; url?: unknown };
  deployment_status?: { id?: unknown; url?: unknown };
  workflow_run?: { id?: unknown; url?: unknown; path?: unknown; name?: unknown };
  issue?: { id?: unknown; url?: unknown };
}

/** Links of one repository's changes and deployments, then incident attribution. */
const repositoryLinks = (repositoryId: string, config: StrideConfig): DeriveLinksScope => ({
  repositoryIds: [repositoryId],
  attributionWindowDays: config.incidents.attributionWindowDays,
});

/**
 * Applies one GitHub webhook payload with the GitHub transforms the poller uses
 * (transform/github) and the same idempotent upserts, so a webhook and a later poll agree:
 * - `pull_request`: the PR row (the poll adds commits and reviews); `ready_for_review` dates readiness.
 * - `deployment_status`: the deployment, for repositories whose rule source is `github_deployments`;
 *   `inactive` after a stored `success` stays a success (docs/metrics.md, Deployment).
 * - `workflow_run`: runs of the configured workflows, for rule source `workflow_runs`.
 * - `issues`: an incident when the issue carries `github.incidentLabel`; removed when it no longer does.
 *   A delivery older (issue `updated_at`) than a state already seen changes nothing, so a late
 *   delivery neither drops an incident labelled since nor brings back one unlabelled since.
 * Events of repositories outside the config are ignored. Raw payloads are stored like the poller's.
 * @throws StrideError invalid_parameter naming the bad field (e.g. `workflow_run.status: ...`).
 */
export async function applyGithubEvent(
  db: Db,
  config: StrideConfig,
  event: string,
  payload: unknown,
): Promise<GithubEventResult> {
  const body = (payload ?? {}) as EventPayload;
  const fullName = body.repository?.full_name;
  if (typeof fullName !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(fullName)) {
    throw invalidParameter('repository.full_name', 'must be "owner/name"');
  }
  if (!isConfiguredRepository(config, fullName)) return { status: 'ignored' };
  try {
    switch (event) {
      case 'pull_request':
        return await applyPullRequest(db, config, fullName, body);
      case 'deployment_status':
        return await applyDeploymentStatus(db, config, fullName, body);
      case 'workflow_run':
        return await applyWorkflowRun(db, config, fullName, body);
      case 'issues':
        return await applyIssue(db, config, fullName, body);
      default:
        return { status: 'ignored' };
    }
  } catch (error) {
    if (error instanceof InvalidPayloadError) {
      // The transform's kind ('workflow run') is the payload's key ('workflow_run').
      const prefix = error.kind.replaceAll(' ', '_');
      throw new StrideError('invalid_parameter', `${prefix}.${error.reason}`, { target: prefix });
    }
    throw error;
  }
}

const str = (value: unknown) => (typeof value === 'string' ? value : null);

/** The raw payload of one object of a delivery, stored as the poller stores it (scope = repository). */
const rawOf = (
  kind: string,
  externalId: string,
  fullName: string,
  object: { url?: unknown } | undefined,
): RawPayloadInput => ({
  source: 'github',
  kind,
  externalId,
  scope: fullName,
  url: str(object?.url),
  payload: object,
});

async function applyPullRequest(
  db: Db,
  config: StrideConfig,
  fullName: string,
  body: EventPayload,
): Promise<GithubEventResult> {
  const repositoryId = await ensureRepository(db, fullName);
  const row = transformPullRequest(body.pull_request, {
    repositoryId,
    unplannedLabels: config.github.unplannedLabels,
    botLogins: config.github.botLogins,
    aiRules: aiDetectionRulesFor(config.ai),
  });
  if (body.action === 'ready_for_review' && typeof body.pull_request?.updated_at === 'string') {
    row.ready_for_review_at = body.pull_request.updated_at;
  }
  const ids = await upsertPullRequests(db, [row]);
  await upsertRawPayloads(db, [rawOf('pull_request', row.external_id, fullName, body.pull_request)]);
  return {
    status: 'accepted',
    id: ids.get(row.external_id),
    ...(row.merged_at ? { links: repositoryLinks(repositoryId, config) } : {}),
  };
}

async function applyDeploymentStatus(
  db: Db,
  config: StrideConfig,
  fullName: string,
  body: EventPayload,
): Promise<GithubEventResult> {
  const rule = deploymentRuleFor(config, fullName);
  if (rule.source !== 'github_deployments') return { status: 'ignored' };
  const status = transformDeploymentStatus(body.deployment_status);
  const repositoryId = await ensureRepository(db, fullName);
  const statuses: DeploymentStatus[] = [status];
  // The webhook carries one status; a success already stored stays the counted success.
  const stored = await getDeploymentByExternalId(db, 'github_deployments', String(body.deployment?.id));
  if (stored?.status === 'success' && stored.deployed_at) {
    statuses.push({ id: 0, state: 'success', createdAt: stored.deployed_at.toISOString(), url: stored.url });
  }
  const row = transformDeployment(body.deployment, statuses, {
    repositoryId,
    environmentPattern: rule.environment,
  });
  const ids = await upsertDeployments(db, [row]);
  await upsertRawPayloads(db, [
    rawOf('deployment', row.external_id, fullName, body.deployment),
    rawOf('deployment_status', String(status.id), fullName, body.deployment_status),
  ]);
  return { status: 'accepted', id: ids.get(row.external_id), links: repositoryLinks(repositoryId, config) };
}

async function applyWorkflowRun(
  db: Db,
  config: StrideConfig,
  fullName: string,
  body: EventPayload,
): Promise<GithubEventResult> {
  const rule = deploymentRuleFor(config, fullName);
  if (rule.source !== 'workflow_runs' || !isConfiguredWorkflow(rule.workflows, body.workflow_run ?? {})) {
    return { status: 'ignored' };
  }
  const repositoryId = await ensureRepository(db, fullName);
  const row = transformWorkflowRun(body.workflow_run, {
    repositoryId,
    defaultBranch: str(body.repository?.default_branch) ?? 'main',
    deploys: (run) => isDeploymentRun(rule, fullName, run),
  });
  const ids = await upsertDeployments(db, [row]);
  await upsertRawPayloads(db, [rawOf('workflow_run', row.external_id, fullName, body.workflow_run)]);
  return { status: 'accepted', id: ids.get(row.external_id), links: repositoryLinks(repositoryId, config) };
}

async function applyIssue(
  db: Db,
  config: StrideConfig,
  fullName: string,
  body: EventPayload,
): Promise<GithubEventResult> {
  const repositoryId = await ensureRepository(db, fullName);
  const incident = transformIssueToIncident(body.issue, {
    repositoryId,
    repositoryFullName: fullName,
    incidentLabel: config.github.incidentLabel,
  });
  // Validated by the transform: a GitHub issue with its id and updated_at.
  const issue = body.issue as { id: number; updated_at: string };
  const externalId = String(issue.id);
  const updatedAt = new Date(issue.updated_at);
  // Every state is kept as the issue's raw payload (newer wins), labelled or not, so a delayed
  // older delivery is recognised even after the newer state removed the incident.
  const raw = rawOf('issue', externalId, fullName, body.issue);
  if (body.action === 'deleted') {
    await deleteIncidents(db, 'github', [externalId]);
    await upsertRawPayloads(db, [raw]);
    return { status: 'accepted' };
  }
  const seen = await getRawPayloadUpdatedAt(db, { source: 'github', kind: 'issue', externalId });
  if (seen && updatedAt < seen) return { status: 'accepted' };
  await upsertRawPayloads(db, [raw]);
  if (!incident) {
    // Unlabelled: it is no longer an incident, unless one was stored from a newer state.
    await deleteIncidents(db, 'github', [externalId], { notNewerThan: updatedAt });
    return { status: 'accepted' };
  }
  const ids = await upsertIncidents(db, [incident]);
  return {
    status: 'accepted',
    id: ids.get(incident.external_id),
    // An incident changes no change or deployment links: attribution only.
    links: { repositoryIds: [], attributionWindowDays: config.incidents.attributionWindowDays },
  };
}
