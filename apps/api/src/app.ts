import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Db, getDoraDataVersion } from '@stride/db';
import { type DeriveLinksScope, deriveLinks, type LinkJobs, type QueueLinks } from '@stride/ingest';
import type { StrideConfig } from '@stride/shared/config';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiConfig } from './config.ts';
import { AnswerCache, BROTLI_QUALITY } from './lib/answer-cache.ts';
import { accessPlugin, withAccess } from './plugins/access.ts';
import { clientErrorHandler, errorHandlerPlugin, frameworkErrorHandler } from './plugins/error-handler.ts';
import { queryCancellation } from './plugins/query-cancellation.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { agreementRoutes } from './routes/agreements/index.ts';
import { aiImpactRoutes } from './routes/ai-impact/index.ts';
import { annotationRoutes } from './routes/annotations/index.ts';
import { changeRoutes } from './routes/changes/index.ts';
import { deploymentRoutes } from './routes/deployments/index.ts';
import { digestRoutes } from './routes/digest/index.ts';
import { doraRoutes } from './routes/dora/index.ts';
import { goalRoutes } from './routes/goals/index.ts';
import { healthRoutes } from './routes/health/index.ts';
import { incidentRoutes } from './routes/incidents/index.ts';
import { sessionRoutes } from './routes/session/index.ts';
import { syncStatusRoutes } from './routes/sync-status/index.ts';
import { teamRoutes } from './routes/teams/index.ts';
import { webhookRoutes } from './routes/webhooks/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    strideConfig: StrideConfig;
    apiConfig: ApiConfig;
    /**
     * With a link queue: queues the links a webhook's write calls for as a pg-boss job inside the
     * write's own transaction, so the delivery is never recorded without its linking. Without one
     * (tests, embedding): undefined, and `linkAfterCommit` derives them.
     */
    linkQueue: QueueLinks | undefined;
    /** After a webhook's transaction committed: derives its links now when there is no link queue. */
    linkAfterCommit: (scope: DeriveLinksScope) => Promise<void>;
    /** DORA answers kept under the data's version (`undefined`: ANSWER_CACHE_ENTRIES = 0). */
    answerCache: AnswerCache | undefined;
  }
}

export interface BuildAppOptions {
  db: Db;
  /** Connection string of `db`: admin backfill requests queue a pg-boss job there. */
  databaseUrl?: string;
  config: ApiConfig;
  strideConfig: StrideConfig;
  /**
   * The derived-link queue (`startLinkJobs` of @stride/ingest): webhooks queue their linking there
   * and answer at once. Without it (tests, embedding) the links are derived before answering.
   */
  linkJobs?: LinkJobs;
  /** pino logger options (the secret redaction is always added) or false (tests). */
  logger?: boolean | object;
}

// Secrets must never reach logs: redact auth headers, session cookies and webhook signatures,
// whether a line logs the request (`req.headers`) or its headers alone.
const redact = ['req.headers', 'headers', 'request.headers'].flatMap((h) => [
  `${h}.authorization`,
  `${h}.cookie`,
  `${h}["x-hub-signature-256"]`,
]);

/** CSP hash of the one inline <style> element @fastify/swagger-ui's bundle inserts (checked in Chromium by tests/browser/csp.test.ts). */
const SWAGGER_UI_STYLE_HASH = 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';

/** Trusts the `hops` nearest proxies (Fastify's own number form, expressed for its types). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/**
 * Cache headers of the dashboard's files: Vite names every file of `assets/` by its content hash,
 * so they never change (a year, `immutable`); everything else (index.html) is revalidated every time.
 */
