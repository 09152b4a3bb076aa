import { createHash } from 'node:crypto';
import { COPILOT_AGENT_LOGIN, modelCommitMessage } from '../model/ai-adoption.ts';
import type { ModelPullRequest, OrgModel, RepositoryActivity } from '../model/org-model-types.ts';

/** A REST payload of any shape: tests read and change the served data freely. */
// biome-ignore lint/suspicious/noExplicitAny: payloads are untyped JSON by design (bad input included)
export type FakePayload = Record<string, any>;

/** Everything the fake GitHub server knows about one repository, in the REST API's shapes. */
export interface FakeRepoData {
  repo: FakePayload;
  pulls: FakePayload[];
  /** Size fields of `GET /pulls/{n}` (additions, deletions, changed_files) by PR number. */
  pullDetails?: Record<string, FakePayload>;
  pullCommits: Record<string, FakePayload[]>;
  pullReviews: Record<string, FakePayload[]>;
  /** Conversation comments of PRs (`GET /issues/{n}/comments`), by PR number. */
  issueComments?: Record<string, FakePayload[]>;
  runs: FakePayload[];
  issues: FakePayload[];
  deployments: FakePayload[];
  deploymentStatuses: Record<string, FakePayload[]>;
  /** `GET /releases` items (newest first by `created_at` when served). */
  releases?: FakePayload[];
  /** `GET /tags` items, in the order served. */
  tags?: FakePayload[];
  /** Annotated tag objects (`GET /git/tags/{sha}`) by their SHA; a tag named by one has a ref to it. */
  gitTags?: Record<string, FakePayload>;
  /** Commits (`GET /commits/{sha}`) by SHA. */
  commits?: Record<string, FakePayload>;
  /** Issue timeline events of PRs (`GET /issues/{n}/timeline`), by PR number; none = an empty timeline. */
  issueTimelines?: Record<string, FakePayload[]>;
  /** Check runs of commits (`GET /commits/{ref}/check-runs`), by SHA; none = no checks. */
  checkRuns?: Record<string, FakePayload[]>;
}

export interface GitHubRestOptions {
  /** Serve a release (with its tag, tagged commit, some annotated tags, prereleases, drafts) per production deployment. Default true. */
  releases?: boolean;
}

const HOUR = 3_600_000;
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const at = (date: Date) => iso(date.getTime());
/** A stable numeric user id per login (GitHub's `user.id`). */
const userId = (login: string) => 100 + (Number.parseInt(sha1(login).slice(0, 8), 16) % 10_000_000);
/**
 * A REST user. Bots: an App's `[bot]` login, and the Copilot coding agent, which GitHub serves
 * as `{ login: 'Copilot', id: 198982749, type: 'Bot' }` (no suffix).
 */
export const restUser = (login: string) => ({
  login,
  id: login === COPILOT_AGENT_LOGIN ? 198_982_749 : userId(login),
  type: login.endsWith('[bot]') || login === COPILOT_AGENT_LOGIN ? 'Bot' : 'User',
});
const user = restUser;

/** A PR's description as served: the Jira keys it closes, or none. */
export function pullBody(pr: Pick<ModelPullRequest, 'linkedIssueKeys'>): string | null {
  return pr.linkedIssueKeys.length ? `Closes ${pr.linkedIssueKeys.join(', ')}` : null;
}

/**
 * A PR's commits as `GET /pulls/{n}/commits` gives them (https://docs.github.com/en/rest/pulls/pulls#list-commits-on-a-pull-request):
 * author and committer, the message (`modelCommitMessage`: an AI tool's trailer where the model
 * put one) and the GitHub user.
 */
export function pullCommitPayloads(pr: Pick<ModelPullRequest, 'title' | 'commits'>): FakePayload[] {
  return pr.commits.map((c, k) => ({
    sha: c.sha,
    commit: {
      author: { name: c.author, email: `${c.author}@users.noreply.github.com`, date: at(c.authoredAt) },
      committer: { name: c.author, email: `${c.author}@users.noreply.github.com`, date: at(c.authoredAt) },
      message: modelCommitMessage(pr, k),
    },
    author: user(c.author),
  }));
}

