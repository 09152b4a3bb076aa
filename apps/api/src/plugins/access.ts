import {
  type ApiTokenIdentity,
  countApiTokens,
  findApiToken,
  registerEnvTokens,
  touchApiToken,
} from '@stride/db';
import { StrideError } from '@stride/shared';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { createSharedRead } from '../lib/shared-read.ts';

/**
 * Who may call a route, declared by every route in its options (`config: { access }`):
 * - `public`: anyone (health, session, the dashboard's static files, GitHub's signed webhook);
 * - `viewer`: a viewer or admin token or session; open to anyone while no viewer or admin token
 *   exists (fresh install, demo);
 * - `admin`: an admin token or admin session, always;
 * - `webhook`: a webhook token (`Authorization: Bearer`), which names its source.
 * Access is read from the matched route, never from the request URL, so an encoded or
 * absolute-form URL reaches the same decision as the plain path. A route without a declared
 * level makes the app fail at `ready()`, and is refused if it is ever reached.
 */
export type Access = 'public' | 'viewer' | 'admin' | 'webhook';

export const ACCESS_LEVELS: readonly Access[] = ['public', 'viewer', 'admin', 'webhook'];

/** A registered route and its declared access level (read at the time of the call). */
export interface AccessRoute {
  method: string;
  url: string;
  access: Access | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every route of the app with its access level: the table the access-matrix test walks. */
    accessRoutes(): AccessRoute[];
  }
  interface FastifyRequest {
    /** The caller's viewer/admin identity, when a valid token or session was presented. */
    identity?: ApiTokenIdentity;
    /** The webhook source name of the bearer token (api_tokens.scope), on `webhook` routes. */
    webhookSource?: string;
  }
}

/** Name of the httpOnly session cookie set by POST /api/session. */
export const SESSION_COOKIE = 'stride_session';

/** Scope of a session token: `session:<expiry ISO time>`. */
export const SESSION_SCOPE_PREFIX = 'session:';

/** `last_used_at` is written at most this often per token. */
export const TOKEN_TOUCH_INTERVAL_SECONDS = 60;

/** A session token past its expiry (other tokens never expire; they are revoked). */
export function isExpiredSession(identity: Pick<ApiTokenIdentity, 'scope'>, now = new Date()): boolean {
  if (!identity.scope?.startsWith(SESSION_SCOPE_PREFIX)) return false;
  const expiresAt = Date.parse(identity.scope.slice(SESSION_SCOPE_PREFIX.length));
  return !(expiresAt > now.getTime());
}

/** The presented bearer token (`Authorization: Bearer <token>`), if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** The presented token: `Authorization: Bearer <token>`, else the session cookie (@fastify/cookie). */
export function presentedToken(request: FastifyRequest): string | undefined {
  return bearerToken(request) ?? request.cookies?.[SESSION_COOKIE];
}

/**
 * In-memory throttle of `last_used_at` writes: at most one per token and interval per process;
 * touchApiToken's SQL condition bounds it across processes too.
 */
export function createTouchThrottle(intervalSeconds: number, now: () => number = Date.now) {
  const last = new Map<string, number>();
  return {
    /** True when the token `id` was not marked used in this process within the interval. */
    due(id: string): boolean {
      const at = now();
      const previous = last.get(id);
      if (previous !== undefined && at - previous < intervalSeconds * 1000) return false;
      last.set(id, at);
      // Bounded memory: forget entries older than the interval once the map grows.
      if (last.size > 10_000) {
        for (const [key, value] of last) if (at - value >= intervalSeconds * 1000) last.delete(key);
      }
      return true;
    },
  };
}

export interface AccessPluginOptions {
  adminToken?: string | undefined;
  viewerToken?: string | undefined;
  /** Clock of the last_used_at throttle (tests). */
  now?: () => number;
}

/**
 * Access control of the API. Tokens are stored hashed (api_tokens). At registration,
 * STRIDE_ADMIN_TOKEN and STRIDE_VIEWER_TOKEN are registered and tokens from their earlier values
 * revoked with their sessions (registerEnvTokens). Each route's onRequest gets the check of its
 * declared level, after the rate limit's (so refused guesses are counted too).
 * @throws StrideError 401 `unauthorized` without a valid token, 403 `forbidden` for a viewer on an
 *   admin route or a route that declares no access level; `invalid_config` at ready() for such a route.
 */
