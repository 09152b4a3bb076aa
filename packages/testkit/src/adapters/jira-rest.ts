import { MODEL_ISSUE_TYPES } from '../model/org-model.ts';
import type { ModelJiraIssue, OrgModel } from '../model/org-model-types.ts';

type Json = Record<string, unknown>;

/** What the fake Jira serves: issues (REST v3 search shape, changelog embedded) and the site's lists. */
export interface FakeJiraData {
  issues: Json[];
  /** `GET /rest/api/3/issuetype` */
  issueTypes: Json[];
  /** `GET /rest/api/3/project/{key}` answers, one per project. */
  projects: Json[];
  /** `GET /rest/api/3/status` */
  statuses: Json[];
  /** Changelog entries beyond the embedded ones, by issue id (`GET /issue/{id}/changelog`). */
  changelogs: Record<string, Json[]>;
}

/** Jira's date-time: `2026-03-01T09:30:00.000+0000` (offset without a colon). */
const jiraTime = (date: Date) => date.toISOString().replace('Z', '+0000');

const STATUSES = {
  'To Do': { id: '10000', category: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' } },
  'In Progress': {
    id: '3',
    category: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  },
  Done: { id: '10001', category: { id: 3, key: 'done', name: 'Done', colorName: 'green' } },
} as const;

function statusPayload(site: string, name: keyof typeof STATUSES): Json {
  const status = STATUSES[name];
  return {
    self: `https://${site}/rest/api/3/status/${status.id}`,
    id: status.id,
    name,
    untranslatedName: name,
    statusCategory: {
      self: `https://${site}/rest/api/3/statuscategory/${status.category.id}`,
      ...status.category,
    },
  };
}

/**
 * One Jira issue of the model in Jira Cloud REST v3's shape (search/jql with `fields=*all` and
 * `expand=changelog`: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/),
 * its status changes as changelog histories.
 */
export function jiraIssuePayload(
  issue: ModelJiraIssue,
  site: string,
  projectId: string,
  projectName: string,
): Json {
  const type = Object.values(MODEL_ISSUE_TYPES).find((t) => t.id === issue.typeId)!;
  return {
    id: issue.id,
    key: issue.key,
    self: `https://${site}/rest/api/3/issue/${issue.id}`,
    expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields',
    fields: {
      summary: issue.summary,
      created: jiraTime(issue.createdAt),
      updated: jiraTime(issue.updatedAt),
      resolutiondate: issue.resolvedAt ? jiraTime(issue.resolvedAt) : null,
      resolution: issue.resolvedAt ? { id: '10000', name: 'Done' } : null,
      labels: [],
      project: {
        self: `https://${site}/rest/api/3/project/${projectId}`,
        id: projectId,
        key: issue.project,
        name: projectName,
      },
      issuetype: {
        self: `https://${site}/rest/api/3/issuetype/${type.id}`,
        id: type.id,
        name: type.name,
        subtask: false,
        hierarchyLevel: 0,
      },
      status: statusPayload(site, issue.status),
      assignee: issue.assignee ? { accountId: issue.assignee, accountType: 'atlassian', active: true } : null,
      priority: { id: '3', name: 'Medium' },
      description: null,
    },
    changelog: {
      startAt: 0,
      maxResults: issue.transitions.length,
      total: issue.transitions.length,
      histories: issue.transitions.map((t, k) => ({
        id: String(Number(issue.id) * 10 + k + 1),
        created: jiraTime(t.at),
        author: issue.assignee ? { accountId: issue.assignee } : null,
        items: [
          {
            field: 'status',
            fieldtype: 'jira',
            fieldId: 'status',
            from: STATUSES[t.from as keyof typeof STATUSES]?.id ?? null,
            fromString: t.from,
            to: STATUSES[t.to as keyof typeof STATUSES]?.id ?? null,
            toString: t.to,
          },
        ],
      })),
    },
  };
}

/**
 * The model's Jira site in REST v3 shapes: every team's project, its issues (stories, tasks,
 * bugs linked to PRs; Incident issues for incidents reported in Jira) with their status
 * histories, and the site's issue types and statuses. Collected (a Jira site of a test size).
 */
export function jiraPayloads(model: OrgModel): FakeJiraData {
  const site = model.options.jiraSite ?? 'stride-demo.atlassian.net';
  const projects = model.teams.map((t, i) => ({
    self: `https://${site}/rest/api/3/project/${10_000 + i}`,
    id: String(10_000 + i),
    key: t.jiraProject,
    name: t.name,
    projectTypeKey: 'software',
    style: 'next-gen',
    isPrivate: false,
  }));
  const byKey = new Map(projects.map((p) => [p.key, p]));
  const issues: Json[] = [];
  for (const activity of model.activity())
    for (const issue of activity.jiraIssues) {
      const project = byKey.get(issue.project)!;
      issues.push(jiraIssuePayload(issue, site, project.id, project.name));
    }
  return {
    issues,
    issueTypes: Object.values(MODEL_ISSUE_TYPES).map((t) => ({
      self: `https://${site}/rest/api/3/issuetype/${t.id}`,
      id: t.id,
      name: t.name,
      untranslatedName: t.name,
      subtask: false,
      hierarchyLevel: 0,
    })),
    projects,
    statuses: (Object.keys(STATUSES) as (keyof typeof STATUSES)[]).map((name) => statusPayload(site, name)),
    changelogs: {},
  };
}