/** Numeric ids of one pass over a model (PRs, reviews, deployments...), unique across repositories. */
interface Ids {
  next(): number;
}

/**
 * A release `v1.{seq}.0` of a deployed commit, published at `deployAt`, with its tag, the tagged
 * commit and (every third one) an annotated tag object; every fourth deployment also gets a
 * prerelease `-rc.1` tag and release before it, every sixth a draft, every fifth a `nightly-` tag.
 * Shapes: https://docs.github.com/en/rest/releases/releases, .../repos/repos#list-repository-tags,
 * .../git/tags, .../commits/commits#get-a-commit.
 */
function addRelease(
  data: FakeRepoData,
  fullName: string,
  seq: number,
  commitSha: string,
  deployAt: number,
  ids: Ids,
): void {
  const tag = (name: string, target: string) => {
    data.tags!.push({
      name,
      commit: { sha: target, url: `https://api.github.com/repos/${fullName}/commits/${target}` },
      zipball_url: `https://api.github.com/repos/${fullName}/zipball/refs/tags/${name}`,
      tarball_url: `https://api.github.com/repos/${fullName}/tarball/refs/tags/${name}`,
      node_id: `REF_${sha1(`${fullName}@${name}`).slice(0, 16)}`,
    });
  };
  const release = (name: string, when: number, options: { draft?: boolean; prerelease?: boolean }) => {
    const id = ids.next();
    data.releases!.push({
      url: `https://api.github.com/repos/${fullName}/releases/${id}`,
      html_url: `https://github.com/${fullName}/releases/tag/${name}`,
      id,
      node_id: `RE_${id}`,
      tag_name: name,
      target_commitish: 'main',
      name,
      body: `Release ${name}`,
      draft: options.draft === true,
      prerelease: options.prerelease === true,
      created_at: iso(when - 0.05 * HOUR),
      published_at: options.draft ? null : iso(when),
      author: user('release-manager'),
      assets: [],
    });
  };
  const name = `v1.${seq}.0`;
  if (seq % 4 === 0) {
    tag(`${name}-rc.1`, commitSha);
    release(`${name}-rc.1`, deployAt - 0.3 * HOUR, { prerelease: true });
  }
  tag(name, commitSha);
  if (seq % 3 === 0) {
    const objectSha = sha1(`${fullName}@${name}/object`);
    data.gitTags![objectSha] = {
      node_id: `TAG_${objectSha.slice(0, 16)}`,
      tag: name,
      sha: objectSha,
      url: `https://api.github.com/repos/${fullName}/git/tags/${objectSha}`,
      message: `Release ${name}`,
      tagger: { name: 'release-manager', email: 'release@example.com', date: iso(deployAt - 0.1 * HOUR) },
      object: {
        type: 'commit',
        sha: commitSha,
        url: `https://api.github.com/repos/${fullName}/git/commits/${commitSha}`,
      },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    };
  }
  release(name, deployAt, {});
  if (seq % 5 === 0) tag(`nightly-${seq}`, commitSha);
  if (seq % 6 === 0) release(`v1.${seq}.1`, deployAt + 0.5 * HOUR, { draft: true });
}

/** A PR's merge commit as `GET /commits/{sha}` gives it (the tagged commit of a release). */
function commitPayload(
  fullName: string,
  sha: string,
  author: string,
  date: Date,
  message: string,
): FakePayload {
  return {
    sha,
    node_id: `C_${sha.slice(0, 16)}`,
    url: `https://api.github.com/repos/${fullName}/commits/${sha}`,
    html_url: `https://github.com/${fullName}/commit/${sha}`,
    commit: {
      author: { name: author, email: `${author}@users.noreply.github.com`, date: at(date) },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: at(date) },
      message,
      tree: { sha: sha1(`${sha}/tree`) },
    },
    author: user(author),
    committer: user('web-flow'),
    parents: [],
    stats: { additions: 1, deletions: 0, total: 1 },
    files: [],
  };
}

