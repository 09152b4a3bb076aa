/** `GET /api/deployments`: the production deployments behind a DORA figure. */
import { type Static, Type as T } from '@sinclair/typebox';
import { IsoDateTime, ListQuerySchema, QueryBoolean } from './common.ts';

/** An incident a deployment caused (docs/metrics.md, "Attributing incidents to deployments"). */
export const CausedIncidentSchema = T.Object({
  id: T.String(),
  source: T.String(),
  key: T.Union([T.String(), T.Null()]),
  title: T.String(),
  url: T.Union([T.String(), T.Null()]),
});
export type CausedIncident = Static<typeof CausedIncidentSchema>;

/** A PR a deployment shipped, linked by its merge commit (`commit`) or by time (`time`). */
export const ShippedPullRequestSchema = T.Object({
  repository: T.String(),
  number: T.Integer(),
  title: T.String(),
  url: T.Union([T.String(), T.Null()]),
  attribution: T.Union([T.Literal('commit'), T.Literal('time')]),
});
export type ShippedPullRequest = Static<typeof ShippedPullRequestSchema>;

export const DeploymentItemSchema = T.Object({
  id: T.String(),
  repository: T.String(),
  team: T.Union([T.String(), T.Null()]),
  source: T.String(),
  environment: T.String(),
  sha: T.Union([T.String(), T.Null()]),
  deployedAt: IsoDateTime(),
  failed: T.Boolean(),
  rolledBack: T.Boolean({ description: 'rolled back or reverted (a failure without an incident)' }),
  unplanned: T.Boolean(),
  changes: T.Integer({ description: 'PRs shipped in all' }),
  url: T.Union([T.String(), T.Null()]),
  incidents: T.Array(CausedIncidentSchema, { description: 'the incidents it caused, by start time' }),
  pullRequests: T.Array(ShippedPullRequestSchema, {
    description: 'the PRs it shipped, by merge time; the first 20 of `changes`',
  }),
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
