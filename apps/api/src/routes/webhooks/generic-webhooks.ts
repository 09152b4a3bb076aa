import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  attributeIncidentsToDeployments,
  ensureRepository,
  getDeploymentByExternalId,
  getIncidentByExternalId,
  getTeamIdBySlug,
  linkChangesToDeployments,
  recordWebhookDelivery,
  refreshDeploymentFlags,
  upsertDeployments,
  upsertIncidents,
} from '@stride/db';
import { ErrorBodySchema, invalidParameter } from '@stride/shared';
import type { StrideConfig } from '@stride/shared/config';
import {
  type DeploymentWebhook,
  DeploymentWebhookSchema,
  type IncidentWebhook,
  IncidentWebhookSchema,
  type WebhookAccepted,
  WebhookAcceptedSchema,
} from './schemas.ts';

const responses = {
  200: WebhookAcceptedSchema,
  202: WebhookAcceptedSchema,
  400: ErrorBodySchema,
  401: ErrorBodySchema,
};

/** Case-insensitive production regex of a repository (docs/metrics.md, Deployment). */
export function isProductionEnvironment(
  config: StrideConfig,
  repository: string,
  environment: string,
): boolean {
  const pattern =
    config.github.repositoryRules[repository]?.environment ?? config.github.deployments.environment;
  return new RegExp(pattern, 'i').test(environment);
}

/**
 * `POST /api/webhooks/deployments` and `POST /api/webhooks/incidents`: deployments and incidents
 * pushed by any CI/CD or incident tool, authenticated by a per-source bearer token. Each event is
 * applied once: its `eventId` is recorded in `webhook_deliveries` in the same transaction as the
 * upsert, so a replay answers 200 `duplicate` and changes nothing. Ids are namespaced by the
 * token's source (`<source>:<deploymentId>`), so one source cannot overwrite another's rows.
 * After a change, changes are linked to deployments and incidents attributed (docs/metrics.md).
 */
export const genericWebhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/webhooks/deployments',
    {
      config: { access: 'webhook' },
      schema: {
        tags: ['webhooks'],
        summary: 'Report a deployment from any CI/CD system',
        description:
          "Authenticated with a webhook token (`npm run webhook-token -- <source>`). Only `status: success` to an environment matching the repository's production regex counts as a production deployment.",
        security: [{ bearer: [] }],
        body: DeploymentWebhookSchema,
        response: responses,
      },
    },
    async (request, reply) => {
      const source = request.webhookSource!;
      const result = await applyDeployment(app.db, app.strideConfig, source, request.body);
      if (result.status === 'accepted') await relink(app.db, app.strideConfig, result.repositoryId);
      return reply
        .status(result.status === 'accepted' ? 202 : 200)
        .send({ status: result.status, id: result.id });
    },
  );

  app.post(
    '/api/webhooks/incidents',
    {
      config: { access: 'webhook' },
      schema: {
        tags: ['webhooks'],
        summary: 'Report an incident from any incident tool',
        description:
          "Authenticated with a webhook token. The incident is attributed to the deployment it names (`deploymentRef`), else to the last production deployment of its repository (or its team's repositories) within the attribution window before `startedAt`.",
        security: [{ bearer: [] }],
        body: IncidentWebhookSchema,
        response: responses,
      },
    },
    async (request, reply) => {
      const source = request.webhookSource!;
      const result = await applyIncident(app.db, source, request.body);
      if (result.status === 'accepted') {
        await attributeIncidentsToDeployments(app.db, app.strideConfig.incidents.attributionWindowDays);
      }
      return reply.status(result.status === 'accepted' ? 202 : 200).send(result);
    },
  );
};

type Db = Parameters<typeof upsertDeployments>[0];

/** The configured deployment source of a repository the GitHub collector polls, else undefined. */
function polledDeploymentSource(config: StrideConfig, repository: string): string | undefined {
  const name = repository.toLowerCase();
  const polled =
    config.github.repositories.some((r) => r.toLowerCase() === name) ||
    config.github.orgs.some((o) => o.toLowerCase() === name.split('/')[0]);
  if (!polled) return undefined;
  return config.github.repositoryRules[repository]?.source ?? config.github.deployments.source;
}

