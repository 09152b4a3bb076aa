import { cancelQueryScope, QueryScope, runInQueryScope } from '@stride/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Each request runs in its own `QueryScope` (the connections its statements hold). When the
 * client goes away before the answer is complete (closed tab, timed-out load balancer), the
 * statements still running for it are cancelled, so abandoned aggregates stop costing the
 * database. With `statement_timeout` on the API's pool (STATEMENT_TIMEOUT_MS) this bounds every
 * statement a request starts.
 */
export const queryCancellation = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (request, reply, done) => {
    const scope = new QueryScope();
    reply.raw.once('close', () => {
      if (reply.raw.writableFinished || scope.backendPids.size === 0) return;
      cancelQueryScope(app.db, scope).then(
        (cancelled) => {
          if (cancelled > 0) request.log.info({ cancelled }, 'client went away: its queries were cancelled');
        },
        (error: unknown) =>
          request.log.warn({ err: error }, 'could not cancel the queries of a closed request'),
      );
    });
    // The rest of the request's lifecycle (hooks, handler) runs inside the scope.
    runInQueryScope(scope, done);
  });
});
