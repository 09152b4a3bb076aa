import { type ApiTokenIdentity, countApiTokens, createApiToken, findApiToken } from '@stride/db';
import { StrideError } from '@stride/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Who may call a route: `public` (anyone), `viewer` (a viewer or admin token or session),
 * `admin` (an admin token or session). Set per route with `config: { access: 'admin' }`.
 * Routes without it: GET/HEAD under /api/ need `viewer` (except /api/health); other methods are
 * left to the route (webhooks authenticate their senders themselves).
 */
export type Access = 'public' | 'viewer' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The caller's token identity, when one was presented and is valid. */
    identity?: ApiTokenIdentity;
  }
}

/** Name of the httpOnly session cookie set by POST /api/session. */
export const SESSION_COOKIE = 'stride_session';

/** Scope of a session token: `session:<expiry ISO time>`. */
export const SESSION_SCOPE_PREFIX = 'session:';

/** A session token past its expiry (other tokens never expire; they are revoked). */
export function isExpiredSession(identity: ApiTokenIdentity, now = new Date()): boolean {
  if (!identity.scope?.startsWith(SESSION_SCOPE_PREFIX)) return false;
  const expiresAt = Date.parse(identity.scope.slice(SESSION_SCOPE_PREFIX.length));
  return !(expiresAt > now.getTime());
}

/** Reads one cookie from the Cookie header (RFC 6265 syntax; no dependency for one value). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The presented token: `Authorization: Bearer <token>`, else the session cookie. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? readCookie(request.headers.cookie, SESSION_COOKIE);
}

function requiredAccess(request: FastifyRequest): Access {
  const configured = request.routeOptions.config?.access;
  if (configured) return configured;
  const path = request.url.split('?')[0] ?? '';
  if (
    (request.method === 'GET' || request.method === 'HEAD') &&
    path.startsWith('/api/') &&
    path !== '/api/health'
  ) {
    return 'viewer';
  }
  return 'public';
}

/**
 * Access control of the API. Tokens are stored hashed (api_tokens); STRIDE_ADMIN_TOKEN and
 * STRIDE_VIEWER_TOKEN are registered at boot. While **no viewer or admin token exists** (fresh
 * install, demo), viewer routes are open so that `npm start` works out of the box; admin routes
 * always need an admin token.
 * @throws StrideError 401 `unauthorized` without a valid token, 403 `forbidden` for a viewer on an admin route
 */
export const accessPlugin = fp(
  async (
    app: FastifyInstance,
    options: { adminToken?: string | undefined; viewerToken?: string | undefined },
  ) => {
    if (options.adminToken)
      await createApiToken(app.db, {
        name: 'env STRIDE_ADMIN_TOKEN',
        role: 'admin',
        token: options.adminToken,
      });
    if (options.viewerToken)
      await createApiToken(app.db, {
        name: 'env STRIDE_VIEWER_TOKEN',
        role: 'viewer',
        token: options.viewerToken,
      });

    app.addHook('onRequest', async (request) => {
      const access = requiredAccess(request);
      if (access === 'public') return;
      const token = presentedToken(request);
      const identity = token ? await findApiToken(app.db, token) : undefined;
      if (identity && identity.role !== 'webhook' && !isExpiredSession(identity)) request.identity = identity;
      if (access === 'viewer') {
        if (request.identity) return;
        if ((await countApiTokens(app.db)) === 0) return; // open reads: no viewer/admin token exists yet
        throw new StrideError(
          'unauthorized',
          'this route needs a viewer token: "Authorization: Bearer <token>" or a session',
        );
      }
      if (!request.identity) throw new StrideError('unauthorized', 'this route needs an admin token');
      if (request.identity.role !== 'admin')
        throw new StrideError('forbidden', 'this route needs an admin token');
    });
  },
);
