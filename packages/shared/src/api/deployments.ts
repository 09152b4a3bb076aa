/** `GET /api/deployments`: the production deployments behind a DORA figure. */
import { type Static, Type as T } from '@sinclair/typebox';
import { IsoDateTime, ListQuerySchema, QueryBoolean } from './common.ts';

export const DeploymentItemSchema = T.Object({
  id: T.String(),
  repository: T.String(),
  team: T.Union([T.String(), T.Null()]),
  source: T.String(),
  environment: T.String(),
  sha: T.Union([T.String(), T.Null()]),
  deployedAt: IsoDateTime(),
  failed: T.Boolean(),
  unplanned: T.Boolean(),
  changes: T.Integer(),
  url: T.Union([T.String(), T.Null()]),
});
export type DeploymentItem = Static<typeof DeploymentItemSchema>;

export const DeploymentListQuerySchema = T.Composite([
  ListQuerySchema,
  T.Object({
    failed: T.Optional({
      ...QueryBoolean,
      description: 'only deployments that caused an incident or were rolled back (change failure rate)',
    }),
    unplanned: T.Optional({
      ...QueryBoolean,
      description: 'only deployments shipping a bug/hotfix/revert change (rework rate)',
    }),
  }),
]);
export type DeploymentListQuery = Static<typeof DeploymentListQuerySchema>;
