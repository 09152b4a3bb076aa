import { createHash } from 'node:crypto';
import { mulberry32 } from '@stride/shared';

/** A REST payload of any shape: tests read and change the served data freely. */
// biome-ignore lint/suspicious/noExplicitAny: payloads are untyped JSON by design (bad input included)
export type FakePayload = Record<string, any>;

/** Everything the fake GitHub server knows about one repository, in the REST API's shapes. */
export interface FakeRepoData {
  repo: FakePayload;
  pulls: FakePayload[];
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

export interface GeneratedVolumeOptions {
  /** Owner (org) of the generated repositories. Default `stride-gen`. */
  owner?: string;
  /** Number of repositories, named `service-1`... Default 1. */
  repositories?: number;
  /** Pull requests per repository. Default 120. */
  pullsPerRepository?: number;
  /** A production deployment every this many merged PRs. Default 4. */
  pullsPerDeployment?: number;
  /** PRNG seed: the same seed gives the same data. Default 42. */
  seed?: number;
  /** Time of the first PR. Default 2025-01-06T09:00:00Z. */
  start?: string;
}

const sha = (text: string) => createHash('sha1').update(text).digest('hex');
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const user = (login: string, id: number) => ({ login, id, type: login.endsWith('[bot]') ? 'Bot' : 'User' });

const LOGINS = ['ada', 'linus', 'grace', 'ken', 'barbara', 'dennis', 'margaret', 'alan'];
const HOUR = 3_600_000;

/**
 * A release `v1.{seq}.0` of the deployed merge commit, published at `deployAt`, with its tag, the
 * tagged commit and (every third one) an annotated tag object; every fourth deployment also gets
 * a prerelease `-rc.1` tag and release before it, every sixth a draft, every fifth a `nightly-`
 * tag. No PRNG draws, so the rest of the generated data is unchanged by them.
 * Shapes: https://docs.github.com/en/rest/releases/releases, .../repos/repos#list-repository-tags,
 * .../git/tags, .../commits/commits#get-a-commit.
 */
function addRelease(
  data: FakeRepoData,
  fullName: string,
  seq: number,
  commitSha: string,
  committedAt: number,
  deployAt: number,
  newId: () => number,
): void {
  const tag = (name: string, target: string) => {
    data.tags!.push({
      name,
      commit: { sha: target, url: `https://api.github.com/repos/${fullName}/commits/${target}` },
      zipball_url: `https://api.github.com/repos/${fullName}/zipball/refs/tags/${name}`,
      tarball_url: `https://api.github.com/repos/${fullName}/tarball/refs/tags/${name}`,
      node_id: `REF_${sha(`${fullName}@${name}`).slice(0, 16)}`,
    });
  };
  const release = (name: string, at: number, options: { draft?: boolean; prerelease?: boolean }) => {
    const id = newId();
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
      created_at: iso(at - 0.05 * HOUR),
      published_at: options.draft ? null : iso(at),
      author: user('ada', 100),
      assets: [],
    });
  };
  data.commits![commitSha] = {
    sha: commitSha,
    node_id: `C_${commitSha.slice(0, 16)}`,
    url: `https://api.github.com/repos/${fullName}/commits/${commitSha}`,
    html_url: `https://github.com/${fullName}/commit/${commitSha}`,
    commit: {
      author: { name: 'ada', email: 'ada@example.com', date: iso(committedAt) },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: iso(committedAt) },
      message: `Merge release candidate ${seq}`,
      tree: { sha: sha(`${commitSha}/tree`) },
    },
    author: user('ada', 100),
    committer: user('web-flow', 19864447),
    parents: [],
    stats: { additions: 1, deletions: 0, total: 1 },
    files: [],
  };
  const name = `v1.${seq}.0`;
  if (seq % 4 === 0) {
    tag(`${name}-rc.1`, commitSha);
    release(`${name}-rc.1`, deployAt - 0.3 * HOUR, { prerelease: true });
  }
  tag(name, commitSha);
  if (seq % 3 === 0) {
    const objectSha = sha(`${fullName}@${name}/object`);
    data.gitTags![objectSha] = {
      node_id: `TAG_${objectSha.slice(0, 16)}`,
      tag: name,
      sha: objectSha,
      url: `https://api.github.com/repos/${fullName}/git/tags/${objectSha}`,
      message: `Release ${name}`,
      tagger: { name: 'ada', email: 'ada@example.com', date: iso(deployAt - 0.1 * HOUR) },
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

/**
 * Seeded, deterministic GitHub data in the REST shapes of the recorded payloads: per repository,
 * PRs (most merged into `main`) with commits and reviews, production deployments (GitHub
 * Deployments API, environment `production`) whose SHA is the merge commit of the last PR merged
 * before them, their statuses, and incident issues (label `incident`) shortly after some deployments.
 */
export function generateGitHubData(options: GeneratedVolumeOptions = {}): Map<string, FakeRepoData> {
  const owner = options.owner ?? 'stride-gen';
  const repoCount = options.repositories ?? 1;
  const pullCount = options.pullsPerRepository ?? 120;
  const perDeployment = options.pullsPerDeployment ?? 4;
  const random = mulberry32(options.seed ?? 42);
  const start = Date.parse(options.start ?? '2025-01-06T09:00:00Z');
  const out = new Map<string, FakeRepoData>();
  let nextId = 9_000_000;
  const newId = () => {
    nextId += 1;
    return nextId;
  };
  for (let r = 1; r <= repoCount; r += 1) {
    const fullName = `${owner}/service-${r}`;
    const data: FakeRepoData = {
      repo: {
        id: newId(),
        name: `service-${r}`,
        full_name: fullName,
        owner: user(owner, 1),
        default_branch: 'main',
        archived: false,
        html_url: `https://github.com/${fullName}`,
        created_at: iso(start - 400 * 24 * HOUR),
        updated_at: iso(start),
      },
      pulls: [],
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
    };
    let t = start;
    const merged: { sha: string; at: number }[] = [];
    let deploySeq = 0;
    let lastDeployAt = 0;
    let lastMergedAt = 0;
    for (let n = 1; n <= pullCount; n += 1) {
      t += (2 + random() * 20) * HOUR;
      const author = LOGINS[Math.floor(random() * LOGINS.length)]!;
      const createdAt = t;
      const commitCount = 1 + Math.floor(random() * 4);
      const commits: Record<string, unknown>[] = [];
      for (let c = 0; c < commitCount; c += 1) {
        const at = createdAt - (commitCount - c) * (1 + random() * 10) * HOUR;
        const commitSha = sha(`${fullName}#${n}/${c}`);
        commits.push({
          sha: commitSha,
          commit: {
            author: { name: author, email: `${author}@example.com`, date: iso(at) },
            committer: { name: author, email: `${author}@example.com`, date: iso(at) },
            message: `change ${n}.${c}`,
          },
          author: user(author, 100 + LOGINS.indexOf(author)),
        });
      }
      const roll = random();
      const state = roll < 0.08 ? 'open' : 'closed';
      const isMerged = roll >= 0.14;
      const reviews: Record<string, unknown>[] = [];
      const reviewCount = Math.floor(random() * 3);
      let reviewAt = createdAt + (0.5 + random() * 12) * HOUR;
      for (let v = 0; v < reviewCount; v += 1) {
        const reviewer = LOGINS[(LOGINS.indexOf(author) + 1 + v) % LOGINS.length]!;
        reviews.push({
          id: newId(),
          user: user(reviewer, 100 + LOGINS.indexOf(reviewer)),
          state: v === reviewCount - 1 ? 'APPROVED' : 'COMMENTED',
          submitted_at: iso(reviewAt),
          body: '',
        });
        reviewAt += (0.5 + random() * 6) * HOUR;
      }
      // Merges in PR-number order, so each deployed SHA is ahead of the previous one.
      // Some PRs get a conversation comment by a teammate before any review.
      if (random() < 0.3) {
        const commenter = LOGINS[(LOGINS.indexOf(author) + 3) % LOGINS.length]!;
        data.issueComments![String(n)] = [
          {
            id: newId(),
            user: user(commenter, 100 + LOGINS.indexOf(commenter)),
            created_at: iso(createdAt + (0.1 + random() * 0.3) * HOUR),
            body: 'Looks reasonable, one question inline.',
          },
        ];
      }
      const mergedAt = isMerged
        ? Math.max(Math.max(reviewAt, createdAt + HOUR) + random() * 4 * HOUR, lastMergedAt + 60_000)
        : null;
      if (mergedAt !== null) lastMergedAt = mergedAt;
      const mergeSha = sha(`${fullName}#${n}/merge`);
      const closedAt = state === 'open' ? null : (mergedAt ?? createdAt + 30 * HOUR);
      const label = random() < 0.1 ? [{ name: 'bug' }] : [];
      data.pulls.push({
        id: newId(),
        number: n,
        title: label.length ? `Fix defect ${n}` : `Feature ${n}`,
        user: user(author, 100 + LOGINS.indexOf(author)),
        state,
        draft: false,
        created_at: iso(createdAt),
        updated_at: iso(Math.max(closedAt ?? createdAt, reviewAt)),
        closed_at: closedAt === null ? null : iso(closedAt),
        merged_at: mergedAt === null ? null : iso(mergedAt),
        merge_commit_sha: mergeSha,
        base: { ref: 'main' },
        head: { ref: `feature/${n}` },
        labels: label,
        html_url: `https://github.com/${fullName}/pull/${n}`,
        body: null,
      });
      data.pullCommits[String(n)] = commits;
      if (reviews.length) data.pullReviews[String(n)] = reviews;
      if (mergedAt !== null) merged.push({ sha: mergeSha, at: mergedAt });
      // A production deployment after every few merges, shipping the last merge commit.
      if (mergedAt !== null && merged.length % perDeployment === 0) {
        deploySeq += 1;
        const deployAt = Math.max(mergedAt, lastDeployAt) + (0.5 + random() * 3) * HOUR;
        lastDeployAt = deployAt;
        const id = newId();
        data.deployments.push({
          id,
          sha: mergeSha,
          ref: 'main',
          task: 'deploy',
          environment: 'production',
          created_at: iso(deployAt - 0.2 * HOUR),
          updated_at: iso(deployAt),
          creator: null,
        });
        data.deploymentStatuses[String(id)] = [
          { id: newId(), state: 'success', created_at: iso(deployAt), environment: 'production' },
          {
            id: newId(),
            state: 'in_progress',
            created_at: iso(deployAt - 0.1 * HOUR),
            environment: 'production',
          },
        ];
        addRelease(data, fullName, deploySeq, mergeSha, mergedAt, deployAt, newId);
        if (deploySeq % 5 === 0) {
          data.issues.push({
            id: newId(),
            number: 10_000 + deploySeq,
            title: `Outage after deploy ${deploySeq}`,
            state: 'closed',
            labels: [{ name: 'Incident' }],
            created_at: iso(deployAt + 2 * HOUR),
            updated_at: iso(deployAt + 5 * HOUR),
            closed_at: iso(deployAt + 5 * HOUR),
            html_url: `https://github.com/${fullName}/issues/${10_000 + deploySeq}`,
            body: 'Error rates spiked.',
          });
        }
      }
    }
    // Newest first, as the API lists them; older successes become inactive like on GitHub.
    data.deployments.reverse();
    data.releases!.reverse();
    data.tags!.reverse();
    data.deployments.forEach((d, index) => {
      if (index === 0) return;
      const newer = data.deployments[index - 1]!;
      const newerSuccess = data.deploymentStatuses[String(newer.id)]!.find((s) => s.state === 'success')!;
      data.deploymentStatuses[String(d.id)]!.unshift({
        id: newId(),
        state: 'inactive',
        created_at: newerSuccess.created_at,
        environment: 'production',
      });
      d.updated_at = newerSuccess.created_at;
    });
    out.set(fullName, data);
  }
  return out;
}
