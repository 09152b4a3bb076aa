import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { INCIDENT_SORT_KEYS, type IncidentListRow, listIncidents } from '@stride/db';
import { httpUrlOrNull, type IncidentItem, type IncidentListQuery } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { sendCsv } from '../../lib/csv-reply.ts';
import { endpoint } from '../../lib/endpoint.ts';
import { iso, resolveListQuery, toListPage } from '../../lib/list-query.ts';

const toItem = (row: IncidentListRow): IncidentItem => ({
  ...row,
  startedAt: row.startedAt.toISOString(),
  resolvedAt: iso(row.resolvedAt),
  // Rows stored before links were checked on the way in may hold another scheme.
  url: httpUrlOrNull(row.url),
  causedBy: row.causedBy && { ...row.causedBy, url: httpUrlOrNull(row.causedBy.url) },
});

async function fetchIncidents(app: FastifyInstance, query: IncidentListQuery, csv: boolean) {
  const { period, scope, window } = await resolveListQuery(
    app,
    query,
    INCIDENT_SORT_KEYS,
    query.dateField === 'resolved' ? 'resolvedAt' : 'startedAt',
    csv,
  );
  const result = await listIncidents(
    app.db,
    {
      scope,
      from: period.from,
      to: period.to,
      dateField: query.dateField,
      caused: query.caused,
      resolved: query.resolved,
    },
    window,
  );
  return toListPage(result, toItem, query, window, csv);
}

const COLUMNS = [
  'id',
  'source',
  'key',
  'title',
  'repository',
  'team',
  'started_at',
  'resolved_at',
  'recovery_seconds',
  'caused_by_deployment_id',
  'caused_by_repository',
  'caused_by_environment',
  'caused_by_commit',
  'caused_by_deployed_at',
  'url',
];

/** `GET /api/incidents` (+ `.csv`): the incidents behind a figure. */
export const incidentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/incidents', 'GET'),
    handler: (req) => fetchIncidents(app, req.query, false),
  });
  app.route({
    ...endpoint('/api/incidents.csv', 'GET'),
    handler: async (req, reply) => {
      const { items } = await fetchIncidents(app, req.query, true);
      return sendCsv(
        reply,
        'incidents.csv',
        COLUMNS,
        items.map((i) => [
          i.id,
          i.source,
          i.key,
          i.title,
          i.repository,
          i.team,
          i.startedAt,
          i.resolvedAt,
          i.recoverySeconds,
          i.causedByDeploymentId,
          i.causedBy?.repository,
          i.causedBy?.environment,
          i.causedBy?.sha,
          i.causedBy?.deployedAt,
          i.url,
        ]),
      );
    },
  });
};
