import type { JiraClassification, NewIncident, NewJiraIssue, NewJiraIssueTransition } from '@stride/db';
import { httpUrlOrNull } from '@stride/shared';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import { z } from 'zod';

// Jira writes offsets without a colon (2020-06-12T08:13:13.360+0800); date-fns parses that, Date may not.
const jiraDate = z.string().transform((text, ctx) => {
  const date = parseISO(text);
  if (!isValid(date)) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${text}` });
    return z.NEVER;
  }
  return date;
});

const historySchema = z.object({
  id: z.string(),
  created: jiraDate,
  author: z.object({ accountId: z.string().optional() }).nullish(),
  items: z.array(
    z.object({
      field: z.string().nullish(),
      fieldId: z.string().nullish(),
      fromString: z.string().nullish(),
      toString: z.string().nullish(),
    }),
  ),
});

/** The part of a Jira REST v3 issue (search/jql with fields + expand=changelog) Stride reads. */
const issueSchema = z.object({
  id: z.string().min(1),
  key: z.string().min(1),
  fields: z.object({
    summary: z.string().nullish(),
    created: jiraDate,
    updated: jiraDate,
    resolutiondate: jiraDate.nullish(),
    labels: z.array(z.string()).nullish(),
    project: z.object({ key: z.string().min(1) }),
    issuetype: z.object({ id: z.string().min(1), name: z.string() }),
    status: z
      .object({ name: z.string().nullish(), statusCategory: z.object({ key: z.string() }).nullish() })
      .nullish(),
    assignee: z.object({ accountId: z.string().nullish() }).nullish(),
    priority: z.object({ name: z.string().nullish() }).nullish(),
    // REST v3 sends Atlassian Document Format; older sites or fakes may send a string.
    description: z.unknown().optional(),
  }),
  changelog: z.object({ total: z.number().optional(), histories: z.array(z.unknown()).optional() }).nullish(),
});

/** A `Deployment: <id or sha>` line, as for GitHub incident issues (transform/github/issue.ts). */
const DEPLOYMENT_LINE = /^deployment:\s*(\S+)\s*$/im;
const DEPLOYMENT_LABEL = /^deployment[:=](.+)$/i;

/** Plain text of an ADF document (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/), one line per block. */
export function adfToText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (!node || typeof node !== 'object') return '';
  const n = node as { type?: unknown; text?: unknown; content?: unknown };
  if (typeof n.text === 'string') return n.text;
  if (n.type === 'hardBreak') return '\n';
  const inner = Array.isArray(n.content) ? n.content.map(adfToText).join(n.type === 'doc' ? '\n' : '') : '';
  return inner;
}

export type JiraHistory = z.infer<typeof historySchema>;

export interface MappedJiraIssue {
  issue: NewJiraIssue;
  /** Status transitions; `jira_issue_id` is set once the issue row has an id. */
  transitions: Omit<NewJiraIssueTransition, 'jira_issue_id'>[];
  /** The incident row when the issue is classified as incident, else null. */
  incident: NewIncident | null;
  updatedAt: Date;
}

export class JiraPayloadError extends Error {
  override name = 'JiraPayloadError';
}

/** How many changelog entries an issue has, and how many the search response embedded. */
export function countEmbeddedHistories(raw: unknown): { embedded: number; total: number } {
  const changelog = (raw as { changelog?: { total?: number; histories?: unknown[] } } | null)?.changelog;
  const embedded = Array.isArray(changelog?.histories) ? changelog.histories.length : 0;
  return { embedded, total: typeof changelog?.total === 'number' ? changelog.total : embedded };
}

/**
 * Maps one Jira Cloud issue (REST v3 shape, https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/)
 * to its `jira_issues` row, its status transitions (changelog items whose field is `status`) and,
 * when `classify` says incident, its `incidents` row (docs/metrics.md, Incident: started_at =
 * created, resolved_at = resolution date). `histories` replaces the embedded changelog when the full
 * one was fetched from /issue/{id}/changelog. `siteUrl` builds browse links.
 * @throws JiraPayloadError naming the first invalid field.
 */
export function mapJiraIssue(
  raw: unknown,
  options: {
    classify: (issue: { typeId: string; typeName: string; labels: readonly string[] }) => JiraClassification;
    siteUrl: string;
    histories?: readonly unknown[];
  },
): MappedJiraIssue {
  const parsed = issueSchema.safeParse(raw);
  if (!parsed.success) throw new JiraPayloadError(describeIssue(parsed.error));
  const { id, key, fields } = parsed.data;
  const histories = z
    .array(historySchema)
    .safeParse(options.histories ?? parsed.data.changelog?.histories ?? []);
  if (!histories.success) throw new JiraPayloadError(`changelog.${describeIssue(histories.error)}`);

  const labels = fields.labels ?? [];
  // PostgreSQL text cannot hold U+0000; a recorded EE summary ends with one.
  const summary = (fields.summary ?? '').replaceAll('\u0000', '');
  const classification = options.classify({
    typeId: fields.issuetype.id,
    typeName: fields.issuetype.name,
    labels,
  });
  // The site comes from config (JIRA_HOST, http(s) only) and the key is encoded, so the link
  // stays on that site whatever the payload says.
  const url = httpUrlOrNull(`${options.siteUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(key)}`);
  const issue: NewJiraIssue = {
    external_id: id,
    key,
    project_key: fields.project.key,
    summary,
    issue_type_id: fields.issuetype.id,
    issue_type_name: fields.issuetype.name,
    classification,
    status_name: fields.status?.name ?? null,
    status_category: fields.status?.statusCategory?.key ?? null,
    labels,
    assignee_account_id: fields.assignee?.accountId || null,
    created_at: fields.created,
    resolved_at: fields.resolutiondate ?? null,
    source_updated_at: fields.updated,
    url,
  };

  const transitions: MappedJiraIssue['transitions'] = [];
  for (const history of histories.data) {
    const statusItems = history.items.filter((item) => (item.fieldId ?? item.field) === 'status');
    statusItems.forEach((item, index) => {
      transitions.push({
        external_id: index === 0 ? history.id : `${history.id}:${index}`,
        from_status: item.fromString ?? null,
        to_status: item.toString ?? null,
        author_account_id: history.author?.accountId || null,
        transitioned_at: history.created,
      });
    });
  }

  const incident: NewIncident | null =
    classification === 'incident'
      ? {
          source: 'jira',
          external_id: id,
          key,
          title: summary,
          repository_id: null,
          team_id: null,
          jira_project_key: fields.project.key,
          severity: fields.priority?.name ?? null,
          started_at: fields.created,
          resolved_at: fields.resolutiondate ?? null,
          // The deployment it names: a `deployment:<ref>` label or a `Deployment: <ref>` line.
          deployment_ref:
            labels.map((l) => DEPLOYMENT_LABEL.exec(l)?.[1]).find((ref) => ref !== undefined) ??
            DEPLOYMENT_LINE.exec(adfToText(fields.description))?.[1] ??
            null,
          url,
          source_updated_at: fields.updated,
        }
      : null;

  return { issue, transitions, incident, updatedAt: fields.updated };
}

function describeIssue(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid issue';
  const path = first.path.map(String).join('.') || 'issue';
  return `${path}: ${first.message}`;
}
