import { type Static, Type as T } from '@sinclair/typebox';
import {
  AnnotationBodySchema,
  AnnotationIdParams,
  AnnotationListSchema,
  AnnotationSchema,
} from './annotations.ts';
import { ErrorBodySchema } from './common.ts';
import { GoalBodySchema, GoalIdParams, GoalListSchema, GoalSchema } from './goals.ts';

// Admin resources: tokens (never their secrets), app settings, backfill requests, webhook sources.

const TokenRole = T.Union([T.Literal('viewer'), T.Literal('admin'), T.Literal('webhook')]);

/** A token as listed to an admin: never its secret, only the first 8 hex digits of its SHA-256. */
export const ApiTokenSchema = T.Object({
  id: T.String(),
  name: T.String(),
  role: TokenRole,
  kind: T.Union([T.Literal('token'), T.Literal('session')]),
  source: T.Union([T.String(), T.Null()], { description: 'webhook source name (webhook tokens)' }),
  origin: T.String({ description: 'env:STRIDE_ADMIN_TOKEN, env:STRIDE_VIEWER_TOKEN, cli, api or session' }),
  hashPrefix: T.String({ description: 'first 8 hex digits of the SHA-256 of the token' }),
  createdAt: T.String({ format: 'date-time' }),
  lastUsedAt: T.Union([T.String({ format: 'date-time' }), T.Null()], {
    description: 'updated at most once a minute',
  }),
  revokedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  revokedReason: T.Union([T.String(), T.Null()]),
});
export type ApiToken = Static<typeof ApiTokenSchema>;

export const ApiTokenListSchema = T.Object({ tokens: T.Array(ApiTokenSchema) });

export const TokenListQuery = T.Object({
  includeRevoked: T.Optional(T.Boolean({ default: false })),
  sessions: T.Optional(T.Boolean({ default: false, description: 'include browser sessions' })),
});

export const CreateTokenBody = T.Object({
  name: T.String({ minLength: 1, maxLength: 100 }),
  role: T.Union([T.Literal('viewer'), T.Literal('admin')]),
});

/** A created token: the secret is in this response only. */
export const CreatedTokenSchema = T.Object({ token: ApiTokenSchema, secret: T.String() });

export const TokenIdParams = T.Object({ id: T.String({ pattern: '^[0-9]{1,18}$' }) });

export const SettingSchema = T.Object({
  key: T.String(),
  value: T.Unknown(),
  updatedAt: T.String({ format: 'date-time' }),
});
export const SettingListSchema = T.Object({ settings: T.Array(SettingSchema) });
/**
 * The settings an admin may change, each with the schema of its value. Only these keys are
 * accepted: a setting nobody reads would be a silent no-op.
 */
export const AppSettingValueSchemas = {
  demo: T.Boolean({ description: 'the data is generated demo data (badge on every page and export)' }),
} as const;
export type AppSettingKey = keyof typeof AppSettingValueSchemas;

export const SettingKeyParams = T.Object({
  key: T.Union(
    (Object.keys(AppSettingValueSchemas) as AppSettingKey[]).map((key) => T.Literal(key)),
    { description: 'a known setting' },
  ),
});
export const SettingBody = T.Object({ value: T.Unknown({ description: 'JSON value of the setting' }) });

export const BackfillBody = T.Object({
  days: T.Optional(
    T.Integer({ minimum: 1, maximum: 3650, description: 'horizon in days (default sync.backfillDays)' }),
  ),
});
export const BackfillQueuedSchema = T.Object({
  status: T.Literal('queued'),
  days: T.Integer(),
});

const SOURCE_PATTERN = '^[a-z0-9][a-z0-9._-]{0,62}$';
export const WebhookSourceSchema = T.Object({
  source: T.String(),
  tokens: T.Array(ApiTokenSchema),
});
export const WebhookSourceListSchema = T.Object({ sources: T.Array(WebhookSourceSchema) });
export const WebhookSourceBody = T.Object({
  source: T.String({ pattern: SOURCE_PATTERN, description: 'sending system, e.g. argocd, pagerduty' }),
});
export const WebhookSourceParams = T.Object({ source: T.String({ pattern: SOURCE_PATTERN }) });

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
} as const;
const tags = ['admin'] as const;

