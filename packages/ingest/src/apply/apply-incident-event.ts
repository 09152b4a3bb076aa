import {
  type Db,
  ensureRepository,
  getDeploymentByExternalId,
  getIncidentByExternalId,
  getTeamIdBySlug,
  recordWebhookDelivery,
  upsertIncidents,
} from '@stride/db';
import { invalidParameter } from '@stride/shared';
import type { StrideConfig } from '@stride/shared/config';
import {
  type IncidentEvent,
  transformIncidentEvent,
  webhookIncidentExternalId,
} from '../transform/webhook/incident-event.ts';
import type { AppliedEvent } from './apply-deployment-event.ts';

/**
 * Applies one incident event of a generic source (`source`: the webhook token's source name)
 * exactly once: the delivery (`webhook:<source>`, `eventId`) is recorded in the same transaction
 * as the upsert. A `deploymentRef` this source sent to the deployments webhook is stored as our
 * deployment id; `team` must be a configured team slug.
 * @returns `links` (incident attribution) when the incident was written.
 * @throws StrideError invalid_parameter naming `resolvedAt` (before startedAt) or `team` (unknown slug).
 */
export async function applyIncidentEvent(
  db: Db,
  config: StrideConfig,
  source: string,
  event: IncidentEvent,
  receivedAt: Date = new Date(),
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
  return db.transaction().execute(async (trx): Promise<AppliedEvent> => {
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
    const row = transformIncidentEvent(event, {
      source,
      repositoryId,
      teamId,
      deploymentRef,
      storedResolvedAt: stored?.resolved_at,
      receivedAt,
    });
    const ids = await upsertIncidents(trx, [row]);
    return {
      status: 'accepted',
      id: ids.get(externalId),
      // An incident changes no change or deployment links: attribution only.
      links: { repositoryIds: [], attributionWindowDays: config.incidents.attributionWindowDays },
    };
  });
}