/**
 * One repository's activity in the GitHub REST API's shapes (docs.github.com/en/rest: pulls,
 * pull commits and reviews, issue comments, deployments and their statuses, issues, releases,
 * tags, commits): PRs with their commits, reviews (`GET /pulls/{n}/reviews`) and conversation
 * comments (`GET /issues/{n}/comments`); production deployments of the GitHub Deployments API
 * with statuses newest first (older successes of an environment become `inactive`, as on
 * GitHub); incidents reported on GitHub as issues labelled `Incident`; and, when asked, a
 * release per successful production deployment of a new commit.
 */
export function repositoryPayloads(
  activity: RepositoryActivity,
  ids: Ids,
  options: GitHubRestOptions = {},
): FakeRepoData {
  const { repository: repo } = activity;
  const fullName = repo.fullName;
  const [owner, name] = fullName.split('/') as [string, string];
  const data: FakeRepoData = {
    repo: {
      id: repo.id,
      name,
      full_name: fullName,
      owner: { ...user(owner), type: 'Organization' },
      default_branch: repo.defaultBranch,
      archived: false,
      html_url: repo.url,
      created_at: at(repo.createdAt),
      updated_at: at(repo.createdAt),
    },
    pulls: [],
    pullDetails: {},
    pullCommits: {},
    pullReviews: {},
    issueComments: {},
    runs: [],
    issues: [],
    deployments: [],
    deploymentStatuses: {},
    releases: [],
    tags: [],
    gitTags: {},
    commits: {},
    issueTimelines: {},
    checkRuns: {},
  };
  for (const pr of activity.pullRequests) {
    const n = String(pr.number);
    const updated = Math.max(
      +(pr.closedAt ?? pr.readyForReviewAt ?? pr.createdAt),
      ...pr.reviews.map((r) => +r.submittedAt),
    );
    data.pulls.push({
      id: ids.next(),
      number: pr.number,
      title: pr.title,
      user: user(pr.author),
      state: pr.state === 'open' ? 'open' : 'closed',
      draft: pr.draft,
      created_at: at(pr.createdAt),
      updated_at: iso(updated),
      closed_at: pr.closedAt ? at(pr.closedAt) : null,
      merged_at: pr.mergedAt ? at(pr.mergedAt) : null,
      merge_commit_sha: pr.mergeCommitSha ?? sha1(`${pr.externalId}/test-merge`),
      base: { ref: pr.baseBranch },
      head: { ref: pr.headBranch, sha: pr.commits.at(-1)?.sha ?? null },
      requested_reviewers: pr.requestedReviewers.map(user),
      requested_teams: [],
      labels: pr.labels.map((l) => ({ name: l })),
      html_url: pr.url,
      body: pullBody(pr),
    });
    const head = pr.commits.at(-1)?.sha;
    if (head && pr.ciState)
      data.checkRuns![head] = checkRuns(head, pr.ciState, pr.commits.at(-1)!.authoredAt, ids);
    // A PR opened as a draft says when it was marked ready in its timeline.
    if (pr.readyForReviewAt)
      data.issueTimelines![n] = [
        {
          id: ids.next(),
          event: 'ready_for_review',
          actor: user(pr.author),
          created_at: at(pr.readyForReviewAt),
        },
      ];
    if (pr.additions !== null)
      data.pullDetails![n] = {
        additions: pr.additions,
        deletions: pr.deletions,
        changed_files: pr.changedFiles,
      };
    data.pullCommits[n] = pullCommitPayloads(pr);
    const reviews = pr.reviews.filter((r) => r.kind === 'review');
    const comments = pr.reviews.filter((r) => r.kind === 'comment');
    if (reviews.length)
      data.pullReviews[n] = reviews.map((r) => ({
        id: ids.next(),
        user: user(r.reviewer),
        state: r.state,
        submitted_at: at(r.submittedAt),
        body: '',
      }));
    if (comments.length)
      data.issueComments![n] = comments.map((c) => ({
        id: ids.next(),
        user: user(c.reviewer),
        created_at: at(c.submittedAt),
        body: 'Looks reasonable, one question inline.',
      }));
    if (pr.mergedAt && pr.mergeCommitSha && options.releases !== false)
      data.commits![pr.mergeCommitSha] = commitPayload(
        fullName,
        pr.mergeCommitSha,
        pr.author,
        pr.mergedAt,
        `Merge pull request #${n}`,
      );
  }
  let seq = 0;
  let releasedSha: string | null = null;
  for (const d of activity.deployments) {
    if (d.source !== 'github_deployments') continue;
    const id = ids.next();
    const createdMs = +d.createdAt;
    const endMs = d.deployedAt ? +d.deployedAt : createdMs + 0.1 * HOUR;
    data.deployments.push({
      id,
      node_id: `DE_${id}`,
      sha: d.sha,
      ref: d.ref,
      task: 'deploy',
      environment: d.environment,
      created_at: at(d.createdAt),
      updated_at: iso(endMs),
      creator: null,
    });
    data.deploymentStatuses[String(id)] = [
      { id: ids.next(), state: d.status, created_at: iso(endMs), environment: d.environment },
      { id: ids.next(), state: 'in_progress', created_at: iso(createdMs + 1000), environment: d.environment },
    ];
    // A release per new commit reaching production (a redeploy of the same commit is no release).
    if (d.isProduction && d.deployedAt && options.releases !== false && d.sha !== releasedSha) {
      releasedSha = d.sha;
      seq += 1;
      addRelease(data, fullName, seq, d.sha, endMs, ids);
    }
  }
  for (const incident of activity.incidents) {
    if (incident.source !== 'github') continue;
    const number = Number(incident.key.split('#')[1]);
    data.issues.push({
      id: ids.next(),
      number,
      title: incident.title,
      state: incident.resolvedAt ? 'closed' : 'open',
      labels: [{ name: 'Incident' }, { name: `severity:${incident.severity}` }],
      created_at: at(incident.startedAt),
      updated_at: at(incident.resolvedAt ?? incident.startedAt),
      closed_at: incident.resolvedAt ? at(incident.resolvedAt) : null,
      html_url: incident.url,
      body: 'Error rates spiked.',
    });
  }
  // Newest first, as the API lists them; an older success of an environment becomes inactive.
  data.deployments.reverse();
  data.releases!.reverse();
  data.tags!.reverse();
  const newerSuccess = new Map<string, string>();
  for (const d of data.deployments) {
    const statuses = data.deploymentStatuses[String(d.id)]!;
    const success = statuses.find((s) => s.state === 'success');
    const newer = newerSuccess.get(d.environment);
    if (success && newer !== undefined) {
      statuses.unshift({ id: ids.next(), state: 'inactive', created_at: newer, environment: d.environment });
      d.updated_at = newer;
    }
    if (success) newerSuccess.set(d.environment, success.created_at);
  }
  return data;
}

