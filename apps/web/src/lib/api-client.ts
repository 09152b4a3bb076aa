import type { GetPath, JsonGetPath, ParamsOf, QueryOf, ResponseOf } from '@stride/shared';

/** Error of an API call, carrying the `{ error: { code, message } }` body of the API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * A request to a GET path of the endpoint map: its path parameters (required when the path has
 * some) and its query, both typed by the contract's schemas.
 */
export type ApiRequest<P extends GetPath> = (ParamsOf<P> extends undefined
  ? { params?: undefined }
  : { params: ParamsOf<P> }) & { query?: QueryOf<P> };

/** `[request]`, optional when the path has no parameters. */
type RequestArgs<P extends GetPath> =
  ParamsOf<P> extends undefined ? [request?: ApiRequest<P>] : [request: ApiRequest<P>];

/**
 * The URL of a GET path of the endpoint map (e.g. `/api/teams/:team/dora`): path parameters
 * URL-encoded in place, then the defined, non-empty query parameters.
 */
export function apiUrl<P extends GetPath>(path: P, ...[request]: RequestArgs<P>): string {
  const params = (request?.params ?? {}) as Record<string, string>;
  const url = path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((request?.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return `${url}${qs ? `?${qs}` : ''}`;
}

async function apiError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON (proxy error page): keep the status text.
  }
  return new ApiError(response.status, code, message);
}

/**
 * GETs a JSON path of the endpoint map; the answer has the type of the path's 200 schema.
 * @throws ApiError with the body's code and message (or the HTTP status text when the body is not
 *   the API's error shape)
 */
export async function apiGet<P extends JsonGetPath>(
  path: P,
  request: ApiRequest<P> | undefined,
  signal?: AbortSignal,
): Promise<ResponseOf<P>> {
  const url = (apiUrl as (path: P, request?: ApiRequest<P>) => string)(path, request);
  const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) throw await apiError(response);
  // The API serialises with the same schema (fast-json-stringify), so the body has its shape.
  return (await response.json()) as ResponseOf<P>;
}

/**
 * Sends a body-carrying request (`POST`, `DELETE`) to an API path, ignoring the answer's body.
 * @throws ApiError like `apiGet`
 */
export async function apiSend(
  method: 'POST' | 'DELETE',
  path: '/api/session',
  body?: unknown,
): Promise<void> {
  const response = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw await apiError(response);
}

/**
 * Sends an admin's change (`POST`, `PUT`, `DELETE`) to an API path with a JSON body; the session
 * cookie goes along (same origin), and the API decides whether the caller may.
 * @returns the answer's JSON body, or null for 204
 * @throws ApiError like `apiGet` (401/403 when the session is not an admin's, 400 naming a field)
 */
export async function apiWrite<T = unknown>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T | null> {
  const response = await fetch(path, {
    method,
    headers:
      body === undefined
        ? { accept: 'application/json' }
        : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await apiError(response);
  if (response.status === 204) return null;
  return (await response.json()) as T;
}