export const accessPlugin = fp(async (app: FastifyInstance, options: AccessPluginOptions) => {
  const registration = await registerEnvTokens(app.db, {
    STRIDE_ADMIN_TOKEN: options.adminToken,
    STRIDE_VIEWER_TOKEN: options.viewerToken,
  });
  if (registration.rotated > 0) {
    app.log.info({ revoked: registration.rotated }, 'revoked tokens of rotated STRIDE_*_TOKEN values');
  }
  for (const variable of registration.stillRevoked) {
    app.log.warn(`${variable} was revoked by an admin and stays revoked: set a new value`);
  }

  const throttle = createTouchThrottle(TOKEN_TOUCH_INTERVAL_SECONDS, options.now);
  // Concurrent requests presenting the same token (a dashboard's burst, a load) share one lookup,
  // and concurrent open-read checks one count: each statement starts after every sharer arrived,
  // so a revocation or a new token committed before a request is seen by it.
  const findToken = createSharedRead((token: string) => findApiToken(app.db, token));
  const countTokens = createSharedRead((_: 'viewer-admin') => countApiTokens(app.db));
  const lookup = async (token: string) => {
    const identity = await findToken(token);
    if (!identity || isExpiredSession(identity)) return undefined;
    if (throttle.due(identity.id)) await touchApiToken(app.db, identity.id, TOKEN_TOUCH_INTERVAL_SECONDS);
    return identity;
  };

  const checkAccess = async (request: FastifyRequest) => {
    const access = request.routeOptions.config?.access;
    if (access === 'public') return;
    if (access === 'webhook') {
      const token = bearerToken(request);
      if (!token)
        throw new StrideError('unauthorized', 'webhooks need "Authorization: Bearer <webhook token>"');
      const identity = await lookup(token);
      if (identity?.role !== 'webhook' || !identity.scope) {
        throw new StrideError('unauthorized', 'unknown, revoked or non-webhook token');
      }
      request.webhookSource = identity.scope;
      return;
    }
    if (access !== 'viewer' && access !== 'admin') {
      // Unreachable once ready() passed; refused rather than guessed if it ever happens.
      throw new StrideError('forbidden', 'this route declares no access level');
    }
    const token = presentedToken(request);
    const identity = token ? await lookup(token) : undefined;
    if (identity && identity.role !== 'webhook') request.identity = identity;
    if (access === 'viewer') {
      if (request.identity) return;
      if ((await countTokens('viewer-admin')) === 0) return; // open reads: no viewer/admin token exists yet
      throw new StrideError(
        'unauthorized',
        'this route needs a viewer token: "Authorization: Bearer <token>" or a session',
      );
    }
    if (!request.identity) throw new StrideError('unauthorized', 'this route needs an admin token');
    if (request.identity.role !== 'admin')
      throw new StrideError('forbidden', 'this route needs an admin token');
  };

  // Every route, wherever registered, gets the check as its last onRequest hook; the level is
  // read from the matched route's config when a request arrives (a plugin scope may assign it
  // to its routes in its own onRoute hook, which runs after this one).
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
    const existing = [route.onRequest ?? []].flat();
    // A GET's HEAD twin arrives with the GET's hooks already in place.
    if (!existing.includes(checkAccess)) route.onRequest = [...existing, checkAccess];
  });
  app.decorate('accessRoutes', () =>
    routes.flatMap((r) =>
      [r.method]
        .flat()
        .map((method) => ({ method, url: r.url, access: r.config?.access as Access | undefined })),
    ),
  );
  app.addHook('onReady', async () => {
    const undeclared = routes.filter((r) => !ACCESS_LEVELS.includes(r.config?.access as Access));
    if (undeclared.length > 0) {
      const list = undeclared.map((r) => `${[r.method].flat().join(',')} ${r.url}`).join('; ');
      throw new StrideError(
        'invalid_config',
        `routes without a declared access level (config.access: ${ACCESS_LEVELS.join(' | ')}): ${list}`,
      );
    }
  });
});

/**
 * Plugin wrapper that gives `access` to every route registered inside it that does not declare
 * one (third-party plugins such as @fastify/swagger-ui and @fastify/static cannot).
 */
export function withAccess(access: Access, register: (scope: FastifyInstance) => Promise<void>) {
  return async (scope: FastifyInstance) => {
    scope.addHook('onRoute', (route) => {
      if (!route.config?.access) route.config = { ...route.config, access };
    });
    await register(scope);
  };
}