function setStaticCacheHeaders(reply: { header(name: string, value: string): unknown }, path: string): void {
  const hashed = /[\\/]assets[\\/]/.test(path);
  reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** Builds the Fastify app (routes, schemas, OpenAPI at /docs) without listening. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const logger =
    options.logger === undefined || options.logger === true
      ? { level: options.config.LOG_LEVEL, redact }
      : options.logger === false
        ? false
        : { ...options.logger, redact };
  const app = Fastify({
    logger,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    // Client address and protocol from X-Forwarded-* only behind a configured proxy.
    trustProxy:
      typeof options.config.TRUST_PROXY === 'number'
        ? trustHops(options.config.TRUST_PROXY)
        : options.config.TRUST_PROXY,
    // Errors before routing (bad URL, URI too long, header overflow, shutting down) in the one shape.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('db', options.db);
  app.decorate('strideConfig', options.strideConfig);
  app.decorate('apiConfig', options.config);
  const cacheEntries = options.config.ANSWER_CACHE_ENTRIES ?? 500;
  app.decorate(
    'answerCache',
    cacheEntries > 0
      ? new AnswerCache(options.db, {
          version: () => getDoraDataVersion(options.db),
          max: cacheEntries,
          maxBytes: (options.config.ANSWER_CACHE_MB ?? 64) * 1024 * 1024,
          maxStaleMs: options.config.ANSWER_MAX_STALE_MS ?? 10_000,
        })
      : undefined,
  );
  const linkJobs = options.linkJobs;
  app.decorate(
    'linkQueue',
    linkJobs ? (scope: DeriveLinksScope, trx: Db) => linkJobs.queue(scope, trx) : undefined,
  );
  app.decorate('linkAfterCommit', async (scope: DeriveLinksScope) => {
    if (!linkJobs) await deriveLinks(options.db, scope);
  });

  // First hook of every request: the rest of it runs in a scope whose queries can be cancelled.
  await app.register(queryCancellation);
  await app.register(securityHeaders);
  // Brotli or gzip for every answer over 1 KB (the dashboard's scripts, the JSON of 50 teams);
  // brotli at the cached answers' quality (done per request).
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });
  await app.register(cookie);
  // Rate limit first: its per-route check runs before the access check, so refused guesses count.
  await app.register(rateLimit, { max: options.config.RATE_LIMIT_PER_MINUTE ?? 600, timeWindow: '1 minute' });
  await app.register(errorHandlerPlugin, { serveSpa: Boolean(options.config.WEB_DIST_DIR) });
  // CORS for the one configured origin only (session cookies); every route declares its access level.
  await app.register(cors, {
    origin: options.config.CORS_ORIGIN ? [options.config.CORS_ORIGIN] : false,
    credentials: true,
  });
  await app.register(accessPlugin, {
    adminToken: options.config.STRIDE_ADMIN_TOKEN,
    viewerToken: options.config.STRIDE_VIEWER_TOKEN,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Stride API',
        version: '0.1.0',
        description: 'DORA metrics and team health. Definitions: docs/metrics.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      // Reads need a viewer token (or session) once any token exists; public routes opt out.
      security: [{ bearer: [] }],
    },
  });
  // The API docs show every route: public only while reads are open, else a viewer's.
  await app.register(
    withAccess('viewer', async (scope) => {
      await scope.register(swaggerUi, {
        routePrefix: '/docs',
        // Swagger UI adds one inline <style> element: allowed by its hash on /docs only.
        transformStaticCSP: (header) =>
          header.replace("style-src 'self'", `style-src 'self' '${SWAGGER_UI_STYLE_HASH}'`),
      });
    }),
  );

  await app.register(healthRoutes);
  await app.register(webhookRoutes);
  await app.register(sessionRoutes);
  await app.register(syncStatusRoutes);
  await app.register(teamRoutes);
  await app.register(doraRoutes);
  await app.register(deploymentRoutes);
  await app.register(changeRoutes);
  await app.register(incidentRoutes);
  await app.register(aiImpactRoutes);
  await app.register(goalRoutes);
  await app.register(agreementRoutes);
  await app.register(annotationRoutes);
  await app.register(digestRoutes);
  await app.register(adminRoutes, { databaseUrl: options.databaseUrl });

  // The built dashboard (production); in development Vite serves it and proxies /api.
  if (options.config.WEB_DIST_DIR) {
    const root = options.config.WEB_DIST_DIR;
    // The dashboard's files hold no data: public (its API calls carry the access checks).
    // reply.sendFile for the SPA fallback: index.html names the current hashed files, never cached.
    await app.register(fastifyStatic, { root, serve: false, setHeaders: setStaticCacheHeaders });
    await app.register(
      withAccess('public', async (scope) => {
        await scope.register(fastifyStatic, {
          root,
          wildcard: false,
          decorateReply: false,
          setHeaders: setStaticCacheHeaders,
          // The build's .br/.gz twins (apps/web/vite.config.ts) as they are, by Accept-Encoding.
          preCompressed: true,
          // Source maps would publish the dashboard's source: never served, even if a build left one.
          allowedPath: (pathName) => !pathName.endsWith('.map'),
        });
      }),
    );
  }
  return app;
}
