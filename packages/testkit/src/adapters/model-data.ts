import type { TeamConfig } from '@stride/shared/config';
import type {
  ModelDeployment,
  ModelIncident,
  ModelJiraIssue,
  ModelPullRequest,
  ModelRepository,
  OrgModel,
} from '../model/org-model-types.ts';

/**
 * A small organisation model collected into arrays, as plain data: what route tests hand to the
 * reference recomputation (`ReferenceOrg`) and to the loader. Large sizes stream instead.
 */
export interface OrgModelData {
  teams: TeamConfig[];
  repositories: ModelRepository[];
  pullRequests: ModelPullRequest[];
  deployments: ModelDeployment[];
  incidents: ModelIncident[];
  jiraIssues: ModelJiraIssue[];
  changes: string[];
}

/** Collects every repository's activity of `model` (keep it to test sizes). */
export function collectOrgModel(model: OrgModel): OrgModelData {
  const data: OrgModelData = {
    teams: model.config,
    repositories: model.repositories,
    pullRequests: [],
    deployments: [],
    incidents: [],
    jiraIssues: [],
    changes: [...model.changes],
  };
  for (const activity of model.activity()) {
    for (const p of activity.pullRequests) data.pullRequests.push(p);
    for (const d of activity.deployments) data.deployments.push(d);
    for (const i of activity.incidents) data.incidents.push(i);
    for (const j of activity.jiraIssues) data.jiraIssues.push(j);
  }
  return data;
}
