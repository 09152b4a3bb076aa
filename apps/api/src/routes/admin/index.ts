import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import {
  type ApiTokenListRow,
  createApiToken,
  listApiTokens,
  listAppSettings,
  revokeApiTokens,
  setAppSetting,
} from '@stride/db';
import { type ApiToken, AppSettingValueSchemas, notFound, StrideError } from '@stride/shared';
import { endpoint } from '../../lib/endpoint.ts';

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
 * Admin routes, the only ones that change Stride's state besides webhooks and sessions, registered
 * from `adminEndpoints` of the endpoint map (each `access: 'admin'`: a viewer gets 403):
 * - tokens: list (hash prefix, role, origin, created, last used), create (secret shown once),
 *   revoke (with the sessions made from it; a revoked token is never revived);
 * - settings: list, replace one (known keys only, the value checked against the key's schema);
 * - backfill: queue a collector backfill (pg-boss job `stride-github-backfill`, run by the worker);
 * - webhook sources: list, create a source's token, revoke all of a source's tokens.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ databaseUrl?: string | undefined }> = async (
  app,
  options,
) => {
  app.route({
    ...endpoint('/api/admin/tokens', 'GET'),
    handler: async (request) => {
      const rows = await listApiTokens(app.db, {
        includeRevoked: request.query.includeRevoked ?? false,
        sessions: request.query.sessions ?? false,
      });
      return { tokens: rows.map(toApiToken) };
    },
  });

  app.route({
    ...endpoint('/api/admin/tokens', 'POST'),
    handler: async (request, reply) => {
      const created = await createApiToken(app.db, { ...request.body, origin: 'api' });
      const [row] = (await listApiTokens(app.db, { role: request.body.role })).filter(
        (r) => r.id === created.id,
      );
      return reply.status(201).send({ token: toApiToken(row!), secret: created.token });
    },
  });

  app.route({
    ...endpoint('/api/admin/tokens/:id', 'DELETE'),
    handler: async (request, reply) => {
      const revoked = await revokeApiTokens(app.db, { id: request.params.id }, 'admin');
      if (revoked.length === 0) throw notFound('live token', request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.route({
    ...endpoint('/api/admin/settings', 'GET'),
    handler: async () => {
      const rows = await listAppSettings(app.db);
      return { settings: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })) };
    },
  });

  app.route({
    ...endpoint('/api/admin/settings/:key', 'PUT'),
    handler: async (request) => {
      const { key } = request.params;
      const { value } = request.body;
      if (value === undefined) throw new StrideError('invalid_parameter', 'value: is required');
      const schema = AppSettingValueSchemas[key];
      const [problem] = Value.Errors(schema, value);
      if (problem) throw new StrideError('invalid_parameter', `value: ${problem.message} (setting ${key})`);
      await setAppSetting(app.db, key, value);
      const row = (await listAppSettings(app.db)).find((r) => r.key === key)!;
      return { ...row, updatedAt: row.updatedAt.toISOString() };
    },
  });

  app.route({
    ...endpoint('/api/admin/backfill', 'POST'),
    handler: async (request, reply) => {
      if (!options.databaseUrl) {
        throw new StrideError('unavailable', 'backfill: the API was started without a job queue');
      }
      const days = request.body?.days ?? app.strideConfig.sync.backfillDays;
      // The schema coerces "1e309" to Infinity and lets it through as an integer.
      if (!Number.isSafeInteger(days) || days < 1 || days > 3650) {
        throw new StrideError('invalid_parameter', 'days: must be a whole number of days from 1 to 3650');
      }
      // Loaded on demand: pg-boss only when an admin asks for a backfill.
      const { queueBackfill } = await import('@stride/ingest');
      await queueBackfill(options.databaseUrl, days);
      return reply.status(202).send({ status: 'queued' as const, days });
    },
  });

  app.route({
    ...endpoint('/api/admin/webhook-sources', 'GET'),
    handler: async () => {
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
  });

  app.route({
    ...endpoint('/api/admin/webhook-sources', 'POST'),
    handler: async (request, reply) => {
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
  });

  app.route({
    ...endpoint('/api/admin/webhook-sources/:source', 'DELETE'),
    handler: async (request, reply) => {
      const revoked = await revokeApiTokens(app.db, { webhookSource: request.params.source }, 'admin');
      if (revoked.length === 0) throw notFound('webhook source', request.params.source);
      return reply.status(204).send(null);
    },
  });
};
