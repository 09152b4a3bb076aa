import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino replaces by `[Redacted]`: credentials in request headers and in the request config
 * that HTTP errors carry (an axios error of jira.js has `config.headers.Authorization` and
 * `config.auth`; an Octokit RequestError has `request.headers.authorization`), at the top of a
 * log line and one or two levels down (`err.config…`, `err.cause.config…`).
 */
export const REDACTED_LOG_PATHS = [
  'token',
  'password',
  'apiToken',
  '*.token',
  '*.password',
  '*.apiToken',
  ...['headers', 'request.headers', 'config.headers', 'response.config.headers'].flatMap((h) => [
    `${h}.authorization`,
    `${h}.Authorization`,
    `*.${h}.authorization`,
    `*.${h}.Authorization`,
    `*.*.${h}.authorization`,
    `*.*.${h}.Authorization`,
  ]),
  'config.auth',
  '*.config.auth',
  '*.*.config.auth',
];

/**
 * The collector's logger (pino, JSON lines). Tokens must never be logged: the credentials that
 * requests and HTTP errors carry are redacted (REDACTED_LOG_PATHS), and sources log URLs, never
 * headers. `destination` defaults to stdout (tests capture it).
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = { level, redact: REDACTED_LOG_PATHS };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
