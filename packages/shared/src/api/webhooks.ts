import { type Static, Type as T } from '@sinclair/typebox';
import { ErrorBodySchema } from './common.ts';

// Documented JSON bodies of the generic webhooks (shown at /docs). Any CI/CD system (Argo CD
// notifications, Jenkins, GitLab CI, Spinnaker...) or incident tool (PagerDuty, Opsgenie, incident.io
// webhooks through a small mapping) posts these; the token's source name namespaces their ids.

const RepositoryName = T.String({
  pattern: '^[\\w.-]+/[\\w.-]+$',
  description: 'repository as "owner/name", as in stride.config.yaml',
  examples: ['acme/checkout'],
});
const HttpUrl = T.String({
  format: 'uri',
  maxLength: 2000,
  description: 'link shown on the dashboard; only http and https URLs are accepted (anything else is a 400)',
  examples: ['https://ci.example.com/runs/42'],
});
const EventId = T.String({
  minLength: 1,
  maxLength: 200,
  description:
    "the sender's unique id of this event (delivery). A second delivery with the same id changes nothing (idempotency)",
});

export const DeploymentWebhookSchema = T.Object(
  {
    eventId: EventId,
    deploymentId: T.Optional(
      T.String({
        minLength: 1,
        maxLength: 200,
        description:
          "the sender's id of the deployment; events with the same deploymentId update one deployment (default: eventId)",
      }),
    ),
    repository: RepositoryName,
    environment: T.String({
      minLength: 1,
      maxLength: 200,
      description: "environment name; production when it matches the repository's configured regex",
    }),
    status: T.Union(
      [
        T.Literal('success'),
        T.Literal('failure'),
        T.Literal('error'),
        T.Literal('in_progress'),
        T.Literal('queued'),
        T.Literal('rolled_back'),
      ],
      { description: 'only `success` counts as a deployment (docs/metrics.md, Deployment)' },
    ),
    sha: T.Optional(T.String({ pattern: '^[0-9a-fA-F]{7,64}$', description: 'deployed commit SHA' })),
    ref: T.Optional(T.String({ maxLength: 500, description: 'deployed branch or tag' })),
    startedAt: T.Optional(T.String({ format: 'date-time', description: 'when the deployment started' })),
    finishedAt: T.Optional(
      T.String({
        format: 'date-time',
        description: 'when it finished; deployed_at of a successful deployment (default: receipt time)',
      }),
    ),
    rolledBack: T.Optional(T.Boolean({ description: 'this deployment was later rolled back' })),
    url: T.Optional(HttpUrl),
  },
  { title: 'Deployment webhook', description: 'unknown extra properties are ignored' },
);
export type DeploymentWebhook = Static<typeof DeploymentWebhookSchema>;

export const IncidentWebhookSchema = T.Object(
  {
    eventId: EventId,
    incidentId: T.Optional(
      T.String({
        minLength: 1,
        maxLength: 200,
        description:
          "the sender's id of the incident; events with the same incidentId update one incident (default: eventId)",
      }),
    ),
    title: T.String({ minLength: 1, maxLength: 1000 }),
    startedAt: T.String({ format: 'date-time', description: 'when the production failure started' }),
    resolvedAt: T.Optional(
      T.Union([T.String({ format: 'date-time' }), T.Null()], {
        description: 'when it was resolved; null reopens; absent keeps what an earlier event said',
      }),
    ),
    updatedAt: T.Optional(
      T.String({
        format: 'date-time',
        description:
          'when the incident tool changed the incident (default: when Stride received the event). An event older than the stored state changes nothing, so a late `resolvedAt: null` does not reopen an incident resolved since',
      }),
    ),
    repository: T.Optional(RepositoryName),
    team: T.Optional(T.String({ minLength: 1, description: 'team slug from stride.config.yaml' })),
    severity: T.Optional(T.String({ maxLength: 100 })),
    deploymentRef: T.Optional(
      T.String({
        minLength: 1,
        maxLength: 200,
        description:
          'the deployment that caused it: a deploymentId sent to /api/webhooks/deployments, a GitHub deployment id, or a commit SHA',
      }),
    ),
    url: T.Optional(HttpUrl),
  },
  { title: 'Incident webhook', description: 'unknown extra properties are ignored' },
);
export type IncidentWebhook = Static<typeof IncidentWebhookSchema>;

export const WebhookAcceptedSchema = T.Object({
  status: T.Union([T.Literal('accepted'), T.Literal('duplicate'), T.Literal('ignored')], {
    description: '`duplicate`: this eventId was already applied, nothing changed',
  }),
  id: T.Optional(T.String({ description: 'Stride id of the deployment or incident' })),
});
export type WebhookAccepted = Static<typeof WebhookAcceptedSchema>;

const accepted = { 200: WebhookAcceptedSchema, 202: WebhookAcceptedSchema } as const;

/**
 * The webhook routes of the endpoint map. The generic ones are `access: 'webhook'` (a per-source
 * bearer token); GitHub's is `public` to the access check because its authentication is the
 * body's HMAC signature (`X-Hub-Signature-256`), which the route verifies over the raw bytes.
 */
/** Answers of the generic webhooks: 409 a negative duration against the stored row, 503 storage full. */
const genericResponses = {
  ...accepted,
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  409: ErrorBodySchema,
  503: ErrorBodySchema,
};

export const webhookEndpoints = {
  '/api/webhooks/deployments': {
    POST: {
      access: 'webhook',
      schema: {
        tags: ['webhooks'],
        summary: 'Report a deployment from any CI/CD system',
        description:
          "Authenticated with a webhook token (`npm run token -- create webhook <source>`, or POST /api/admin/webhook-sources). Only `status: success` to an environment matching the repository's production regex counts as a production deployment.",
        security: [{ bearer: [] }],
        body: DeploymentWebhookSchema,
        response: genericResponses,
      },
    },
  },
  '/api/webhooks/incidents': {
    POST: {
      access: 'webhook',
      schema: {
        tags: ['webhooks'],
        summary: 'Report an incident from any incident tool',
        description:
          "Authenticated with a webhook token. The incident is attributed to the deployment it names (`deploymentRef`), else to the last production deployment of its repository (or its team's repositories) within the attribution window before `startedAt`.",
        security: [{ bearer: [] }],
        body: IncidentWebhookSchema,
        response: genericResponses,
      },
    },
  },
  '/api/webhooks/github': {
    POST: {
      access: 'public',
      schema: {
        tags: ['webhooks'],
        summary: 'GitHub webhook deliveries (pull_request, deployment_status, workflow_run, issues)',
        description:
          "Set the webhook's secret to GITHUB_WEBHOOK_SECRET and its content type to application/json. Deliveries with a missing or wrong X-Hub-Signature-256 get 401; replays (same X-GitHub-Delivery) get 200 duplicate.",
        headers: T.Object({
          'x-github-event': T.Optional(T.String()),
          'x-github-delivery': T.Optional(T.String()),
          'x-hub-signature-256': T.Optional(T.String()),
        }),
        response: {
          ...accepted,
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          404: ErrorBodySchema,
          503: ErrorBodySchema,
        },
      },
    },
  },
} as const;
