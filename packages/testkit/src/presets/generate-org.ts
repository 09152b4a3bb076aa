import type { Db } from '@stride/db';
import { mulberry32 } from '@stride/shared';
import type { TeamConfig } from '@stride/shared/config';
import { loadOrgRows } from '../rows/load-org-rows.ts';
import type { OrgRows } from '../rows/org-rows.ts';

/**
 * A generated organisation (teams, repositories, PRs with commits and reviews, deployments,
 * incidents, Jira issues) as plain data, for route tests (which recompute every figure from this
 * data) and the metrics benchmark. Deterministic for a given seed.
 */
export interface GeneratedOrg {
  teams: TeamConfig[];
  repositories: { fullName: string; externalId: string; defaultBranch: string }[];
  pullRequests: GeneratedPullRequest[];
  deployments: GeneratedDeployment[];
  incidents: GeneratedIncident[];
  jiraIssues: GeneratedJiraIssue[];
}
export interface GeneratedPullRequest {
  externalId: string;
  repository: string;
  number: number;
  title: string;
  author: string;
  authorIsBot: boolean;
  baseBranch: string;
  createdAt: Date;
  readyForReviewAt: Date | null;
  mergedAt: Date | null;
  closedAt: Date | null;
  additions: number | null;
  deletions: number | null;
  labels: string[];
  isUnplanned: boolean;
  commits: { sha: string; author: string; authoredAt: Date }[];
  reviews: {
    externalId: string;
    reviewer: string;
    isBot: boolean;
    kind: 'review' | 'comment';
    state: string;
    submittedAt: Date;
  }[];
}
export interface GeneratedDeployment {
  externalId: string;
  repository: string;
  environment: string;
  isProduction: boolean;
  status: string;
  createdAt: Date;
  deployedAt: Date | null;
  rolledBack: boolean;
}
export interface GeneratedIncident {
  externalId: string;
  repository: string | null;
  jiraProject: string | null;
  startedAt: Date;
  resolvedAt: Date | null;
}
export interface GeneratedJiraIssue {
  externalId: string;
  key: string;
  project: string;
  classification: 'incident' | 'bug' | 'planned';
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface GenerateOrgOptions {
  teams?: number;
  membersPerTeam?: number;
  reposPerTeam?: number;
  /** Days of history ending at `end`. */
  days?: number;
  end?: Date;
  /** Mean merged PRs per repository per day. */
  prsPerRepoDay?: number;
  /** Probability that a repository deploys to production on a given day. */
  deployProbability?: number;
  seed?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Generates an organisation; see GenerateOrgOptions for the size knobs. */
export function generateOrg(options: GenerateOrgOptions = {}): GeneratedOrg {
  const teamCount = options.teams ?? 3;
  const membersPerTeam = options.membersPerTeam ?? 5;
  const reposPerTeam = options.reposPerTeam ?? 2;
  const days = options.days ?? 120;
  const end = options.end ?? new Date(Date.UTC(2025, 5, 1));
  const prsPerRepoDay = options.prsPerRepoDay ?? 1;
  const deployProbability = options.deployProbability ?? 0.6;
  const rand = mulberry32(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const start = new Date(end.getTime() - days * DAY);
  const at = (base: number, spanMs: number) => new Date(base + Math.floor(rand() * spanMs));

  const org: GeneratedOrg = {
    teams: [],
    repositories: [],
    pullRequests: [],
    deployments: [],
    incidents: [],
    jiraIssues: [],
  };
  const timezones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'];
  for (let t = 0; t < teamCount; t++) {
    const slug = `team-${t + 1}`;
    const members = Array.from({ length: membersPerTeam }, (_, m) => ({
      name: `Dev ${t + 1}.${m + 1}`,
      github: `t${t + 1}-dev${m + 1}`,
      // The last member left half-way through: their later PRs belong to no team.
      ...(m === membersPerTeam - 1 && membersPerTeam > 1
        ? { to: new Date(start.getTime() + (days / 2) * DAY).toISOString().slice(0, 10) }
        : {}),
    }));
    const repositories = Array.from({ length: reposPerTeam }, (_, r) => `acme/t${t + 1}-service-${r + 1}`);
    org.teams.push({
      slug,
      name: `Team ${t + 1}`,
      timezone: timezones[t % timezones.length]!,
      members,
      repositories,
      jiraProjects: [`P${t + 1}`],
    });
    for (const fullName of repositories) {
      org.repositories.push({ fullName, externalId: `gh-${fullName}`, defaultBranch: 'main' });
    }
  }

  let prNumber = 0;
  let reviewId = 0;
  for (const team of org.teams) {
    const logins = team.members.map((m) => m.github!);
    for (const repository of team.repositories) {
      // Deployments: most days to production, some to staging, some failures.
      for (let d = 0; d < days; d++) {
        const dayStart = start.getTime() + d * DAY;
        if (rand() < deployProbability) {
          const deployedAt = at(dayStart + 9 * HOUR, 9 * HOUR);
          const failedRun = rand() < 0.08;
          org.deployments.push({
            externalId: `${repository}#deploy-${d}`,
            repository,
            environment: rand() < 0.5 ? 'production' : 'Prod',
            isProduction: true,
            status: failedRun ? 'failure' : 'success',
            createdAt: new Date(deployedAt.getTime() - 10 * 60_000),
            deployedAt: failedRun ? null : deployedAt,
            rolledBack: !failedRun && rand() < 0.03,
          });
          if (!failedRun && rand() < 0.12) {
            const startedAt = new Date(deployedAt.getTime() + Math.floor(rand() * 2 * DAY) + 60_000);
            org.incidents.push({
              externalId: `inc-${org.incidents.length + 1}`,
              repository: rand() < 0.85 ? repository : null,
              jiraProject: team.jiraProjects[0]!,
              startedAt,
              resolvedAt: rand() < 0.9 ? new Date(startedAt.getTime() + Math.floor(rand() * 3 * DAY)) : null,
            });
          }
        }
        if (rand() < 0.2) {
          const deployedAt = at(dayStart, DAY);
          org.deployments.push({
            externalId: `${repository}#staging-${d}`,
            repository,
            environment: 'staging',
            isProduction: false,
            status: 'success',
            createdAt: deployedAt,
            deployedAt,
            rolledBack: false,
          });
        }
        // Pull requests: Poisson-ish count per day.
        let count = 0;
        for (let k = 0; k < prsPerRepoDay * 2; k++) if (rand() < 0.5) count++;
        for (let k = 0; k < count; k++) {
          prNumber++;
          const bot = rand() < 0.05;
          const author = bot ? 'renovate[bot]' : pick(logins);
          const createdAt = at(dayStart, DAY);
          const firstCommit = new Date(createdAt.getTime() - Math.floor(rand() * 3 * DAY));
          const draft = rand() < 0.2;
          const readyForReviewAt = draft ? new Date(createdAt.getTime() + Math.floor(rand() * DAY)) : null;
          const opened = readyForReviewAt ?? createdAt;
          const open = rand() < 0.08;
          const mergedAt = open ? null : new Date(opened.getTime() + Math.floor(rand() * 4 * DAY) + HOUR);
          const unplanned = rand() < 0.15;
          const reviews: GeneratedPullRequest['reviews'] = [];
          if (rand() < 0.85) {
            const reviewer = pick(logins.filter((l) => l !== author));
            const end = mergedAt ?? new Date(opened.getTime() + 2 * DAY);
            const submittedAt = new Date(
              opened.getTime() + Math.floor(rand() * (end.getTime() - opened.getTime())),
            );
            reviews.push({
              externalId: `rv-${++reviewId}`,
              reviewer,
              isBot: false,
              kind: 'review',
              state: 'APPROVED',
              submittedAt,
            });
          }
          if (rand() < 0.3) {
            reviews.push({
              externalId: `rv-${++reviewId}`,
              reviewer: 'ci-bot[bot]',
              isBot: true,
              kind: 'comment',
              state: 'COMMENTED',
              submittedAt: new Date(opened.getTime() + 60_000),
            });
          }
          const sizeKnown = rand() < 0.95;
          org.pullRequests.push({
            externalId: `pr-${prNumber}`,
            repository,
            number: prNumber,
            title: unplanned ? `Fix bug ${prNumber}` : `Feature ${prNumber}`,
            author,
            authorIsBot: bot,
            baseBranch: rand() < 0.04 ? 'release' : 'main',
            createdAt,
            readyForReviewAt,
            mergedAt,
            closedAt: mergedAt,
            additions: sizeKnown ? Math.floor(rand() * 600) : null,
            deletions: sizeKnown ? Math.floor(rand() * 200) : null,
            labels: unplanned ? ['bug'] : [],
            isUnplanned: unplanned,
            commits: Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, c) => ({
              sha: `${prNumber.toString(16)}c${c}`,
              author,
              authoredAt:
                c === 0
                  ? firstCommit
                  : at(firstCommit.getTime(), createdAt.getTime() - firstCommit.getTime() + 1),
            })),
            reviews,
          });
        }
      }
    }
    for (let d = 0; d < days; d++) {
      if (rand() < 0.7) {
        const createdAt = at(start.getTime() + d * DAY, DAY);
        const classification = rand() < 0.2 ? 'bug' : rand() < 0.05 ? 'incident' : 'planned';
        const n = org.jiraIssues.length + 1;
        org.jiraIssues.push({
          externalId: `jira-${n}`,
          key: `${team.jiraProjects[0]}-${n}`,
          project: team.jiraProjects[0]!,
          classification,
          createdAt,
          resolvedAt: rand() < 0.8 ? new Date(createdAt.getTime() + Math.floor(rand() * 10 * DAY)) : null,
        });
      }
    }
  }
  return org;
}

/**
 * The rows of a generated organisation, as the collector's upserts would store them (deployments
 * and incidents from webhooks, Jira issues typed by their classification).
 */
export function generatedOrgRows(org: GeneratedOrg): OrgRows {
  return {
    teams: org.teams,
    repositories: org.repositories.map((r) => ({
      external_id: r.externalId,
      full_name: r.fullName,
      default_branch: r.defaultBranch,
    })),
    deployments: org.deployments.map((d) => ({
      repository: d.repository,
      source: 'webhook' as const,
      external_id: d.externalId,
      environment: d.environment,
      is_production: d.isProduction,
      status: d.status,
      created_at: d.createdAt,
      deployed_at: d.deployedAt,
      rolled_back: d.rolledBack,
    })),
    pullRequests: org.pullRequests.map((p) => ({
      repository: p.repository,
      external_id: p.externalId,
      number: p.number,
      title: p.title,
      author_login: p.author,
      author_is_bot: p.authorIsBot,
      state: p.mergedAt ? ('merged' as const) : ('open' as const),
      draft: false,
      base_branch: p.baseBranch,
      created_at: p.createdAt,
      ready_for_review_at: p.readyForReviewAt,
      merged_at: p.mergedAt,
      closed_at: p.closedAt,
      source_updated_at: p.mergedAt ?? p.createdAt,
      additions: p.additions,
      deletions: p.deletions,
      labels: p.labels,
      is_unplanned: p.isUnplanned,
    })),
    commits: org.pullRequests.flatMap((p) =>
      p.commits.map((c) => ({
        pullRequest: p.externalId,
        sha: c.sha,
        author_login: c.author,
        author_email: null,
        authored_at: c.authoredAt,
        committed_at: c.authoredAt,
      })),
    ),
    reviews: org.pullRequests.flatMap((p) =>
      p.reviews.map((r) => ({
        pullRequest: p.externalId,
        external_id: r.externalId,
        kind: r.kind,
        reviewer_login: r.reviewer,
        reviewer_is_bot: r.isBot,
        state: r.state,
        submitted_at: r.submittedAt,
      })),
    ),
    incidents: org.incidents.map((i) => ({
      source: 'webhook' as const,
      external_id: i.externalId,
      key: i.externalId,
      title: `Incident ${i.externalId}`,
      repository: i.repository,
      jira_project_key: i.repository ? null : i.jiraProject,
      started_at: i.startedAt,
      resolved_at: i.resolvedAt,
    })),
    jiraIssues: org.jiraIssues.map((j) => ({
      external_id: j.externalId,
      key: j.key,
      project_key: j.project,
      issue_type_id: j.classification === 'planned' ? '10001' : '10004',
      issue_type_name:
        j.classification === 'planned' ? 'Story' : j.classification === 'bug' ? 'Bug' : 'Incident',
      classification: j.classification,
      created_at: j.createdAt,
      resolved_at: j.resolvedAt,
      source_updated_at: j.resolvedAt ?? j.createdAt,
    })),
    jiraTransitions: [],
    changes: [],
  };
}

/**
 * Writes a generated organisation with the kit's one loader (`loadOrgRows`: the collector's own
 * upserts, then `deriveLinks` over every repository, as a sync does).
 */
export async function seedOrg(db: Db, org: GeneratedOrg, attributionWindowDays = 7): Promise<void> {
  await loadOrgRows(db, generatedOrgRows(org), {
    attributionWindowDays,
    teamsFirst: true,
    linkRepositories: 'all',
  });
}
