/**
 * The endpoint map of the HTTP API: path → method → access level and route schema (params,
 * querystring, body, responses by status, OpenAPI tags and texts). The API registers each route
 * with exactly this entry (`schema` and `config.access`); the dashboard's `apiGet` takes its
 * path-parameter, query and response types from it. Adding a route = adding an entry here.
 */
import { type Static, Type as T, type TOptional, type TSchema } from '@sinclair/typebox';
import { adminEndpoints } from './admin.ts';
import { TeamAgreementsSchema } from './agreements.ts';
import {
  AiImpactChangeSchema,
  AiImpactChangesQuerySchema,
  AiImpactQuerySchema,
  AiImpactSchema,
} from './ai-impact.ts';
import { AnnotationListSchema, AnnotationQuerySchema } from './annotations.ts';
import { ChangeItemSchema, ChangeListQuerySchema } from './changes.ts';
import {
  ErrorBodySchema,
  MetricsQuerySchema,
  pageOf,
  RepositoryParamsSchema,
  TeamParamsSchema,
} from './common.ts';
import { DeploymentItemSchema, DeploymentListQuerySchema } from './deployments.ts';
import { DigestPreviewSchema, DigestQuerySchema } from './digest.ts';
import { DoraSummarySchema, TeamsDoraOverviewSchema, TeamsDoraSchema } from './dora.ts';
import { GoalPeriodQuerySchema, GoalStatusListSchema, TeamsGoalStatusSchema } from './goals.ts';
import { HealthSchema } from './health.ts';
import { IncidentItemSchema, IncidentListQuerySchema } from './incidents.ts';
import { SessionSchema } from './session.ts';
import { SyncStatusSchema } from './sync-status.ts';
import { TeamHealthSchema, TeamListSchema } from './teams.ts';
import { webhookEndpoints } from './webhooks.ts';

/**
 * Who may call a route: `public` (anyone), `viewer` (a viewer or admin token or session; open
 * while no such token exists), `admin` (an admin token or session), `webhook` (a webhook token).
 */
export type Access = 'public' | 'viewer' | 'admin' | 'webhook';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route: its access level and its Fastify/OpenAPI schema. */
export interface EndpointSpec {
  access: Access;
  schema: {
    tags: readonly string[];
    summary: string;
    description?: string;
    security?: readonly Readonly<Record<string, readonly string[]>>[];
    produces?: readonly string[];
    params?: TSchema;
    headers?: TSchema;
    querystring?: TSchema;
    body?: TSchema;
    response: Readonly<Record<number, unknown>>;
  };
}

/** OpenAPI description of a CSV download (the body is not JSON, so no TypeBox schema). */
export const CsvResponse = {
  200: {
    description: 'RFC 4180 CSV with a header row',
    content: { 'text/csv': { schema: { type: 'string' } } },
  },
} as const;

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema } as const;
const csv = { tags: ['export'], produces: ['text/csv'], response: CsvResponse } as const;

const doraDescription =
  'The five DORA metrics for the period [from, to) with p50/p90 for durations, n, performance level (benchmark 2023 or 2024 boundaries), trend against the previous period of equal length and a series per bucket. Definitions: docs/metrics.md.';
const deploymentsDescription =
  'Production deployments with deployed_at in [from, to) of the org, a team (owner of the repository) or a repository. failed=true lists the change-failure-rate numerator, unplanned=true the rework-rate numerator. Sort keys: deployedAt, repository, changes.';
const changesDescription =
  'Changes merged into the default branch with merged_at (dateField=merged, default) or deployed_at (dateField=deployed) in [from, to); team = author a member on the day of the merge. withLeadTime=true&dateField=deployed lists the change lead time sample; reviewed=false the PRs merged without review; state=open the work in progress at `to` (stale=true: opened over 7 days before). Bots are excluded unless includeBots=true. Each item carries its cycle-time phases (coding, pickup, review, deploy); open PRs also their age, requested reviewers, CI state and who they wait on (review, author, ci). Sort keys: mergedAt, deployedAt, openedAt, leadTime, size, number, codingTime, pickupTime, reviewTime, deployTime.';
const incidentsDescription =
  'Incidents with started_at (dateField=started, default: incident load) or resolved_at (dateField=resolved) in [from, to) of the org, a team or a repository. dateField=resolved&caused=true&resolved=true lists the failed deployment recovery time sample. Sort keys: startedAt, resolvedAt, recovery.';

