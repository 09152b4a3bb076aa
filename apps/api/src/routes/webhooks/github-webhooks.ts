import { createHmac } from 'node:crypto';
import { recordWebhookDelivery } from '@stride/db';
import {
  applyGithubEvent,
  findUnsafeLinks,
  GITHUB_WEBHOOK_EVENTS,
  type GithubEventResult,
} from '@stride/ingest';
import { StrideError } from '@stride/shared';
import type { FastifyPluginAsync } from 'fastify';
import { endpoint } from '../../lib/endpoint.ts';
import { isValidGithubSignature } from './authenticate-webhook.ts';

/**
 * `POST /api/webhooks/github`: GitHub repository or organisation webhooks (content type
 * application/json or application/x-www-form-urlencoded; events `pull_request`, `deployment_status`, `workflow_run`, `issues`, and `ping`),
 * so changes arrive in seconds instead of at the next poll. The raw body must carry a valid
 * `X-Hub-Signature-256` for GITHUB_WEBHOOK_SECRET (checked before the body is even parsed); the
 * `X-GitHub-Delivery` id is recorded in the transaction that applies the event, so a replay
 * changes nothing. The derived links (a merged PR to the deployment that shipped it) are queued as
 * a pg-boss job scoped to the repository and the answer is sent at once (GitHub gives up after
 * 10 s). Without GITHUB_WEBHOOK_SECRET the route answers 404.
 */
export const githubWebhookRoutes: FastifyPluginAsync = async (app) => {
  // Encapsulated: only this plugin sees JSON bodies as raw bytes (the signature covers the bytes).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: 25 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  // GitHub's other content type: `payload=<url-encoded JSON>`, signed over the encoded bytes.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit: 25 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.route({
    ...endpoint('/api/webhooks/github', 'POST'),
    handler: async (request, reply) => {
      const secret = app.apiConfig.GITHUB_WEBHOOK_SECRET;
      if (!secret)
        throw new StrideError('not_found', 'GitHub webhooks are off: GITHUB_WEBHOOK_SECRET is not set');
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const expected = createHmac('sha256', secret).update(raw).digest('hex');
      if (!isValidGithubSignature(expected, request.headers['x-hub-signature-256'] as string | undefined)) {
        throw new StrideError('unauthorized', 'X-Hub-Signature-256 is missing or does not match the body');
      }
      const event = request.headers['x-github-event'];
      const deliveryId = request.headers['x-github-delivery'];
      if (typeof event !== 'string' || event === '') {
        throw new StrideError('invalid_parameter', 'x-github-event: header is required', {
          target: 'x-github-event',
        });
      }
      if (typeof deliveryId !== 'string' || deliveryId === '') {
        throw new StrideError('invalid_parameter', 'x-github-delivery: header is required', {
          target: 'x-github-delivery',
        });
      }
      let payload: unknown;
      try {
        const text = raw.toString('utf8');
        const form = String(request.headers['content-type'] ?? '').startsWith(
          'application/x-www-form-urlencoded',
        );
        payload = JSON.parse(form ? (new URLSearchParams(text).get('payload') ?? '') : text);
      } catch {
        throw new StrideError(
          'bad_request',
          'body: not a JSON payload (application/json, or form-encoded `payload=`)',
        );
      }
      if (event === 'ping') return reply.status(200).send({ status: 'accepted' });
      if (!GITHUB_WEBHOOK_EVENTS.includes(event)) return reply.status(200).send({ status: 'ignored' });

      // Links that are not http(s) are dropped by the transforms (the object is kept): say so.
      for (const key of ['pull_request', 'deployment', 'deployment_status', 'workflow_run', 'issue']) {
        const links = findUnsafeLinks((payload as Record<string, unknown> | null)?.[key]);
        if (links.length > 0) {
          request.log.warn({ event, deliveryId, object: key, links }, 'dropped links that are not http(s)');
        }
      }
      type Outcome = Omit<GithubEventResult, 'status'> & {
        status: GithubEventResult['status'] | 'duplicate';
      };
      const result = await app.db.transaction().execute(async (trx): Promise<Outcome> => {
        const fresh = await recordWebhookDelivery(trx, { source: 'github', deliveryId, event });
        if (!fresh) return { status: 'duplicate' };
        const applied = await applyGithubEvent(trx, app.strideConfig, event, payload);
        // Queued with the delivery: a write failing after it (full disk) records nothing, so GitHub's redelivery applies.
        if (applied.status === 'accepted' && applied.links && app.linkQueue) {
          await app.linkQueue(applied.links, trx);
        }
        return applied;
      });
      if (result.status === 'accepted' && result.links) await app.linkAfterCommit(result.links);
      return reply
        .status(result.status === 'accepted' ? 202 : 200)
        .send({ status: result.status, id: result.id });
    },
  });
};
