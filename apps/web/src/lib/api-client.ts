import type {
  BodyOf,
  GetPath,
  JsonGetPath,
  ParamsOf,
  QueryOf,
  ResponseOf,
  SendMethodOf,
  SendParamsOf,
  SendPath,
  SendResponseOf,
} from '@stride/shared';

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

/** A path of the endpoint map with its `:name` parameters URL-encoded in place. */
function fillPath(path: string, params: unknown): string {
  const values = new Map(typeof params === 'object' && params !== null ? Object.entries(params) : []);
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value: unknown = values.get(name);
    if (value === undefined) throw new Error(`${path}: path parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
}

/**
 * The URL of a GET path of the endpoint map (e.g. `/api/teams/:team/dora`): path parameters
 * URL-encoded in place, then the defined, non-empty query parameters.
 */
export function apiUrl<P extends GetPath>(path: P, ...[request]: RequestArgs<P>): string {
  const url = fillPath(path, request?.params);
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
 * A request to a change route of the endpoint map: its path parameters (required when the path
 * has some) and its JSON body (required when the route's body schema is), both typed by the
 * contract's schemas.
 */
export type SendRequest<P extends SendPath, M extends SendMethodOf<P>> = (SendParamsOf<P, M> extends undefined
  ? { params?: undefined }
  : { params: SendParamsOf<P, M> }) &
  (BodyOf<P, M> extends undefined
    ? { body?: undefined }
    : undefined extends BodyOf<P, M>
      ? { body?: BodyOf<P, M> }
      : { body: BodyOf<P, M> });

/** `[request]`, optional when the route needs neither path parameters nor a body. */
type SendArgs<P extends SendPath, M extends SendMethodOf<P>> =
  Partial<SendRequest<P, M>> extends SendRequest<P, M>
    ? [request?: SendRequest<P, M>]
    : [request: SendRequest<P, M>];

/**
 * Sends a change (`POST`, `PUT`, `PATCH`, `DELETE`) to a route of the endpoint map, e.g.
 * `apiSend('PUT', '/api/admin/goals/:id', { params: { id }, body })`: the method must be one the
 * path has, and the path parameters, body and answer are typed by that route's schemas. The
 * session cookie goes along (same origin); the API decides whether the caller may.
 * @returns the route's success body (its 200, 201 or 202 schema), or null for a 204
 * @throws ApiError like `apiGet` (401/403 when the session may not, 400 naming a field)
 */
export async function apiSend<P extends SendPath, M extends SendMethodOf<P>>(
  method: M,
  path: P,
  ...[request]: SendArgs<P, M>
): Promise<SendResponseOf<P, M>> {
  const body: unknown = request?.body;
  const response = await fetch(fillPath(path, request?.params), {
    method,
    headers:
      body === undefined
        ? { accept: 'application/json' }
        : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await apiError(response);
  // A 204 has no body; the others are serialised by the API with the route's schema.
  if (response.status === 204) return null as SendResponseOf<P, M>;
  return (await response.json()) as SendResponseOf<P, M>;
}