const aiImpactDescription =
  'Changes merged in [from, to) by AI class (agent, assisted, none; unclassified = commits not read), adoption share per bucket, and AI-assisted vs none compared on coding/pickup/review/deploy time (p50, p90, n), PR size, review rounds, revert rate and failed-deployment rate, each difference with a 95 % percentile-bootstrap interval (seeded), also within PR-size bands; null with enoughData=false under minSamples per side. Team level only. Observational: see caveats. Definitions: docs/metrics.md, AI impact.';
const aiChangesDescription =
  'The changes merged in [from, to) of the org or a team behind an AI-impact figure: group ai (agent + assisted), none, agent, assisted, unclassified, or before/after the team’s adoption (team required); band = PR-size band. Ordered by merge time, newest first. No author column: team level only.';

export const endpoints = {
  '/api/health': {
    GET: {
      access: 'public',
      schema: {
        tags: ['system'],
        summary: 'Liveness and database readiness',
        security: [],
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
  },
  '/api/session': {
    GET: {
      access: 'public',
      schema: {
        tags: ['access'],
        security: [],
        summary: "Whether reads are open and the caller's role",
        response: { 200: SessionSchema },
      },
    },
    POST: {
      access: 'public',
      schema: {
        tags: ['access'],
        security: [],
        summary: 'Exchange a viewer or admin token for an httpOnly session cookie',
        body: T.Object({ token: T.String({ minLength: 1 }) }),
        response: { 200: SessionSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
    DELETE: {
      access: 'public',
      schema: {
        tags: ['access'],
        security: [],
        summary: 'End the session (revokes its token)',
        response: { 204: T.Null() },
      },
    },
  },
  '/api/sync-status': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['system'],
        summary: 'Last sync per source, errors, rate limit, demo flag',
        response: { 200: SyncStatusSchema, 401: ErrorBodySchema },
      },
    },
  },
  '/api/teams': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['teams'],
        summary: 'Teams with their members today, repositories and Jira projects',
        response: { 200: TeamListSchema, 401: ErrorBodySchema },
      },
    },
  },
  '/api/teams.csv': { GET: { access: 'viewer', schema: { ...csv, summary: 'Teams as CSV' } } },
  '/api/teams/:team/health': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['teams'],
        summary:
          'Team health: cycle-time phases, PR size, throughput, WIP, review load, size, bus factor, unplanned work, out-of-hours, incidents',
        params: TeamParamsSchema,
        querystring: MetricsQuerySchema,
        response: { 200: TeamHealthSchema, ...errors },
      },
    },
  },
  '/api/teams/:team/health.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'Team health figures and throughput series as CSV',
        params: TeamParamsSchema,
        querystring: MetricsQuerySchema,
      },
    },
  },
  '/api/org/dora': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['dora'],
        summary: 'DORA metrics of the whole org',
        description: doraDescription,
        querystring: MetricsQuerySchema,
        response: { 200: DoraSummarySchema, ...errors },
      },
    },
  },
  '/api/org/dora.csv': {
    GET: {
      access: 'viewer',
      schema: { ...csv, summary: 'DORA series of the org as CSV', querystring: MetricsQuerySchema },
    },
  },
  '/api/teams/dora': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['dora'],
        summary: "Every team's DORA metrics in one request",
        description: `${doraDescription} One summary per team, each equal to GET /api/teams/:team/dora for the same query, computed for all teams at once.`,
        querystring: MetricsQuerySchema,
        response: { 200: TeamsDoraSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
  },
  '/api/teams/dora-overview': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['dora'],
        summary: "Every team's DORA headlines and series in one compact request (org overview)",
        description: `${doraDescription} The figures of GET /api/teams/dora for the same query (headline, n, level, trend per metric and team), each series as value and n columns over one shared bucket list and without per-point p90: about a quarter of the bytes, for the overview's table.`,
        querystring: MetricsQuerySchema,
        response: { 200: TeamsDoraOverviewSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
  },
  '/api/teams/:team/dora': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['dora'],
        summary: 'DORA metrics of a team',
        description: doraDescription,
        params: TeamParamsSchema,
        querystring: MetricsQuerySchema,
        response: { 200: DoraSummarySchema, ...errors },
      },
    },
  },
  '/api/org/goals': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['goals'],
        summary:
          'Org goals and their status in the period: met, at risk (heading the wrong way), missed, with n',
        querystring: GoalPeriodQuerySchema,
        response: { 200: GoalStatusListSchema, ...errors },
      },
    },
  },
  '/api/teams/goals': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['goals'],
        summary: "Every team's goals and their status in the period in one request",
        description:
          'One entry per team (ordered as GET /api/teams; goals empty when the team has none), each goal as GET /api/teams/:team/goals gives it: met, at risk (heading the wrong way), missed, no data or not started, with the value, the previous value and n. Definitions: docs/metrics.md, Goals.',
        querystring: GoalPeriodQuerySchema,
        response: { 200: TeamsGoalStatusSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
  },
  '/api/teams/:team/goals': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['goals'],
        summary: "A team's goals and their status in the period: met, at risk, missed, with n",
        params: TeamParamsSchema,
        querystring: GoalPeriodQuerySchema,
        response: { 200: GoalStatusListSchema, ...errors },
      },
    },
  },
  '/api/annotations': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['annotations'],
        summary:
          'Events that explain a line (reorg, tool adoption, freeze, postmortem; membership changes, severe incidents, goals set: on their start date, else the day they were created) in the period',
        querystring: AnnotationQuerySchema,
        response: { 200: AnnotationListSchema, ...errors },
      },
    },
  },
  '/api/org/digest': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['goals'],
        summary: 'Preview of the weekly org digest as it would be sent (subject, text, HTML)',
        querystring: DigestQuerySchema,
        response: { 200: DigestPreviewSchema, ...errors },
      },
    },
  },
  '/api/teams/:team/digest': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['goals'],
        summary: "Preview of a team's pre-retro digest as it would be sent (subject, text, HTML)",
        params: TeamParamsSchema,
        querystring: DigestQuerySchema,
        response: { 200: DigestPreviewSchema, ...errors },
      },
    },
  },
  '/api/teams/:team/agreements': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['goals'],
        summary:
          "A team's working agreements checked on its PRs (pickup in business hours, days open, open PRs per person, size): the PRs that broke them",
        params: TeamParamsSchema,
        querystring: GoalPeriodQuerySchema,
        response: { 200: TeamAgreementsSchema, ...errors },
      },
    },
  },
  '/api/teams/:team/dora.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'DORA series of a team as CSV',
        params: TeamParamsSchema,
        querystring: MetricsQuerySchema,
      },
    },
  },
  '/api/repositories/:repo/dora': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['dora'],
        summary: 'DORA metrics of a repository',
        description: doraDescription,
        params: RepositoryParamsSchema,
        querystring: MetricsQuerySchema,
        response: { 200: DoraSummarySchema, ...errors },
      },
    },
  },
  '/api/repositories/:repo/dora.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'DORA series of a repository as CSV',
        params: RepositoryParamsSchema,
        querystring: MetricsQuerySchema,
      },
    },
  },
  '/api/deployments': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['drill-down'],
        summary: 'Deployments behind a figure',
        description: deploymentsDescription,
        querystring: DeploymentListQuerySchema,
        response: { 200: pageOf(DeploymentItemSchema), ...errors },
      },
    },
  },
  '/api/deployments.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'Deployments as CSV (all rows, no paging)',
        description: deploymentsDescription,
        querystring: DeploymentListQuerySchema,
      },
    },
  },
  '/api/changes': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['drill-down'],
        summary: 'Changes behind a figure',
        description: changesDescription,
        querystring: ChangeListQuerySchema,
        response: { 200: pageOf(ChangeItemSchema), ...errors },
      },
    },
  },
  '/api/changes.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'Changes as CSV (all rows, no paging)',
        description: changesDescription,
        querystring: ChangeListQuerySchema,
      },
    },
  },
  '/api/incidents': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['drill-down'],
        summary: 'Incidents behind a figure',
        description: incidentsDescription,
        querystring: IncidentListQuerySchema,
        response: { 200: pageOf(IncidentItemSchema), ...errors },
      },
    },
  },
  '/api/incidents.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'Incidents as CSV (all rows, no paging)',
        description: incidentsDescription,
        querystring: IncidentListQuerySchema,
      },
    },
  },
  '/api/ai-impact': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['ai-impact'],
        summary:
          'AI impact of the org: adoption, AI-assisted vs other changes, each team with its before/after',
        description: aiImpactDescription,
        querystring: AiImpactQuerySchema,
        response: { 200: AiImpactSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
  },
  '/api/ai-impact.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'AI impact comparisons of the org and every team as CSV',
        description: aiImpactDescription,
        querystring: AiImpactQuerySchema,
      },
    },
  },
  '/api/teams/:team/ai-impact': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['ai-impact'],
        summary: 'AI impact of a team: adoption, AI-assisted vs other changes, before/after its adoption',
        description: aiImpactDescription,
        params: TeamParamsSchema,
        querystring: AiImpactQuerySchema,
        response: { 200: AiImpactSchema, ...errors },
      },
    },
  },
  '/api/teams/:team/ai-impact.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'AI impact comparisons of a team as CSV',
        description: aiImpactDescription,
        params: TeamParamsSchema,
        querystring: AiImpactQuerySchema,
      },
    },
  },
  '/api/ai-impact/changes': {
    GET: {
      access: 'viewer',
      schema: {
        tags: ['ai-impact'],
        summary: 'The changes behind an AI-impact figure, with their AI class and evidence',
        description: aiChangesDescription,
        querystring: AiImpactChangesQuerySchema,
        response: { 200: pageOf(AiImpactChangeSchema), ...errors },
      },
    },
  },
  '/api/ai-impact/changes.csv': {
    GET: {
      access: 'viewer',
      schema: {
        ...csv,
        summary: 'The changes behind an AI-impact figure as CSV (all rows)',
        description: aiChangesDescription,
        querystring: AiImpactChangesQuerySchema,
      },
    },
  },
  ...adminEndpoints,
  ...webhookEndpoints,
} as const satisfies Record<string, Partial<Record<HttpMethod, EndpointSpec>>>;

