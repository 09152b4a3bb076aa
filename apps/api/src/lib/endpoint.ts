import { type EndpointPath, type Endpoints, endpoints } from '@stride/shared';

/**
 * The route options of an endpoint of the map in `@stride/shared` (`endpoints`): its URL, method,
 * schema (validation, serialisation, OpenAPI) and declared access level, so that a route is
 * registered from exactly the contract the dashboard is typed by.
 * Use: `app.route({ ...endpoint('/api/teams', 'GET'), handler })`.
 */
export function endpoint<P extends EndpointPath, M extends keyof Endpoints[P] & string>(path: P, method: M) {
  const spec = endpoints[path][method] as Endpoints[P][M] & { access: string; schema: unknown };
  return {
    url: path,
    method,
    schema: spec.schema as Endpoints[P][M] extends { schema: infer S } ? S : never,
    config: { access: spec.access as Endpoints[P][M] extends { access: infer A } ? A : never },
  };
}
