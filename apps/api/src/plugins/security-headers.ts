import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Content-Security-Policy of every response. The dashboard (Vite build) and the API docs
 * (@fastify/swagger-ui, whose page loads its initializer as a file) run from same-origin
 * files only: no inline or eval'd script, no inline `<style>` elements (React sets styles
 * through the DOM, which CSP does not govern), images also as data:/blob: URLs (chart
 * exports, Swagger's icons), no framing by anyone.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/** HSTS value sent on responses served over TLS (directly or via a trusted proxy). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * @fastify/helmet on every response: the CSP above, `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`; and `Strict-Transport-Security` only
 * when the request came over TLS (`request.protocol`, which honours X-Forwarded-Proto only with
 * TRUST_PROXY), since HSTS over plain HTTP is meaningless and would pin a local http setup.
 */
export const securityHeaders = fp(async (app: FastifyInstance) => {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    hsts: false,
    // Swagger UI and the dashboard load nothing cross-origin; keep the cross-origin isolation
    // headers helmet sets by default.
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
});
