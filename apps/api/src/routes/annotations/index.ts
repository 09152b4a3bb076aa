import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type AnnotationInput,
  type AnnotationRow,
  createAnnotation,
  deleteAnnotation,
  listAutomaticAnnotationSources,
  listGoals,
  listStoredAnnotations,
  listTeams,
  updateAnnotation,
} from '@stride/db';
import { describeGoal, severityRank } from '@stride/metrics';
import {
  type Annotation,
  type AnnotationBody,
  type AnnotationKind,
  AUTOMATIC_ANNOTATION_KINDS,
  invalidParameter,
  MANUAL_ANNOTATION_KINDS,
  notFound,
} from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { endpoint } from '../../lib/endpoint.ts';
import { resolvePeriod } from '../../lib/metrics-query.ts';
import { lastDayOf } from '../../lib/scope.ts';

const KINDS: readonly string[] = [...MANUAL_ANNOTATION_KINDS, ...AUTOMATIC_ANNOTATION_KINDS];

/** Reads `kind=a,b`. @throws StrideError invalid_parameter naming `kind` */
function parseKinds(value: string | undefined): Set<AnnotationKind> | null {
  if (value === undefined || value.trim() === '') return null;
  const kinds = value.split(',').map((k) => k.trim());
  const unknown = kinds.find((k) => !KINDS.includes(k));
  if (unknown !== undefined) throw invalidParameter('kind', `'${unknown}' is not one of ${KINDS.join(', ')}`);
  return new Set(kinds as AnnotationKind[]);
}

/**
 * The events of a period (docs/metrics.md, "Annotations"), ordered by date: stored ones (config
 * and admin), and automatic ones: membership changes (the dated members), incidents of the
 * configured severity rank or worse, goals set (on their start date, else the day they were
 * stored). With a team: the org-wide events and the
 * team's own; without: the org-wide events and the org goals set.
 * @throws StrideError invalid_parameter (period, kind), not_found (team)
 */
export async function listAnnotations(
  app: FastifyInstance,
  query: {
    team?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    kind?: string | undefined;
  },
): Promise<Annotation[]> {
  const period = resolvePeriod(query, new Date());
  const kinds = parseKinds(query.kind);
  const from = period.from.toISOString().slice(0, 10);
  const to = lastDayOf(period.to);
  const team = query.team;
  if (team !== undefined) {
    const [known] = await listTeams(app.db, to, team);
    if (!known) throw notFound('team', team);
  }
  const maxRank = app.strideConfig.automaticAnnotations?.incidentSeverity ?? 2;
  const [stored, automatic, goals] = await Promise.all([
    listStoredAnnotations(app.db, { from, to, teamSlug: team ?? null }),
    team === undefined
      ? { membershipChanges: [], incidents: [] }
      : listAutomaticAnnotationSources(app.db, { from, to, teamSlug: team }),
    listGoals(app.db, { teamSlug: team ?? null }),
  ]);
  const out: Annotation[] = stored.map((a) => ({
    id: a.id,
    kind: a.kind as AnnotationKind,
    title: a.title,
    team: a.teamSlug,
    date: a.startsOn,
    endDate: a.endsOn,
    origin: a.origin,
  }));
  if (team !== undefined) {
    for (const m of automatic.membershipChanges) {
      out.push({
        id: `membership:${m.teamSlug}:${m.date}:${m.change}:${m.member}`,
        kind: 'membership',
        title: `${m.member} ${m.change} the team`,
        team: m.teamSlug,
        date: m.date,
        endDate: null,
        origin: 'automatic',
      });
    }
  }
  // Org charts keep to org-wide events: every team's incidents would bury their lines.
  for (const i of team === undefined ? [] : automatic.incidents) {
    const rank = severityRank(i.severity);
    if (rank === null || rank > maxRank) continue;
    out.push({
      id: `incident:${i.key}`,
      kind: 'incident',
      title: `${i.severity} incident ${i.key}: ${i.title}`,
      team: i.teamSlug,
      date: i.date,
      endDate: null,
      origin: 'automatic',
    });
  }
  for (const g of goals) {
    // A goal set from a start date is drawn there; otherwise on the day it was stored (a config
    // goal: the first sync that saw it).
    const date = g.startDate ?? g.createdAt.toISOString().slice(0, 10);
    if (date < from || date > to) continue;
    out.push({
      id: `goal:${g.id}`,
      kind: 'goal',
      title: `Goal set: ${describeGoal(g)}`,
      team: g.teamSlug,
      date,
      endDate: null,
      origin: 'automatic',
    });
  }
  return out
    .filter((a) => kinds === null || kinds.has(a.kind))
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

/** A stored annotation as the API serves it. */
function toAnnotation(row: AnnotationRow): Annotation {
  return {
    id: row.id,
    kind: row.kind as AnnotationKind,
    title: row.title,
    team: row.teamSlug,
    date: row.startsOn,
    endDate: row.endsOn,
    origin: row.origin,
  };
}

/**
 * An admin's event body checked: a team that exists on the event's day, an end not before its
 * start. @throws StrideError invalid_parameter naming `team` or `endDate`
 */
async function readAnnotationBody(app: FastifyInstance, body: AnnotationBody): Promise<AnnotationInput> {
  const teamSlug = body.team ?? null;
  if (teamSlug !== null) {
    const [known] = await listTeams(app.db, body.date, teamSlug);
    if (!known) throw invalidParameter('team', `unknown team '${teamSlug}'`);
  }
  const endDate = body.endDate ?? null;
  if (endDate !== null && endDate < body.date) throw invalidParameter('endDate', 'must not be before date');
  return { teamSlug, kind: body.kind, title: body.title, startsOn: body.date, endsOn: endDate };
}

/**
 * `GET /api/annotations` (viewer) and the admin's `GET|POST /api/admin/annotations`,
 * `PUT|DELETE /api/admin/annotations/:id` (admin events only; config events change in the file:
 * an unknown id or a config event's is a 404).
 */
export const annotationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/annotations', 'GET'),
    handler: async (req) => ({ annotations: await listAnnotations(app, req.query) }),
  });
  app.route({
    ...endpoint('/api/admin/annotations', 'GET'),
    handler: async () => ({
      annotations: (await listStoredAnnotations(app.db, { from: '0001-01-01', to: '9999-12-31' })).map(
        toAnnotation,
      ),
    }),
  });
  app.route({
    ...endpoint('/api/admin/annotations', 'POST'),
    handler: async (req, reply) => {
      const row = await createAnnotation(app.db, await readAnnotationBody(app, req.body as AnnotationBody));
      return reply.status(201).send(toAnnotation(row));
    },
  });
  app.route({
    ...endpoint('/api/admin/annotations/:id', 'PUT'),
    handler: async (req) => {
      const input = await readAnnotationBody(app, req.body as AnnotationBody);
      const row = await updateAnnotation(app.db, req.params.id, input);
      if (!row) throw notFound('admin annotation', req.params.id);
      return toAnnotation(row);
    },
  });
  app.route({
    ...endpoint('/api/admin/annotations/:id', 'DELETE'),
    handler: async (req, reply) => {
      if (!(await deleteAnnotation(app.db, req.params.id))) throw notFound('admin annotation', req.params.id);
      return reply.status(204).send(null);
    },
  });
};
