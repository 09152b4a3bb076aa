import type { Socket } from 'node:net';
import { isDatabaseUnavailableError, isDiskFullError, isStatementTimeoutError } from '@stride/db';
import { ERROR_STATUS, type ErrorBody, type ErrorCode, StrideError } from '@stride/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Error code of an HTTP status that reached the error handler without a StrideError. */
function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 414:
      return 'uri_too_long';
    case 429:
      return 'rate_limited';
    case 431:
      return 'header_fields_too_large';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}

/**
 * Headers of responses written before any route or hook runs (bad URL, URI too long, header
 * overflow): the same no-sniff / no-framing / no-script stance as helmet's on every other response.
 */
export const BARE_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * Fastify's `frameworkErrors`: errors raised by the router before a route is matched. A URL
 * that does not percent-decode is a 400 `bad_request`; a path parameter over the router's length
 * limit a 414 `uri_too_long`; all in the one error shape.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : 500;
  const message =
    status === 414
      ? 'URL: a path segment is longer than the server accepts'
      : status === 400
        ? 'URL: not a valid percent-encoded path'
        : 'internal error';
  const body: ErrorBody = { error: { code: codeOfStatus(status), message } };
  return reply.status(status).headers(BARE_SECURITY_HEADERS).send(body);
}

/**
 * Longest request target (path and query, as sent) the API reads, in bytes: a longer one is a
 * 414 `uri_too_long`. 8 KiB, like nginx's and Apache's default request-line limits; the
 * dashboard's longest URLs are well under 1 KiB.
 */
export const MAX_URL_LENGTH = 8192;

/** A request line at the start of a packet: a method token, a space, then the target. */
const REQUEST_LINE_START = /^[A-Z]{3,10} /;

/**
 * Whether a header overflow of Node's HTTP parser (request line and headers together over
 * `--max-http-header-size`, 16 KiB by default; the parser reports both as HPE_HEADER_OVERFLOW)
 * was caused by the request line: the packet being parsed starts a request whose first line,
 * up to its CRLF or the packet's end, is over MAX_URL_LENGTH. A request line that began in an
 * earlier packet (a later request of a kept-alive connection) cannot be seen and stays a 431.
 */
export function isRequestLineOverflow(rawPacket: unknown): boolean {
  if (!Buffer.isBuffer(rawPacket)) return false;
  if (!REQUEST_LINE_START.test(rawPacket.subarray(0, 16).toString('latin1'))) return false;
  const end = rawPacket.indexOf('\r\n');
  return (end === -1 ? rawPacket.length : end) > MAX_URL_LENGTH;
}

/**
 * Fastify's `clientErrorHandler`: errors of the HTTP parser, before any request exists (a request
 * line over MAX_URL_LENGTH that overflows the parser → 414, other header overflows → 431, a
 * malformed request → 400, a timeout → 408), in the one error shape.
 */
export function clientErrorHandler(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW' && isRequestLineOverflow(error.rawPacket)
      ? [414, 'uri_too_long', `URL: longer than the ${MAX_URL_LENGTH} bytes the server accepts`]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'header_fields_too_large', 'request headers are larger than the server accepts']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'bad_request', 'the request was not received in time']
          : [400, 'bad_request', 'malformed HTTP request'];
  const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  const headers = Object.entries({
    ...BARE_SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\n${headers}\r\n${body}`);
  socket.destroy(error);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
};

/**
 * The request's path as the SPA fallback compares it: percent-decoded, lower case, runs of
 * slashes made one (absolute-form targets included, and `//api/x` read as a path, not as a
 * protocol-relative URL of host `api`); undefined when it does not decode.
 */
export function decodedPath(url: string): string | undefined {
  try {
    const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url).pathname : url.split(/[?#]/, 1)[0]!;
    return decodeURIComponent(path)
      .replace(/\/{2,}/g, '/')
      .toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * One error model for every route: StrideError keeps its code; Fastify's schema validation
 * errors become `invalid_parameter` naming the parameter; anything else is a logged 500 whose
 * message does not leak internals.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance, options: { serveSpa?: boolean }) => {
  // Unknown routes are rate limited like the others (scans cost the scanner its budget).
  const notFoundOptions = app.hasDecorator('rateLimit') ? { preHandler: app.rateLimit() } : {};
  // While closing, a request that still arrives (e.g. pipelined on a kept-alive connection) is a
  // 503 in the one shape (Fastify's own 503 is a different shape: return503OnClosing is off).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request) => {
    if (closing) throw new StrideError('unavailable', 'the server is shutting down; retry shortly');
    // A target the parser accepted (request line and headers under 16 KiB) but over the limit.
    if (request.raw.url !== undefined && request.raw.url.length > MAX_URL_LENGTH) {
      throw new StrideError(
        'uri_too_long',
        `URL: longer than the ${MAX_URL_LENGTH} bytes the server accepts`,
      );
    }
  });
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
    // A full disk: nothing can be stored now. Senders (webhooks) retry after Retry-After; nothing
    // was half-written (the failing statement's transaction rolled back).
    if (isDiskFullError(error)) {
      request.log.error(
        { code: '53100', url: request.routeOptions.url },
        'database disk full: write refused',
      );
      const body: ErrorBody = {
        error: {
          code: 'storage_full',
          message: "the database's disk is full: nothing was stored; retry later",
        },
      };
      return reply.status(ERROR_STATUS.storage_full).header('retry-after', '60').send(body);
    }
    if (isStatementTimeoutError(error)) {
      request.log.warn({ url: request.routeOptions.url }, 'statement timeout');
      const body: ErrorBody = {
        error: {
          code: 'query_timeout',
          message: 'the figures took too long to compute; narrow the period or retry shortly',
        },
      };
      return reply.status(ERROR_STATUS.query_timeout).header('retry-after', '5').send(body);
    }
    if (error.validation) {
      const first = error.validation[0];
      const location = error.validationContext ?? 'request';
      const path = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      const params = first?.params as { missingProperty?: string; additionalProperty?: string } | undefined;
      // A missing field and an unknown one (additionalProperties: false) are named themselves.
      const field = params?.missingProperty ?? params?.additionalProperty;
      const name = [path, field].filter(Boolean).join('.') || location;
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
            : params?.additionalProperty !== undefined
              ? 'is not a known field'
              : (first?.message ?? 'is invalid');
      const body: ErrorBody = { error: { code: 'invalid_parameter', message: `${name}: ${reason}` } };
      return reply.status(400).send(body);
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    const code = codeOfStatus(status);
    const message = status >= 500 ? 'internal error' : error.message;
    return reply
      .status(status === 500 ? ERROR_STATUS.internal : status)
      .send({ error: { code, message } } satisfies ErrorBody);
  });
  app.setNotFoundHandler(notFoundOptions, (request, reply) => {
    // Client-side routes of the dashboard: a GET outside /api and /docs (as decoded, so that
    // `/%61pi/x` is a JSON 404 too) gets the SPA's index.html, which holds no data.
    const path = decodedPath(request.url);
    if (
      options.serveSpa &&
      request.method === 'GET' &&
      path !== undefined &&
      path !== '/api' &&
      !path.startsWith('/api/') &&
      !path.startsWith('/docs')
    ) {
      return reply.sendFile('index.html');
    }
    const body: ErrorBody = {
      error: {
        code: 'not_found',
        message: `route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)} was not found`,
      },
    };
    return reply.status(404).send(body);
  });
});
