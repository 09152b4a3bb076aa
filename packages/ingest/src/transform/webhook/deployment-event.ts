import type { NewDeployment } from '@stride/db';
import { httpUrlOrNull } from '@stride/shared';

/** A deployment event of any CI/CD system (the body of `POST /api/webhooks/deployments`). */
export interface DeploymentEvent {
  /** The sender's unique id of this delivery. */
  eventId: string;
  /** The sender's id of the deployment (default: eventId). */
  deploymentId?: string;
  /** `owner/name`. */
  repository: string;
  environment: string;
  status: 'success' | 'failure' | 'error' | 'in_progress' | 'queued' | 'rolled_back';
  sha?: string;
  ref?: string;
  /** ISO 8601 instants. */
  startedAt?: string;
  finishedAt?: string;
  rolledBack?: boolean;
  url?: string;
}

/** What a deployment event is applied on top of: the stored row of the same deployment, if any. */
export interface StoredDeployment {
  sha: string | null;
  ref: string | null;
  created_at: Date;
  deployed_at: Date | null;
  url: string | null;
}

/** The external id of a webhook deployment: namespaced by the token's source (`<source>:<id>`). */
export function webhookDeploymentExternalId(source: string, event: DeploymentEvent): string {
  return `${source}:${event.deploymentId ?? event.eventId}`;
}

/** When a deployment event happened: `finishedAt`, else `startedAt`, else when it was received. */
export function deploymentEventTime(event: DeploymentEvent, receivedAt: Date): Date {
  if (event.finishedAt) return new Date(event.finishedAt);
  return event.startedAt ? new Date(event.startedAt) : receivedAt;
}

/**
 * Maps a deployment event to a `deployments` row (source `webhook`), merged with what is stored:
 * the event's time is `finishedAt`, else `startedAt`, else `receivedAt`; only `success` sets
 * `deployed_at` (a deployment that succeeded stays deployed, docs/metrics.md, Deployment);
 * fields the event leaves out keep their stored values; `status: rolled_back` or `rolledBack`
 * marks it rolled back.
 */
export function transformDeploymentEvent(
  event: DeploymentEvent,
  options: {
    source: string;
    repositoryId: string;
    isProduction: boolean;
    stored: StoredDeployment | undefined;
    receivedAt: Date;
  },
): NewDeployment {
  const { stored } = options;
  const startedAt = event.startedAt ? new Date(event.startedAt) : undefined;
  const eventTime = deploymentEventTime(event, options.receivedAt);
  return {
    repository_id: options.repositoryId,
    source: 'webhook',
    external_id: webhookDeploymentExternalId(options.source, event),
    environment: event.environment,
    is_production: options.isProduction,
    sha: event.sha?.toLowerCase() ?? stored?.sha ?? null,
    ref: event.ref ?? stored?.ref ?? null,
    status: event.status,
    created_at: startedAt ?? stored?.created_at ?? eventTime,
    deployed_at: event.status === 'success' ? eventTime : (stored?.deployed_at ?? null),
    rolled_back: event.rolledBack === true || event.status === 'rolled_back',
    url: httpUrlOrNull(event.url) ?? stored?.url ?? null,
    source_updated_at: eventTime,
  };
}
