import {
  type Db,
  ensureRepository,
  getDeploymentByExternalId,
  recordWebhookDelivery,
  upsertDeployments,
} from '@stride/db';
import { invalidParameter, StrideError } from '@stride/shared';
import type { StrideConfig } from '@stride/shared/config';
import type { DeriveLinksScope } from '../derive-links.ts';
import { isProductionEnvironmentOf, polledDeploymentSource } from '../rules/deployment-rule.ts';
import {
  type DeploymentEvent,
  deploymentEventTime,
  transformDeploymentEvent,
  webhookDeploymentExternalId,
} from '../transform/webhook/deployment-event.ts';

export interface AppliedEvent {
  /** `duplicate`: this delivery (source + eventId) was already applied and nothing changed. */
  status: 'accepted' | 'duplicate';
  /** Stride id of the row written. */
  id?: string;
  /** The derived links to run (`deriveLinks`) once the event's transaction has committed. */
  links?: DeriveLinksScope;
}

/**
 * Queues the derived links of an event inside the event's own transaction (`LinkJobs.queue` with
 * the transaction): the delivery is recorded exactly when its linking is queued, so a write that
 * fails after the event's rows (a full disk, the database going away) leaves nothing recorded
 * and the sender's retry applies the event again instead of reading as a duplicate.
 */
export type QueueLinks = (scope: DeriveLinksScope, transaction: Db) => Promise<void>;

/** Runs `apply` in a transaction of `db`, then queues its links in it when `queueLinks` is given. */
export function applyInTransaction(
  db: Db,
  queueLinks: QueueLinks | undefined,
  apply: (trx: Db) => Promise<AppliedEvent>,
): Promise<AppliedEvent> {
  return db.transaction().execute(async (trx) => {
    const result = await apply(trx);
    if (result.links && queueLinks) await queueLinks(result.links, trx);
    return result;
  });
}

/**
 * Applies one deployment event of a generic source (`source`: the webhook token's source name)
 * exactly once: the delivery (`webhook:<source>`, `eventId`) is recorded in the same transaction
 * as the upsert. Deliveries arrive out of order: an event older than the stored state changes
 * nothing, and a deployment that succeeded stays deployed (a later rollback marks it). Ids are
 * namespaced by source (`<source>:<deploymentId>`), so one source cannot overwrite another's rows.
 * With `queueLinks`, the links are queued inside the event's transaction (see `QueueLinks`).
 * @returns `links` when the deployment happened (queued/in-progress events change no links).
 * The event is merged with the stored row and validated against it: a deployment finishing before
 * it started → 409, nothing stored.
 * @throws StrideError invalid_parameter naming `finishedAt` (before startedAt) or `repository`
 *   (a repository whose deployments the GitHub collector polls from another source); conflict
 *   (409) naming `startedAt` and `finishedAt` when the merged deployment would finish before it started.
 */
export async function applyDeploymentEvent(
  db: Db,
  config: StrideConfig,
  source: string,
  event: DeploymentEvent,
  receivedAt: Date = new Date(),
  queueLinks?: QueueLinks,
): Promise<AppliedEvent> {
  const startedAt = event.startedAt ? new Date(event.startedAt) : undefined;
  const finishedAt = event.finishedAt ? new Date(event.finishedAt) : undefined;
  if (startedAt && finishedAt && finishedAt < startedAt) {
    throw invalidParameter('finishedAt', 'must not be before startedAt');
  }
  // One deployment source per repository (docs/metrics.md): a repository the GitHub poller
  // collects deployments of must not count webhook deployments too.
  const polledSource = polledDeploymentSource(config, event.repository);
  if (polledSource && polledSource !== 'webhook') {
    throw invalidParameter(
      'repository',
      `deployments of ${event.repository} come from ${polledSource} (stride.config.yaml); set its rule source to webhook to send them here`,
    );
  }
  const externalId = webhookDeploymentExternalId(source, event);
  return applyInTransaction(db, queueLinks, async (trx): Promise<AppliedEvent> => {
    const fresh = await recordWebhookDelivery(trx, {
      source: `webhook:${source}`,
      deliveryId: event.eventId,
      event: 'deployment',
    });
    if (!fresh) return { status: 'duplicate' };
    const repositoryId = await ensureRepository(trx, event.repository);
    const stored = await getDeploymentByExternalId(trx, 'webhook', externalId);
    if (stored?.source_updated_at && deploymentEventTime(event, receivedAt) < stored.source_updated_at) {
      return { status: 'accepted', id: stored.id };
    }
    const row = transformDeploymentEvent(event, {
      source,
      repositoryId,
      isProduction: isProductionEnvironmentOf(config, event.repository, event.environment),
      stored,
      receivedAt,
    });
    const deployedAt = row.deployed_at as Date | null;
    if (stored && deployedAt && deployedAt < (row.created_at as Date)) {
      // Thrown inside the transaction: the delivery is not recorded either, so a corrected resend applies.
      throw new StrideError(
        'conflict',
        `startedAt, finishedAt: deployment '${event.deploymentId ?? event.eventId}' would finish (${deployedAt.toISOString()}) before it started (${(row.created_at as Date).toISOString()}${event.startedAt ? '' : ', stored'}): a negative duration; send both times`,
        { target: 'finishedAt' },
      );
    }
    const ids = await upsertDeployments(trx, [row]);
    return {
      status: 'accepted',
      id: ids.get(externalId),
      ...(row.deployed_at
        ? {
            links: {
              repositoryIds: [repositoryId],
              attributionWindowDays: config.incidents.attributionWindowDays,
            },
          }
        : {}),
    };
  });
}