/**
 * The check runs of a head commit with the given CI state (GET /commits/{ref}/check-runs): build
 * and test; a failure fails the tests, pending leaves them in progress.
 * Source: https://docs.github.com/en/rest/checks/runs#list-check-runs-for-a-git-reference
 */
function checkRuns(
  head: string,
  state: 'success' | 'pending' | 'failure',
  pushedAt: Date,
  ids: Ids,
): FakePayload[] {
  const started = +pushedAt + 60_000;
  const run = (name: string, conclusion: string | null) => ({
    id: ids.next(),
    name,
    head_sha: head,
    status: conclusion === null ? 'in_progress' : 'completed',
    conclusion,
    started_at: iso(started),
    completed_at: conclusion === null ? null : iso(started + 6 * 60_000),
  });
  return [
    run('build', 'success'),
    run('test', state === 'success' ? 'success' : state === 'failure' ? 'failure' : null),
  ];
}

/**
 * The model's repositories in GitHub's REST shapes, one at a time as they are generated
 * (`[full name, payloads]`). Numeric ids are unique across the organisation and the same on
 * every pass.
 */
export function* githubPayloads(
  model: OrgModel,
  options: GitHubRestOptions = {},
): Generator<[string, FakeRepoData]> {
  let id = 9_000_000;
  const ids: Ids = { next: () => ++id };
  for (const activity of model.activity())
    yield [activity.repository.fullName, repositoryPayloads(activity, ids, options)];
}
