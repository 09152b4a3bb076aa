import { isDatabaseUnavailableError } from '@stride/db';
import { ERROR_STATUS, type ErrorBody, StrideError } from '@stride/shared';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * One error model for every route: StrideError keeps its code; Fastify's schema validation
 * errors become `invalid_parameter` naming the parameter; anything else is a logged 500 whose
 * message does not leak internals.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance, options: { serveSpa?: boolean }) => {
  app.setErrorHandler((error: FastifyError | StrideError, request, reply) => {
    if (error instanceof StrideError) {
      if (error.code === 'database_unavailable') reply.header('retry-after', '5');
      return reply.status(error.status).send(error.toBody());
    }
    // The database restarting or failing over: a 503 to retry, not a 500, and no stack in the log.
    if (isDatabaseUnavailableError(error)) {
      request.log.warn({ code: (error as { code?: string }).code }, 'database unavailable');
      const body: ErrorBody = {
        error: { code: 'database_unavailable', message: 'the database is unavailable; retry shortly' },
      };
      return reply.status(ERROR_STATUS.database_unavailable).header('retry-after', '5').send(body);
    }
    if (error.validation) {
      const first = error.validation[0];
      const location = error.validationContext ?? 'request';
      const path = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      const name = [path, missing].filter(Boolean).join('.') || location;
      // A union of literals (e.g. granularity) fails once per member: list the allowed values.
      const allowed = error.validation
        .filter((v) => v.instancePath === first?.instancePath && v.keyword === 'const')
        .map((v) => String((v.params as { allowedValue?: unknown }).allowedValue));
      // A date that may also be a date-time fails once per format: name both.
      const formats = error.validation
        .filter((v) => v.instancePath === first?.instancePath && v.keyword === 'format')
        .map((v) => String((v.params as { format?: unknown }).format));
      const reason =
        allowed.length > 0
          ? `must be one of ${allowed.join(', ')}`
          : formats.length > 0
            ? `must be an ISO ${formats.join(' or ')}`
            : (first?.message ?? 'is invalid');
      const body: ErrorBody = { error: { code: 'invalid_parameter', message: `${name}: ${reason}` } };
      return reply.status(400).send(body);
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    const code =
      status === 429
        ? 'rate_limited'
        : status === 404
          ? 'not_found'
          : status === 413
            ? 'payload_too_large'
            : status >= 500
              ? 'internal'
              : 'bad_request';
    const message = status >= 500 ? 'internal error' : error.message;
    return reply
      .status(status === 500 ? ERROR_STATUS.internal : status)
      .send({ error: { code, message } } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the dashboard: a GET outside /api and /docs gets the SPA's index.html.
    if (
      options.serveSpa &&
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      !request.url.startsWith('/docs')
    ) {
      return reply.sendFile('index.html');
    }
    const body: ErrorBody = {
      error: {
        code: 'not_found',
        message: `route ${request.method} ${request.url.split('?')[0]} was not found`,
      },
    };
    return reply.status(404).send(body);
  });
});
