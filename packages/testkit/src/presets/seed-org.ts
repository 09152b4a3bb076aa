import type { Db, NewJiraIssue } from '@stride/db';
import { mulberry32 } from '@stride/shared';
import type { TeamConfig } from '@stride/shared/config';
import { loadOrgRows } from '../rows/load-org-rows.ts';
import type { KeyedDeployment, KeyedIncident, OrgRows } from '../rows/org-rows.ts';

export interface DashboardOrgOptions {
  /** End of the history (default: the clock's now; pass one for a reproducible org). */
  now?: Date;
  /** Days of history. Default 120. */
  days?: number;
  seed?: number;
  /** Teams (at most 8). Default 3. */
  teamCount?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SeededDeployment {
  externalId: string;
  team: string;
  repository: string;
  deployedAt: Date;
}
export interface SeededPullRequest {
  team: string;
  repository: string;
  number: number;
  title: string;
  openedAt: Date;
  mergedAt: Date | null;
  url: string;
}
export interface SeededIncident {
  key: string;
  team: string;
  startedAt: Date;
  resolvedAt: Date;
  url: string;
}

export interface SeededOrg {
  teams: TeamConfig[];
  deployments: SeededDeployment[];
  pullRequests: SeededPullRequest[];
  incidents: SeededIncident[];
}

/**
 * A small organisation for the dashboard's browser tests, as keyed rows: `teamCount` teams
 * (2 repositories, 5 members, one Jira project each), `days` days before `now` of merged PRs
 * (with commits and reviews), production deployments, some open/stale PRs, Jira issues and
 * incidents, and one successful sync run per repository and Jira project. Deterministic for a
 * given `seed` and `now`.
 * @returns the rows, and what a test needs to compute expected figures independently.
 */
export function generateDashboardOrg(options: DashboardOrgOptions = {}): {
  rows: OrgRows;
  seeded: SeededOrg;
} {
  const now = options.now ?? new Date();
  const days = options.days ?? 120;
  const rand = mulberry32(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const names = ['Platform', 'Payments', 'Mobile', 'Search', 'Growth', 'Data', 'Identity', 'Billing'];
  const teamCount = Math.min(options.teamCount ?? 3, names.length);

  const teams: TeamConfig[] = names.slice(0, teamCount).map((name) => {
    const slug = name.toLowerCase();
    return {
      slug,
      name,
      timezone: 'Europe/Berlin',
      members: Array.from({ length: 5 }, (_, i) => ({
        name: `${name} dev ${i + 1}`,
        github: `${slug}-dev${i + 1}`,
      })),
      repositories: [`acme/${slug}-api`, `acme/${slug}-web`],
      jiraProjects: [slug.slice(0, 3).toUpperCase()],
    };
  });
  const rows: OrgRows = {
    teams,
    repositories: [],
    pullRequests: [],
    reviews: [],
    commits: [],
    deployments: [],
    incidents: [],
    jiraIssues: [],
    jiraTransitions: [],
    changes: [],
    syncRuns: [],
  };
  rows.repositories = teams.flatMap((t) =>
    t.repositories.map((fullName) => ({
      external_id: `gh-${fullName}`,
      full_name: fullName,
      html_url: `https://github.com/${fullName}`,
      default_branch: 'main',
    })),
  );

  const deployments: SeededDeployment[] = [];
  const pullRequests: SeededPullRequest[] = [];
  const incidents: SeededIncident[] = [];
  const start = now.getTime() - days * DAY;

  for (const [teamIndex, team] of teams.entries()) {
    // Teams differ in pace, so levels differ across the overview.
    const deployEveryDays = [1, 3, 8][teamIndex % 3]!;
    const logins = team.members.map((m) => m.github!);
    for (const repository of team.repositories) {
      const deploymentRows: KeyedDeployment[] = [];
      for (
        let t = start + 10 * HOUR;
        t < now.getTime() - HOUR;
        t += deployEveryDays * DAY * (0.6 + rand() * 0.8)
      ) {
        const externalId = `${repository}-deploy-${deploymentRows.length + 1}`;
        const sha = Math.floor(rand() * 0xffffffff)
          .toString(16)
          .padStart(8, '0');
        deploymentRows.push({
          repository,
          source: 'github_deployments' as const,
          external_id: externalId,
          environment: 'production',
          is_production: true,
          sha,
          ref: 'main',
          status: 'success',
          created_at: new Date(t),
          deployed_at: new Date(t),
          url: `https://github.com/${repository}/deployments/${externalId}`,
        });
        deployments.push({ externalId, team: team.slug, repository, deployedAt: new Date(t) });
      }
      rows.deployments.push(...deploymentRows);

      // Merged PRs between deployments, a few labelled bug (unplanned), a few open (WIP, stale).
      const prRows = [];
      const prCount = Math.max(6, Math.round(deploymentRows.length * 1.5));
      for (let i = 0; i < prCount; i++) {
        const number = i + 1;
        const opened = start + rand() * (now.getTime() - start - 2 * DAY);
        const open = i >= prCount - 3;
        const merged = open ? null : opened + (2 + rand() * 40) * HOUR;
        const bug = rand() < 0.15;
        const title = bug
          ? `Fix ${pick(['timeout', 'crash', 'rounding'])} in ${repository.split('/')[1]} (#${number})`
          : `Feature ${number} of ${repository}`;
        const url = `https://github.com/${repository}/pull/${number}`;
        prRows.push({
          repository,
          external_id: `${repository}-pr-${number}`,
          number,
          title,
          author_login: pick(logins),
          state: open ? ('open' as const) : ('merged' as const),
          base_branch: 'main',
          head_branch: `feature-${number}`,
          created_at: new Date(opened),
          first_commit_at: new Date(opened - (1 + rand() * 20) * HOUR),
          merged_at: merged ? new Date(merged) : null,
          closed_at: merged ? new Date(merged) : null,
          source_updated_at: new Date(merged ?? opened),
          additions: Math.round(10 + rand() * 500),
          deletions: Math.round(rand() * 200),
          changed_files: Math.round(1 + rand() * 20),
          labels: bug ? ['bug'] : [],
          is_unplanned: bug,
          html_url: url,
        });
        pullRequests.push({
          team: team.slug,
          repository,
          number,
          openedAt: new Date(opened),
          title,
          mergedAt: merged ? new Date(merged) : null,
          url,
        });
      }
      rows.pullRequests.push(...prRows);
      const reviewRows = [];
      const commitRows = [];
      for (const pr of prRows) {
        const id = pr.external_id;
        const opened = (pr.created_at as Date).getTime();
        commitRows.push({
          pullRequest: id,
          sha: `${pr.external_id}-c1`,
          author_login: pr.author_login,
          authored_at: pr.first_commit_at as Date,
        });
        if (pr.merged_at) {
          const reviewer = pick(logins.filter((l) => l !== pr.author_login));
          reviewRows.push({
            pullRequest: id,
            external_id: `${pr.external_id}-r1`,
            reviewer_login: reviewer,
            state: 'APPROVED',
            submitted_at: new Date(
              Math.min(opened + (0.5 + rand() * 10) * HOUR, (pr.merged_at as Date).getTime()),
            ),
          });
        }
      }
      rows.commits.push(...commitRows);
      rows.reviews.push(...reviewRows);

      rows.syncRuns!.push({
        source: 'github',
        scope: repository,
        requests: 12,
        notModified: 3,
        itemsUpserted: prRows.length + deploymentRows.length,
        itemsSkipped: 0,
        rateLimitRemaining: 4900,
      });
    }

    // Incidents: one every ~3 weeks per team, on its first repository, resolved within hours.
    const project = team.jiraProjects[0]!;
    const incidentRows: KeyedIncident[] = [];
    const issueRows: NewJiraIssue[] = [];
    for (let t = start + 5 * DAY + teamIndex * DAY, i = 1; t < now.getTime() - DAY; t += 21 * DAY, i++) {
      const key = `${project}-${100 + i}`;
      const resolved = t + (1 + rand() * 30) * HOUR;
      const url = `https://acme.atlassian.net/browse/${key}`;
      incidentRows.push({
        source: 'jira' as const,
        external_id: `jira-${key}`,
        key,
        title: `Outage ${i} of ${team.name}`,
        repository: team.repositories[0]!,
        team: team.slug,
        jira_project_key: project,
        severity: 'high',
        started_at: new Date(t),
        resolved_at: new Date(resolved),
        url,
        source_updated_at: new Date(resolved),
      });
      incidents.push({ key, team: team.slug, startedAt: new Date(t), resolvedAt: new Date(resolved), url });
    }
    rows.incidents.push(...incidentRows);
    for (let i = 1; i <= 12; i++) {
      const created = start + rand() * (now.getTime() - start - 5 * DAY);
      const kind = i % 4 === 0 ? 'bug' : 'planned';
      issueRows.push({
        external_id: `jira-${project}-${i}`,
        key: `${project}-${i}`,
        project_key: project,
        summary: `${kind === 'bug' ? 'Bug' : 'Story'} ${i}`,
        issue_type_id: kind === 'bug' ? '10004' : '10001',
        issue_type_name: kind === 'bug' ? 'Bug' : 'Story',
        classification: kind as 'bug' | 'planned',
        status_name: 'Done',
        status_category: 'done',
        created_at: new Date(created),
        resolved_at: new Date(created + 3 * DAY),
        source_updated_at: new Date(created + 3 * DAY),
        url: `https://acme.atlassian.net/browse/${project}-${i}`,
      });
    }
    rows.jiraIssues.push(...issueRows);
    rows.syncRuns!.push({
      source: 'jira',
      scope: project,
      requests: 4,
      notModified: 0,
      itemsUpserted: issueRows.length + incidentRows.length,
      itemsSkipped: 0,
      rateLimitRemaining: null,
    });
  }

  return { rows, seeded: { teams, deployments, pullRequests, incidents } };
}

/**
 * Seeds `generateDashboardOrg(options)` with the kit's one loader (`loadOrgRows`: the collector's
 * upserts, the sync runs, then `deriveLinks` over every repository).
 * @returns what was written, for tests to compute expected figures independently.
 */
export async function seedDashboardOrg(db: Db, options: DashboardOrgOptions = {}): Promise<SeededOrg> {
  const { rows, seeded } = generateDashboardOrg(options);
  await loadOrgRows(db, rows, { teamsFirst: true, linkRepositories: 'all' });
  return seeded;
}
