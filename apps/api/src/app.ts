import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '@stride/db';
import type { StrideConfig } from '@stride/shared/config';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiConfig } from './config.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { doraRoutes } from './routes/dora/index.ts';
import { healthRoutes } from './routes/health/index.ts';
import { teamRoutes } from './routes/teams/index.ts';
import { webhookRoutes } from './routes/webhooks/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    strideConfig: StrideConfig;
    apiConfig: ApiConfig;
  }
}

export interface BuildAppOptions {
  db: Db;
  config: ApiConfig;
  strideConfig: StrideConfig;
  /** pino logger options or false (tests). */
  logger?: boolean | object;
}

// Secrets must never reach logs: redact auth headers and webhook signatures.
const redact = ['req.headers.authorization', 'req.headers["x-hub-signature-256"]', 'req.headers.cookie'];

/** Builds the Fastify app (routes, schemas, OpenAPI at /docs) without listening. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const logger = options.logger === undefined ? { level: options.config.LOG_LEVEL, redact } : options.logger;
  const app = Fastify({
    logger,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('db', options.db);
  app.decorate('strideConfig', options.strideConfig);
  app.decorate('apiConfig', options.config);

  await app.register(errorHandlerPlugin, { serveSpa: Boolean(options.config.WEB_DIST_DIR) });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Stride API',
        version: '0.1.0',
        description: 'DORA metrics and team health. Definitions: docs/metrics.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes);
  await app.register(webhookRoutes);
  // Metrics API (issue 5)
  await app.register(teamRoutes);
  await app.register(doraRoutes);

  // The built dashboard (production); in development Vite serves it and proxies /api.
  if (options.config.WEB_DIST_DIR) {
    await app.register(fastifyStatic, { root: options.config.WEB_DIST_DIR, wildcard: false });
  }
  return app;
}
