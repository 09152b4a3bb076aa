import { type Static, Type as T } from '@sinclair/typebox';

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
export const SettingKeyParams = T.Object({ key: T.String({ pattern: '^[a-z][a-z0-9_.-]{0,62}$' }) });
export const SettingBody = T.Object({ value: T.Unknown() });

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