async function applyDeployment(
  db: Db,
  config: StrideConfig,
  source: string,
  body: DeploymentWebhook,
): Promise<WebhookAccepted & { repositoryId?: string }> {
  const startedAt = body.startedAt ? new Date(body.startedAt) : undefined;
  const finishedAt = body.finishedAt ? new Date(body.finishedAt) : undefined;
  if (startedAt && finishedAt && finishedAt < startedAt) {
    throw invalidParameter('finishedAt', 'must not be before startedAt');
  }
  // One deployment source per repository (docs/metrics.md): a repository the GitHub poller
  // collects deployments of must not count webhook deployments too.
  const polledSource = polledDeploymentSource(config, body.repository);
  if (polledSource && polledSource !== 'webhook') {
    throw invalidParameter(
      'repository',
      `deployments of ${body.repository} come from ${polledSource} (stride.config.yaml); set its rule source to webhook to send them here`,
    );
  }
  const externalId = `${source}:${body.deploymentId ?? body.eventId}`;
  return db.transaction().execute(async (trx) => {
    const fresh = await recordWebhookDelivery(trx, {
      source: `webhook:${source}`,
      deliveryId: body.eventId,
      event: 'deployment',
    });
    if (!fresh) return { status: 'duplicate' as const };
    const repositoryId = await ensureRepository(trx, body.repository);
    const eventTime = finishedAt ?? startedAt ?? new Date();
    const stored = await getDeploymentByExternalId(trx, 'webhook', externalId);
    // Deliveries arrive out of order: an event older than the stored state changes nothing, and a
    // deployment that succeeded stays deployed (a later rollback marks it, it does not erase it).
    if (stored?.source_updated_at && eventTime < stored.source_updated_at) {
      return { status: 'accepted' as const, id: stored.id };
    }
    const deployedAt = body.status === 'success' ? eventTime : (stored?.deployed_at ?? null);
    const ids = await upsertDeployments(trx, [
      {
        repository_id: repositoryId,
        source: 'webhook',
        external_id: externalId,
        environment: body.environment,
        is_production: isProductionEnvironment(config, body.repository, body.environment),
        sha: body.sha?.toLowerCase() ?? stored?.sha ?? null,
        ref: body.ref ?? stored?.ref ?? null,
        status: body.status,
        created_at: startedAt ?? stored?.created_at ?? eventTime,
        deployed_at: deployedAt,
        rolled_back: body.rolledBack === true || body.status === 'rolled_back',
        url: body.url ?? stored?.url ?? null,
        source_updated_at: eventTime,
      },
    ]);
    // Linking only concerns deployments that happened (queued/in-progress events change nothing there).
    return {
      status: 'accepted' as const,
      id: ids.get(externalId),
      repositoryId: deployedAt ? repositoryId : undefined,
    };
  });
}

async function relink(db: Db, config: StrideConfig, repositoryId: string | undefined): Promise<void> {
  if (!repositoryId) return;
  await linkChangesToDeployments(db, [repositoryId]);
  await refreshDeploymentFlags(db, [repositoryId]);
  await attributeIncidentsToDeployments(db, config.incidents.attributionWindowDays);
}

async function applyIncident(db: Db, source: string, body: IncidentWebhook): Promise<WebhookAccepted> {
  const startedAt = new Date(body.startedAt);
  const resolvedAt = body.resolvedAt ? new Date(body.resolvedAt) : null;
  if (resolvedAt && resolvedAt < startedAt)
    throw invalidParameter('resolvedAt', 'must not be before startedAt');
  const externalId = `${source}:${body.incidentId ?? body.eventId}`;

  let teamId: string | null = null;
  if (body.team) {
    const id = await getTeamIdBySlug(db, body.team);
    if (!id) throw invalidParameter('team', `unknown team '${body.team}' (a slug from stride.config.yaml)`);
    teamId = id;
  }

  return db.transaction().execute(async (trx) => {
    const fresh = await recordWebhookDelivery(trx, {
      source: `webhook:${source}`,
      deliveryId: body.eventId,
      event: 'incident',
    });
    if (!fresh) return { status: 'duplicate' as const };
    const repositoryId = body.repository ? await ensureRepository(trx, body.repository) : null;
    // A deploymentId this source sent to /deployments is stored namespaced: name it by our id.
    let deploymentRef = body.deploymentRef ?? null;
    if (deploymentRef) {
      const own = await getDeploymentByExternalId(trx, 'webhook', `${source}:${deploymentRef}`);
      if (own) deploymentRef = own.id;
    }
    // `resolvedAt` absent keeps what is stored (an update about something else); null reopens.
    const stored = await getIncidentByExternalId(trx, 'webhook', externalId);
    const resolved = body.resolvedAt === undefined ? (stored?.resolved_at ?? null) : resolvedAt;
    const ids = await upsertIncidents(trx, [
      {
        source: 'webhook',
        external_id: externalId,
        key: body.incidentId ?? null,
        title: body.title,
        repository_id: repositoryId,
        team_id: teamId,
        jira_project_key: null,
        severity: body.severity ?? null,
        started_at: startedAt,
        resolved_at: resolved,
        deployment_ref: deploymentRef,
        url: body.url ?? null,
        source_updated_at: new Date(),
      },
    ]);
    return { status: 'accepted' as const, id: ids.get(externalId) };
  });
}
