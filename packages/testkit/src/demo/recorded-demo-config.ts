import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseStrideConfig, type StrideConfig, type TeamConfig } from '@stride/shared/config';

/** Where the recorded real payloads live in the repository. */
export const RECORDED_DEMO_DIR = resolve(import.meta.dirname, '../../../../tests/fixtures/recorded');

/** The recorded history starts in 2018 (first ants PR: July 2018); 9 years of backfill reach it. */
export const RECORDED_BACKFILL_SINCE = new Date('2018-01-01T00:00:00Z');

interface RecordedPull {
  user: { login: string; type?: string } | null;
}
interface RecordedJiraIssue {
  fields: { project: { key: string }; assignee?: { accountId?: string; displayName?: string } | null };
}

async function readJson<T>(dir: string, file: string): Promise<T> {
  return JSON.parse(await readFile(resolve(dir, file), 'utf8')) as T;
}

/**
 * The StrideConfig under which the real collector collects the recorded payloads of
 * tests/fixtures/recorded (served by the local GitHub and Jira servers):
 * - panjf2000/ants: deployments = successful runs of its CI workflows (Tests `ci.yml`, CodeQL
 *   `codeql.yml`, Lint `lint.yml`) on the default branch (`master`) of the repository itself,
 *   pushed, dispatched or scheduled (fork pull-request runs never deploy);
 * - facebook/OpenBIC: deployments = GitHub Deployments to environment `github-pages`;
 * - Jira projects EE and K5, with the bug types by id and by name (EE names its types in
 *   Chinese: 缺陷 = Bug).
 * Teams: `ants` (members = the human authors of its recorded PRs), `openbic`, and one team per
 * Jira project whose members are the recorded assignees. Reads the fixture files of `dir`.
 */
export async function buildRecordedDemoConfig(dir = RECORDED_DEMO_DIR): Promise<StrideConfig> {
  const pulls = await readJson<Record<string, RecordedPull[]>>(dir, 'github_pulls.json');
  const issues = await readJson<RecordedJiraIssue[]>(dir, 'jira_issues.json');
  const authors = [
    ...new Set(
      (pulls['panjf2000/ants'] ?? [])
        .filter((p) => p.user && p.user.type !== 'Bot')
        .map((p) => p.user!.login),
    ),
  ].sort();
  const assignees = (project: string) => {
    const byId = new Map<string, string | undefined>();
    for (const issue of issues) {
      const a = issue.fields.assignee;
      if (issue.fields.project.key === project && a?.accountId) byId.set(a.accountId, a.displayName);
    }
    return [...byId]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([jira, name]) => ({ jira, ...(name ? { name } : {}) }));
  };
  const teams: Partial<TeamConfig>[] = [
    {
      slug: 'ants',
      name: 'ants (recorded)',
      repositories: ['panjf2000/ants'],
      members: authors.map((github) => ({ github })),
    },
    { slug: 'openbic', name: 'OpenBIC (recorded)', repositories: ['facebook/OpenBIC'], members: [] },
    {
      slug: 'enterprise-edition',
      name: 'Enterprise Edition (recorded Jira)',
      jiraProjects: ['EE'],
      members: assignees('EE'),
    },
    { slug: 'keon', name: 'Keon 5 (recorded Jira)', jiraProjects: ['K5'], members: assignees('K5') },
  ];
  return parseStrideConfig(
    {
      github: {
        repositories: ['panjf2000/ants', 'facebook/OpenBIC'],
        repositoryRules: {
          'panjf2000/ants': {
            source: 'workflow_runs',
            workflows: ['ci.yml', 'codeql.yml', 'lint.yml'],
            // CodeQL's weekly scheduled run is most of the recording's default-branch runs.
            workflowEvents: ['push', 'workflow_dispatch', 'schedule'],
          },
          'facebook/OpenBIC': { source: 'github_deployments', environment: '^github-pages$' },
        },
      },
      jira: {
        projects: ['EE', 'K5'],
        incidentTypes: ['Incident'],
        incidentLabels: ['incident'],
        bugTypes: ['10004', 'Bug', '缺陷'],
      },
      // From 2018 to today; generous so the horizon never cuts the recorded history.
      sync: { intervalMinutes: 15, backfillDays: 5000 },
      teams,
    },
    'recorded demo config',
  );
}