export type Endpoints = typeof endpoints;
export type EndpointPath = keyof Endpoints;

type GetSpec<P extends EndpointPath> = Endpoints[P] extends { GET: infer E } ? E : never;
type GetSchema<P extends EndpointPath> = GetSpec<P> extends { schema: infer S } ? S : never;

/** Paths with a GET route (JSON or CSV). */
export type GetPath = {
  [P in EndpointPath]: Endpoints[P] extends { GET: unknown } ? P : never;
}[EndpointPath];
/** Paths whose GET answers JSON described by a TypeBox schema. */
export type JsonGetPath = {
  [P in GetPath]: GetSchema<P> extends { response: { 200: TSchema } } ? P : never;
}[GetPath];

/** Path parameters of a GET path (`undefined` when it has none). */
export type ParamsOf<P extends GetPath> =
  GetSchema<P> extends { params: infer S extends TSchema } ? Static<S> : undefined;
/** Query of a GET path (`undefined` when it takes none). */
export type QueryOf<P extends GetPath> =
  GetSchema<P> extends { querystring: infer S extends TSchema } ? Static<S> : undefined;
/** The 200 body of a JSON GET path. */
export type ResponseOf<P extends JsonGetPath> =
  GetSchema<P> extends { response: { 200: infer S extends TSchema } } ? Static<S> : never;

