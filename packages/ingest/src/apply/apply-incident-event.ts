import {
  type Db,
  ensureRepository,
  getDeploymentByExternalId,
  getIncidentByExternalId,
  getTeamIdBySlug,
  recordWebhookDelivery,
  upsertIncidents,
} from '@stride/db';
import { invalidParameter, StrideError } from '@stride/shared';
import type { StrideConfig } from '@stride/shared/config';
import {
  type IncidentEvent,
  incidentEventTime,
  transformIncidentEvent,
  webhookIncidentExternalId,
} from '../transform/webhook/incident-event.ts';
import { type AppliedEvent, applyInTransaction, type QueueLinks } from './apply-deployment-event.ts';

/**
 * Applies one incident event of a generic source (`source`: the webhook token's source name)
 * exactly once: the delivery (`webhook:<source>`, `eventId`) is recorded in the same transaction
 * as the upsert. A `deploymentRef` this source sent to the deployments webhook is stored as our
 * deployment id; `team` must be a configured team slug. Deliveries arrive out of order: an event
 * older than the stored state (its `updatedAt`, default the receipt time, before the stored
 * `source_updated_at`) changes nothing, so a late `resolvedAt: null` does not reopen an incident
 * resolved since. The event is merged with the stored row and validated against it: a recovery
 * time would be negative (docs/metrics.md, failed deployment recovery time) → 409, nothing stored.
 * With `queueLinks`, the links are queued inside the event's transaction (see `QueueLinks`).
 * @returns `links` (incident attribution) when the incident was written.
 * @throws StrideError invalid_parameter naming `resolvedAt` (before startedAt) or `team` (unknown
 *   slug); conflict (409) naming `startedAt` and `resolvedAt` when the merged incident would be
 *   resolved before it started.
 */
export async function applyIncidentEvent(
  db: Db,
  config: StrideConfig,
  source: string,
  event: IncidentEvent,
  receivedAt: Date = new Date(),
  queueLinks?: QueueLinks,
): Promise<AppliedEvent> {
  if (event.resolvedAt && new Date(event.resolvedAt) < new Date(event.startedAt)) {
    throw invalidParameter('resolvedAt', 'must not be before startedAt');
  }
  let teamId: string | null = null;
  if (event.team) {
    const id = await getTeamIdBySlug(db, event.team);
    if (!id) throw invalidParameter('team', `unknown team '${event.team}' (a slug from stride.config.yaml)`);
    teamId = id;
  }
  const externalId = webhookIncidentExternalId(source, event);
  return applyInTransaction(db, queueLinks, async (trx): Promise<AppliedEvent> => {
    const fresh = await recordWebhookDelivery(trx, {
      source: `webhook:${source}`,
      deliveryId: event.eventId,
      event: 'incident',
    });
    if (!fresh) return { status: 'duplicate' };
    const repositoryId = event.repository ? await ensureRepository(trx, event.repository) : null;
    let deploymentRef = event.deploymentRef ?? null;
    if (deploymentRef) {
      const own = await getDeploymentByExternalId(trx, 'webhook', `${source}:${deploymentRef}`);
      if (own) deploymentRef = own.id;
    }
    const stored = await getIncidentByExternalId(trx, 'webhook', externalId);
    if (stored?.source_updated_at && incidentEventTime(event, receivedAt) < stored.source_updated_at) {
      return { status: 'accepted', id: stored.id };
    }
    const row = transformIncidentEvent(event, {
      source,
      repositoryId,
      teamId,
      deploymentRef,
      storedResolvedAt: stored?.resolved_at,
      receivedAt,
    });
    const resolvedAt = row.resolved_at as Date | null;
    if (stored && resolvedAt && resolvedAt < (row.started_at as Date)) {
      // Thrown inside the transaction: the delivery is not recorded either, so a corrected resend applies.
      throw new StrideError(
        'conflict',
        `startedAt, resolvedAt: incident '${event.incidentId ?? event.eventId}' would be resolved (${resolvedAt.toISOString()}${event.resolvedAt ? '' : ', stored'}) before it started (${new Date(event.startedAt).toISOString()}): a negative recovery time; send both times`,
        { target: 'startedAt' },
      );
    }
    const ids = await upsertIncidents(trx, [row]);
    return {
      status: 'accepted',
      id: ids.get(externalId),
      // An incident changes no change or deployment links: attribution only.
      links: { repositoryIds: [], attributionWindowDays: config.incidents.attributionWindowDays },
    };
  });
}
