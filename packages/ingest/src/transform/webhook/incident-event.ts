import type { NewIncident } from '@stride/db';
import { httpUrlOrNull } from '@stride/shared';

/** An incident event of any incident tool (the body of `POST /api/webhooks/incidents`). */
export interface IncidentEvent {
  /** The sender's unique id of this delivery. */
  eventId: string;
  /** The sender's id of the incident (default: eventId). */
  incidentId?: string;
  title: string;
  /** ISO 8601 instants; `resolvedAt: null` reopens, absent keeps what is stored. */
  startedAt: string;
  resolvedAt?: string | null;
  /** When the source changed the incident (ISO 8601); default: when Stride received the event. */
  updatedAt?: string;
  /** `owner/name`. */
  repository?: string;
  /** Team slug from stride.config.yaml. */
  team?: string;
  severity?: string;
  /** The deployment that caused it: a webhook deploymentId, a GitHub deployment id, or a commit SHA. */
  deploymentRef?: string;
  url?: string;
}

/** The external id of a webhook incident: namespaced by the token's source (`<source>:<id>`). */
export function webhookIncidentExternalId(source: string, event: IncidentEvent): string {
  return `${source}:${event.incidentId ?? event.eventId}`;
}

/** When an incident event happened: its `updatedAt`, else when it was received. */
export function incidentEventTime(event: IncidentEvent, receivedAt: Date): Date {
  return event.updatedAt ? new Date(event.updatedAt) : receivedAt;
}

/**
 * Maps an incident event to an `incidents` row (source `webhook`). `resolvedAt` absent keeps the
 * stored resolution (an update about something else); null reopens. `deploymentRef` is the
 * already resolved reference (our id when the source sent that deployment to the deployments webhook).
 */
export function transformIncidentEvent(
  event: IncidentEvent,
  options: {
    source: string;
    repositoryId: string | null;
    teamId: string | null;
    deploymentRef: string | null;
    storedResolvedAt: Date | null | undefined;
    receivedAt: Date;
  },
): NewIncident {
  const resolvedAt =
    event.resolvedAt === undefined
      ? (options.storedResolvedAt ?? null)
      : event.resolvedAt === null
        ? null
        : new Date(event.resolvedAt);
  return {
    source: 'webhook',
    external_id: webhookIncidentExternalId(options.source, event),
    key: event.incidentId ?? null,
    title: event.title,
    repository_id: options.repositoryId,
    team_id: options.teamId,
    jira_project_key: null,
    severity: event.severity ?? null,
    started_at: new Date(event.startedAt),
    resolved_at: resolvedAt,
    deployment_ref: options.deploymentRef,
    url: httpUrlOrNull(event.url),
    source_updated_at: incidentEventTime(event, options.receivedAt),
  };
}
