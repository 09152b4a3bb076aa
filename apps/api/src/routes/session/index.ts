import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { countApiTokens, createApiToken, findApiToken, revokeApiToken } from '@stride/db';
import { StrideError } from '@stride/shared';
import { endpoint } from '../../lib/endpoint.ts';
import {
  isExpiredSession,
  presentedToken,
  SESSION_COOKIE,
  SESSION_SCOPE_PREFIX,
} from '../../plugins/access.ts';

const SESSION_DAYS = 30;

/** Attributes of the session cookie: whole site (the API and /docs), script-proof, same-site only. */
function cookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure };
}

/**
 * Browser sessions: `POST /api/session { token }` exchanges a viewer (or admin) token for an
 * httpOnly, SameSite=Strict cookie holding a new session token of the same role (stored hashed
 * like every token, tied to the token it was made from: revoking or rotating that token ends
 * the session); `DELETE /api/session` revokes it; `GET /api/session` tells the dashboard
 * whether it needs to ask for a token. The cookie is `Secure` when the request came over TLS
 * (directly, or through a proxy trusted with TRUST_PROXY).
 */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/session', 'GET'),
    handler: async (request) => {
      const open = (await countApiTokens(app.db)) === 0;
      const token = presentedToken(request);
      const found = token ? await findApiToken(app.db, token) : undefined;
      const role = found && !isExpiredSession(found) ? found.role : undefined;
      return { open, role: role === 'viewer' || role === 'admin' ? role : null };
    },
  });

  app.route({
    ...endpoint('/api/session', 'POST'),
    handler: async (request, reply) => {
      const identity = await findApiToken(app.db, request.body.token);
      if (!identity || identity.role === 'webhook' || isExpiredSession(identity))
        throw new StrideError('unauthorized', 'token: unknown or revoked');
      // The session's expiry travels in its scope; the access hook refuses it afterwards.
      const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000).toISOString();
      const session = await createApiToken(app.db, {
        name: `session for ${identity.name}`,
        role: identity.role,
        scope: `${SESSION_SCOPE_PREFIX}${expiresAt}`,
        origin: 'session',
        parentId: identity.parentId ?? identity.id,
      });
      reply.setCookie(SESSION_COOKIE, session.token, {
        ...cookieOptions(request.protocol === 'https'),
        maxAge: SESSION_DAYS * 86_400,
      });
      return { open: false, role: identity.role };
    },
  });

  app.route({
    ...endpoint('/api/session', 'DELETE'),
    handler: async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await revokeApiToken(app.db, token, 'logout');
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request.protocol === 'https'));
      return reply.status(204).send(null);
    },
  });
};