/** Methods that change something (the dashboard sends them with `apiSend`). */
export type SendMethod = Exclude<HttpMethod, 'GET'>;

type SpecOf<P extends EndpointPath, M extends HttpMethod> = Endpoints[P] extends {
  [K in M]: infer E;
}
  ? E
  : never;
type SchemaOf<P extends EndpointPath, M extends HttpMethod> =
  SpecOf<P, M> extends { schema: infer S } ? S : never;

/** The change methods of a path that a browser session may call (webhook routes excluded). */
export type SendMethodOf<P extends EndpointPath> = {
  [M in SendMethod]: SpecOf<P, M> extends { access: infer A } ? (A extends 'webhook' ? never : M) : never;
}[SendMethod];
/** Paths with at least one change method a browser session may call. */
export type SendPath = {
  [P in EndpointPath]: SendMethodOf<P> extends never ? never : P;
}[EndpointPath];

/** Path parameters of a change route (`undefined` when it has none). */
export type SendParamsOf<P extends SendPath, M extends SendMethodOf<P>> =
  SchemaOf<P, M> extends { params: infer S extends TSchema } ? Static<S> : undefined;
/**
 * Body of a change route: `undefined` when it takes none, `| undefined` when the body itself is
 * optional (`T.Optional`).
 */
export type BodyOf<P extends SendPath, M extends SendMethodOf<P>> =
  SchemaOf<P, M> extends { body: infer S extends TSchema }
    ? S extends TOptional<TSchema>
      ? Static<S> | undefined
      : Static<S>
    : undefined;
/**
 * The success body of a change route: its 200, 201 or 202 schema, or `null` for a 204.
 */
export type SendResponseOf<P extends SendPath, M extends SendMethodOf<P>> =
  SchemaOf<P, M> extends { response: infer R }
    ? R extends { 200: infer S extends TSchema }
      ? Static<S>
      : R extends { 201: infer S extends TSchema }
        ? Static<S>
        : R extends { 202: infer S extends TSchema }
          ? Static<S>
          : null
    : never;
