/** `GET /api/incidents`: the incidents behind a figure. */
import { type Static, Type as T } from '@sinclair/typebox';
import { IsoDateTime, ListQuerySchema, NullableIsoDateTime, NullableNumber, QueryBoolean } from './common.ts';

/** The deployment an incident is attributed to, by repository, environment, commit and time. */
export const CausingDeploymentSchema = T.Object({
  id: T.String(),
  repository: T.String(),
  environment: T.String(),
  sha: T.Union([T.String(), T.Null()]),
  ref: T.Union([T.String(), T.Null()]),
  deployedAt: T.Union([IsoDateTime(), T.Null()]),
  url: T.Union([T.String(), T.Null()]),
});
export type CausingDeployment = Static<typeof CausingDeploymentSchema>;

export const IncidentItemSchema = T.Object({
  id: T.String(),
  source: T.String(),
  key: T.Union([T.String(), T.Null()]),
  title: T.String(),
  repository: T.Union([T.String(), T.Null()]),
  team: T.Union([T.String(), T.Null()]),
  startedAt: IsoDateTime(),
  resolvedAt: NullableIsoDateTime,
  recoverySeconds: NullableNumber,
  causedByDeploymentId: T.Union([T.String(), T.Null()]),
  causedBy: T.Union([CausingDeploymentSchema, T.Null()]),
  url: T.Union([T.String(), T.Null()]),
});
export type IncidentItem = Static<typeof IncidentItemSchema>;

export const IncidentListQuerySchema = T.Composite([
  ListQuerySchema,
  T.Object({
    dateField: T.Optional(
      T.Union([T.Literal('started'), T.Literal('resolved')], {
        description:
          'which time falls in [from, to): started (default, incident load) or resolved (recovery time)',
      }),
    ),
    caused: T.Optional({
      ...QueryBoolean,
      description: 'only incidents caused by a deployment (recovery time, change failure rate)',
    }),
    resolved: T.Optional(QueryBoolean),
  }),
]);
export type IncidentListQuery = Static<typeof IncidentListQuerySchema>;
