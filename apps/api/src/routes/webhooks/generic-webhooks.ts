import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { applyDeploymentEvent, applyIncidentEvent } from '@stride/ingest';
import { invalidParameter, isHttpUrl } from '@stride/shared';
import { endpoint } from '../../lib/endpoint.ts';

/**
 * The `url` of a deployment or incident becomes a link on the dashboard: only http(s) is taken
 * (`javascript:`, `data:` and the like would run in the viewer's browser).
 * @throws StrideError invalid_parameter (400) naming `url`, before anything is written.
 */
function assertHttpUrl(url: string | undefined): void {
  if (url !== undefined && !isHttpUrl(url)) throw invalidParameter('url', 'must be an http or https URL');
}

/**
 * `POST /api/webhooks/deployments` and `POST /api/webhooks/incidents`: deployments and incidents
 * pushed by any CI/CD or incident tool, authenticated by a per-source bearer token. Each event is
 * applied once: its `eventId` is recorded in `webhook_deliveries` in the same transaction as the
 * upsert, so a replay answers 200 `duplicate` and changes nothing. Ids are namespaced by the
 * token's source (`<source>:<deploymentId>`), so one source cannot overwrite another's rows.
 * The events are applied by packages/ingest (the collector's upserts); after a change the derived
 * links (`deriveLinks`: changes to deployments, deployment flags, incident attribution) are queued
 * as a pg-boss job in the event's own transaction (a failed write records nothing, so a retry
 * applies) and the answer is sent at once. An event that, merged with the stored row,
 * would make a negative duration (resolved before started, finished before started) is a 409
 * naming the fields and stores nothing. Deployment and incident event ids are separate streams
 * (idempotency key: source, kind, eventId).
 */
export const genericWebhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/webhooks/deployments', 'POST'),
    handler: async (request, reply) => {
      assertHttpUrl(request.body.url);
      const result = await applyDeploymentEvent(
        app.db,
        app.strideConfig,
        request.webhookSource!,
        request.body,
        undefined,
        app.linkQueue,
      );
      if (result.links) await app.linkAfterCommit(result.links);
      return reply
        .status(result.status === 'accepted' ? 202 : 200)
        .send({ status: result.status, id: result.id });
    },
  });

  app.route({
    ...endpoint('/api/webhooks/incidents', 'POST'),
    handler: async (request, reply) => {
      assertHttpUrl(request.body.url);
      const result = await applyIncidentEvent(
        app.db,
        app.strideConfig,
        request.webhookSource!,
        request.body,
        undefined,
        app.linkQueue,
      );
      if (result.links) await app.linkAfterCommit(result.links);
      return reply
        .status(result.status === 'accepted' ? 202 : 200)
        .send({ status: result.status, id: result.id });
    },
  });
};
