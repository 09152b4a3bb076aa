import type { NewIncident } from '@stride/db';
import { z } from 'zod';
import { isoTime, linkUrl, parsePayload } from './payload.ts';

/** `GET /repos/{o}/{r}/issues` item (also the `issue` of an `issues` webhook). */
export const issueSchema = z.object({
  id: z.number().int(),
  number: z.number().int().positive(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  labels: z.array(z.union([z.object({ name: z.string() }), z.string()])),
  created_at: isoTime,
  updated_at: isoTime,
  closed_at: isoTime.nullable().optional(),
  html_url: linkUrl,
  body: z.string().nullable().optional(),
  pull_request: z.unknown().optional(),
});

const SEVERITY_LABEL = /^(?:sev(?:erity)?)[\s:_-]*(\w+)$/i;
const DEPLOYMENT_REF = /^deployment:\s*(\S+)\s*$/im;

/**
 * Maps a GitHub issue carrying the incident label (case-insensitive) to an `incidents` row
 * (source `github`): started at `created_at`, resolved at `closed_at`, severity from a
 * `sev1` / `severity: high` label, the causing deployment from a `Deployment: <id or sha>` line
 * of the body. Returns `null` for a pull request or an issue without the label.
 * Source: https://docs.github.com/en/rest/issues/issues ; docs/metrics.md, Incident.
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformIssueToIncident(
  payload: unknown,
  options: {
    repositoryId: string | null;
    repositoryFullName: string;
    incidentLabel: string;
    teamId?: string | null;
  },
): NewIncident | null {
  const issue = parsePayload(issueSchema, 'issue', payload);
  if (issue.pull_request !== undefined) return null;
  const labels = issue.labels.map((l) => (typeof l === 'string' ? l : l.name));
  const wanted = options.incidentLabel.toLowerCase();
  if (!labels.some((l) => l.toLowerCase() === wanted)) return null;
  const severity = labels.map((l) => SEVERITY_LABEL.exec(l)?.[1]).find((s) => s !== undefined) ?? null;
  return {
    source: 'github',
    external_id: String(issue.id),
    key: `${options.repositoryFullName}#${issue.number}`,
    title: issue.title,
    repository_id: options.repositoryId,
    team_id: options.teamId ?? null,
    jira_project_key: null,
    severity,
    started_at: issue.created_at,
    resolved_at: issue.closed_at ?? null,
    deployment_ref: DEPLOYMENT_REF.exec(issue.body ?? '')?.[1] ?? null,
    url: issue.html_url ?? null,
    source_updated_at: issue.updated_at,
  };
}
