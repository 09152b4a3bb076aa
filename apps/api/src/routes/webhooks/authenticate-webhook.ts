import { timingSafeEqual } from 'node:crypto';
import { findApiToken } from '@stride/db';
import { StrideError } from '@stride/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The webhook source name of the bearer token (api_tokens.scope), set by authenticateWebhookToken. */
    webhookSource?: string;
  }
}

/**
 * onRequest hook of the generic webhooks: `Authorization: Bearer <token>` must be a live token of
 * role `webhook` (created by `npm run webhook-token -- <source>`, stored as a SHA-256 hash). Its
 * scope, the source name, namespaces the sender's ids.
 * @throws StrideError `unauthorized` (401) for a missing, unknown, revoked or non-webhook token.
 */
export async function authenticateWebhookToken(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    throw new StrideError('unauthorized', 'webhooks need "Authorization: Bearer <webhook token>"');
  }
  const identity = await findApiToken(request.server.db, match[1]!);
  if (identity?.role !== 'webhook' || !identity.scope) {
    throw new StrideError('unauthorized', 'unknown, revoked or non-webhook token');
  }
  request.webhookSource = identity.scope;
}

/**
 * Verifies GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` in constant
 * time (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
 */
export function isValidGithubSignature(expectedHex: string, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
