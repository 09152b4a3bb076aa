import pino, { type Logger } from 'pino';

/**
 * The collector's logger (pino, JSON lines). Tokens must never be logged: request headers that
 * carry them are redacted, and sources log URLs, never headers.
 */
export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    redact: ['headers.authorization', 'request.headers.authorization', '*.token', 'token', 'password'],
  });
}
export type { Logger };