/**
 * The admin routes of the endpoint map: the only ones, besides webhooks and sessions, that change
 * Stride's state. Each is `access: 'admin'` (a viewer token gets 403).
 */
export const adminEndpoints = {
  '/api/admin/tokens': {
    GET: {
      access: 'admin',
      schema: {
        tags,
        summary: 'API tokens (never their secrets): hash prefix, role, origin, created, last used',
        querystring: TokenListQuery,
        response: { 200: ApiTokenListSchema, ...errors },
      },
    },
    POST: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Create a viewer or admin token (its secret is in this response only)',
        body: CreateTokenBody,
        response: { 201: CreatedTokenSchema, ...errors },
      },
    },
  },
  '/api/admin/tokens/:id': {
    DELETE: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Revoke a token and the sessions made from it',
        params: TokenIdParams,
        response: { 204: T.Null(), ...errors },
      },
    },
  },
  '/api/admin/settings': {
    GET: {
      access: 'admin',
      schema: { tags, summary: 'App settings', response: { 200: SettingListSchema, ...errors } },
    },
  },
  '/api/admin/settings/:key': {
    PUT: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Replace one app setting (known keys only, value checked against its schema)',
        params: SettingKeyParams,
        body: SettingBody,
        response: { 200: SettingSchema, ...errors },
      },
    },
  },
  '/api/admin/backfill': {
    POST: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Queue a backfill of every configured repository (and Jira) for the collector worker',
        body: T.Optional(BackfillBody),
        response: { 202: BackfillQueuedSchema, 503: ErrorBodySchema, ...errors },
      },
    },
  },
  '/api/admin/webhook-sources': {
    GET: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Generic webhook sources and their live tokens',
        response: { 200: WebhookSourceListSchema, ...errors },
      },
    },
    POST: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Create a webhook token for a source (its secret is in this response only)',
        body: WebhookSourceBody,
        response: { 201: CreatedTokenSchema, ...errors },
      },
    },
  },
  '/api/admin/annotations': {
    GET: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Every stored event (config and admin ones), by date',
        response: { 200: AnnotationListSchema, ...errors },
      },
    },
    POST: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Add an event (reorg, tool adoption, freeze, postmortem...) for a team or the org',
        body: AnnotationBodySchema,
        response: { 201: AnnotationSchema, ...errors },
      },
    },
  },
  '/api/admin/annotations/:id': {
    PUT: {
      access: 'admin',
      schema: {
        tags,
        summary: "Replace an admin's event (config events change in the config file)",
        params: AnnotationIdParams,
        body: AnnotationBodySchema,
        response: { 200: AnnotationSchema, ...errors },
      },
    },
    DELETE: {
      access: 'admin',
      schema: {
        tags,
        summary: "Delete an admin's event",
        params: AnnotationIdParams,
        response: { 204: T.Null(), ...errors },
      },
    },
  },
  '/api/admin/goals': {
    GET: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Every goal (config and admin ones)',
        response: { 200: GoalListSchema, ...errors },
      },
    },
    POST: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Add a team or org goal (metric, statistic, target, direction, optional start date)',
        body: GoalBodySchema,
        response: { 201: GoalSchema, ...errors },
      },
    },
  },
  '/api/admin/goals/:id': {
    PUT: {
      access: 'admin',
      schema: {
        tags,
        summary: "Replace an admin's goal (config goals change in the config file)",
        params: GoalIdParams,
        body: GoalBodySchema,
        response: { 200: GoalSchema, ...errors },
      },
    },
    DELETE: {
      access: 'admin',
      schema: {
        tags,
        summary: "Delete an admin's goal",
        params: GoalIdParams,
        response: { 204: T.Null(), ...errors },
      },
    },
  },
  '/api/admin/webhook-sources/:source': {
    DELETE: {
      access: 'admin',
      schema: {
        tags,
        summary: 'Revoke every token of a webhook source',
        params: WebhookSourceParams,
        response: { 204: T.Null(), ...errors },
      },
    },
  },
} as const;
