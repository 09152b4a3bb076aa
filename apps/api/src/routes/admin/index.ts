import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import {
  type ApiTokenListRow,
  createApiToken,
  listApiTokens,
  listAppSettings,
  revokeApiTokens,
  setAppSetting,
} from '@stride/db';
import { ErrorBodySchema, notFound, StrideError } from '@stride/shared';
import {
  type ApiToken,
  ApiTokenListSchema,
  BackfillBody,
  BackfillQueuedSchema,
  CreatedTokenSchema,
  CreateTokenBody,
  SettingBody,
  SettingKeyParams,
  SettingListSchema,
  SettingSchema,
  TokenIdParams,
  TokenListQuery,
  WebhookSourceBody,
  WebhookSourceListSchema,
  WebhookSourceParams,
} from './schemas.ts';

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };
const admin = { access: 'admin' as const };
const tags = ['admin'];

function toApiToken(row: ApiTokenListRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    kind: row.kind,
    source: row.source,
    origin: row.origin,
    hashPrefix: row.hashPrefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedReason: row.revokedReason,
  };
}

/**
 * Admin routes, the only ones that change Stride's state besides webhooks and sessions (each
 * `config: { access: 'admin' }`: a viewer gets 403):
 * - tokens: list (hash prefix, role, origin, created, last used), create (secret shown once),
 *   revoke (with the sessions made from it; a revoked token is never revived);
 * - settings: list, replace one (app_settings, JSON values);
 * - backfill: queue a collector backfill (pg-boss job `stride-github-backfill`, run by the worker);
 * - webhook sources: list, create a source's token, revoke all of a source's tokens.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ databaseUrl?: string | undefined }> = async (
  app,
  options,
) => {
  app.get(
    '/api/admin/tokens',
    {
      config: admin,
      schema: {
        tags,
        summary: 'API tokens (never their secrets): hash prefix, role, origin, created, last used',
        querystring: TokenListQuery,
        response: { 200: ApiTokenListSchema, ...errors },
      },
    },
    async (request) => {
      const rows = await listApiTokens(app.db, {
        includeRevoked: request.query.includeRevoked ?? false,
        sessions: request.query.sessions ?? false,
      });
      return { tokens: rows.map(toApiToken) };
    },
  );

  app.post(
    '/api/admin/tokens',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a viewer or admin token (its secret is in this response only)',
        body: CreateTokenBody,
        response: { 201: CreatedTokenSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(app.db, { ...request.body, origin: 'api' });
      const [row] = (await listApiTokens(app.db, { role: request.body.role })).filter(
        (r) => r.id === created.id,
      );
      return reply.status(201).send({ token: toApiToken(row!), secret: created.token });
    },
  );

  app.delete(
    '/api/admin/tokens/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Revoke a token and the sessions made from it',
        params: TokenIdParams,
        response: { 204: T.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const revoked = await revokeApiTokens(app.db, { id: request.params.id }, 'admin');
      if (revoked.length === 0) throw notFound('live token', request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/admin/settings',
    {
      config: admin,
      schema: { tags, summary: 'App settings', response: { 200: SettingListSchema, ...errors } },
    },
    async () => {
      const rows = await listAppSettings(app.db);
      return { settings: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })) };
    },
  );

  app.put(
    '/api/admin/settings/:key',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Replace one app setting (any JSON value)',
        params: SettingKeyParams,
        body: SettingBody,
        response: { 200: SettingSchema, ...errors },
      },
    },
    async (request) => {
      if (request.body.value === undefined) throw new StrideError('invalid_parameter', 'value: is required');
      await setAppSetting(app.db, request.params.key, request.body.value);
      const row = (await listAppSettings(app.db)).find((r) => r.key === request.params.key)!;
      return { ...row, updatedAt: row.updatedAt.toISOString() };
    },
  );

  app.post(
    '/api/admin/backfill',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Queue a backfill of every configured repository (and Jira) for the collector worker',
        body: T.Optional(BackfillBody),
        response: { 202: BackfillQueuedSchema, 503: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      if (!options.databaseUrl) {
        throw new StrideError('unavailable', 'backfill: the API was started without a job queue');
      }
      const days = request.body?.days ?? app.strideConfig.sync.backfillDays;
      // Loaded on demand: pg-boss only when an admin asks for a backfill.
      const { queueBackfill } = await import('@stride/ingest');
      await queueBackfill(options.databaseUrl, days);
      return reply.status(202).send({ status: 'queued' as const, days });
    },
  );

  app.get(
    '/api/admin/webhook-sources',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Generic webhook sources and their live tokens',
        response: { 200: WebhookSourceListSchema, ...errors },
      },
    },
    async () => {
      const rows = await listApiTokens(app.db, { role: 'webhook' });
      const bySource = new Map<string, ApiToken[]>();
      for (const row of rows) {
        const source = row.source ?? '';
        bySource.set(source, [...(bySource.get(source) ?? []), toApiToken(row)]);
      }
      return {
        sources: [...bySource]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([source, tokens]) => ({ source, tokens })),
      };
    },
  );

  app.post(
    '/api/admin/webhook-sources',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a webhook token for a source (its secret is in this response only)',
        body: WebhookSourceBody,
        response: { 201: CreatedTokenSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { source } = request.body;
      const created = await createApiToken(app.db, {
        name: `webhook:${source}`,
        role: 'webhook',
        scope: source,
        origin: 'api',
      });
      const row = (await listApiTokens(app.db, { role: 'webhook' })).find((r) => r.id === created.id)!;
      return reply.status(201).send({ token: toApiToken(row), secret: created.token });
    },
  );

  app.delete(
    '/api/admin/webhook-sources/:source',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Revoke every token of a webhook source',
        params: WebhookSourceParams,
        response: { 204: T.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const revoked = await revokeApiTokens(app.db, { webhookSource: request.params.source }, 'admin');
      if (revoked.length === 0) throw notFound('webhook source', request.params.source);
      return reply.status(204).send(null);
    },
  );
};
