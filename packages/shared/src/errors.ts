/**
 * The one error type of Stride. Every failure that reaches a user carries a stable `code`; the
 * API maps the code to an HTTP status and answers `{ error: { code, message } }`.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_parameter: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  header_fields_too_large: 431,
  rate_limited: 429,
  invalid_config: 500,
  upstream_error: 502,
  database_unavailable: 503,
  storage_full: 503,
  query_timeout: 503,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export class StrideError extends Error {
  readonly code: ErrorCode;
  /** The offending parameter, field or config key path, when there is one. */
  readonly target: string | undefined;

  constructor(code: ErrorCode, message: string, options: { target?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StrideError';
    this.code = code;
    this.target = options.target;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** A 400 that names the bad parameter, e.g. `invalidParameter('from', 'must be an ISO date')`. */
export function invalidParameter(name: string, reason: string): StrideError {
  return new StrideError('invalid_parameter', `${name}: ${reason}`, { target: name });
}

export function notFound(what: string, id: string): StrideError {
  return new StrideError('not_found', `${what} '${id}' was not found`, { target: what });
}
