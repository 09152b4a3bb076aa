import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, type FakePayload, startFakeGitHubServer } from '@stride/testkit/fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingCheckPaths } from '../testing/pending-check-paths.ts';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { syncGitHub } from './sync-github.ts';

type Json = FakePayload;
const RELEASES = 'stride-gen/service-1';
const TAGS = 'stride-gen/service-2';
const TAG_PATTERN = '^v\\d+\\.\\d+\\.\\d+$';
const GITHUB = {
  repositories: [RELEASES, TAGS],
  repositoryRules: {
    [RELEASES]: { source: 'releases' },
    [TAGS]: { source: 'tags', tagPattern: TAG_PATTERN },
  },
};
const iso = (value: string) => new Date(value).toISOString();

async function productionDeployments(t: TestDatabase, fullName: string) {
  return t.db
    .selectFrom('deployments as d')
    .innerJoin('repositories as r', 'r.id', 'd.repository_id')
    .select(['d.id', 'd.source', 'd.external_id', 'd.sha', 'd.ref', 'd.deployed_at'])
    .where('r.full_name', '=', fullName)
    .where('d.is_production', '=', true)
    .where('d.status', '=', 'success')
    .orderBy('d.deployed_at')
    .execute();
}

/** The tag's commit, as the served ref (and annotated tag object) say. */
function taggedSha(repo: Json, tagName: string): string {
  return (repo.tags as Json[]).find((t) => t.name === tagName)!.commit.sha;
}

describe('GitHub releases and tags as deployment sources', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  let ctx: ReturnType<typeof createSyncTestContext>;
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { repositories: 2, pullsPerRepository: 60 },
    });
    // Enough non-matching tags for a second page of GET /tags (100 per page).
    const tags = server.repos.get(TAGS)!.tags as Json[];
    const sha = tags[0]!.commit.sha;
    for (let n = 150; n > 0; n -= 1) tags.push({ ...tags[0]!, name: `build-${n}`, commit: { sha, url: '' } });
    ctx = createSyncTestContext(t.db, server.url, GITHUB);
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('a malformed release is logged with its URL and skipped; the rest are deployments at published_at', async () => {
    const data = server.repos.get(RELEASES)!;
    const releases = data.releases as Json[];
    const bad = releases.find((r) => !r.draft && !r.prerelease)!;
    delete bad.tag_name;
    const reports = await syncGitHub(ctx);
    expect(reports.filter((r) => r.error)).toEqual([]);
    const warning = ctx.logs.find((l) => l.msg === 'skipped malformed release')!;
    expect(String(warning.url)).toContain(`/repos/${RELEASES}/releases?`);
    const expected = releases
      .filter((r) => r !== bad && !r.draft && !r.prerelease)
      .map((r) => ({
        external_id: String(r.id),
        sha: taggedSha(data, r.tag_name),
        deployed_at: iso(r.published_at),
      }))
      .sort((a, b) => a.deployed_at.localeCompare(b.deployed_at));
    expect(releases.some((r) => r.draft)).toBe(true);
    expect(releases.some((r) => r.prerelease)).toBe(true);
    expect(Object.keys(data.gitTags!).length).toBeGreaterThan(0); // annotated tags resolved too
    const rows = await productionDeployments(t, RELEASES);
    expect(
      rows.map((r) => ({
        external_id: r.external_id,
        sha: r.sha,
        deployed_at: r.deployed_at!.toISOString(),
      })),
    ).toEqual(expected);
    expect(rows.every((r) => r.source === 'releases')).toBe(true);
    // Every well-formed release is kept raw (drafts and prereleases too), with its tag refs.
    const raw = await t.db
      .selectFrom('raw_payloads')
      .select(['kind', 'external_id'])
      .where('scope', '=', RELEASES)
      .execute();
    expect(raw.filter((p) => p.kind === 'release')).toHaveLength(releases.length - 1);
    const resolved = releases.filter((r) => r !== bad && !r.draft);
    expect(new Set(raw.filter((p) => p.kind === 'git_ref').map((p) => p.external_id))).toEqual(
      new Set(resolved.map((r) => `tags/${r.tag_name}`)),
    );
    expect(raw.filter((p) => p.kind === 'git_tag').length).toBe(
      resolved.filter((r) => Object.values(data.gitTags!).some((g) => g.tag === r.tag_name)).length,
    );
  });

  it('each tag matching tagPattern is a deployment at its commit committer date', async () => {
    const data = server.repos.get(TAGS)!;
    const tags = (data.tags as Json[]).filter((tag) => new RegExp(TAG_PATTERN).test(tag.name));
    expect(tags.length).toBeLessThan((data.tags as Json[]).length); // rc and nightly tags excluded
    const expected = tags
      .map((tag) => ({
        ref: tag.name,
        sha: tag.commit.sha,
        deployed_at: iso(data.commits![tag.commit.sha]!.commit.committer.date),
      }))
      .sort((a, b) => a.deployed_at.localeCompare(b.deployed_at));
    const rows = await productionDeployments(t, TAGS);
    expect(rows.map((r) => ({ ref: r.ref, sha: r.sha, deployed_at: r.deployed_at!.toISOString() }))).toEqual(
      expected,
    );
    // One commit request per tagged SHA.
    // (Open PRs' head commits are asked for their check runs: not commit requests.)
    const commitRequests = server.requests.filter(
      (r) => r.path.startsWith(`/repos/${TAGS}/commits/`) && !r.path.endsWith('/check-runs'),
    );
    expect(commitRequests).toHaveLength(new Set(tags.map((tag) => tag.commit.sha)).size);
  });

  it('links changes by commit via compare between consecutive deployed SHAs', async () => {
    for (const fullName of [RELEASES, TAGS]) {
      const data = server.repos.get(fullName)!;
      const mergedAt = new Map<string, number>(
        (data.pulls as Json[])
          .filter((p) => p.merged_at)
          .map((p) => [p.merge_commit_sha, Date.parse(p.merged_at)]),
      );
      const deployments = await productionDeployments(t, fullName);
      // Expected: a PR merged after deployment i-1's commit and at or before deployment i's.
      const expected: [string, string][] = [];
      for (let i = 1; i < deployments.length; i += 1) {
        const from = mergedAt.get(deployments[i - 1]!.sha!)!;
        const to = mergedAt.get(deployments[i]!.sha!)!;
        for (const p of data.pulls as Json[]) {
          const at = p.merged_at ? Date.parse(p.merged_at) : null;
          if (at !== null && at > from && at <= to) expected.push([String(p.id), deployments[i]!.id]);
        }
      }
      expect(expected.length).toBeGreaterThan(0);
      const links = await t.db
        .selectFrom('deployment_changes as dc')
        .innerJoin('pull_requests as pr', 'pr.id', 'dc.pull_request_id')
        .innerJoin('repositories as r', 'r.id', 'pr.repository_id')
        .select(['pr.external_id', 'dc.deployment_id'])
        .where('r.full_name', '=', fullName)
        .where('dc.attribution', '=', 'commit')
        .execute();
      expect(links.map((l) => [l.external_id, l.deployment_id]).sort()).toEqual(expected.sort());
    }
  });

  it('a re-sync with nothing new is all 304s', async () => {
    const before = server.requests.length;
    const again = await syncGitHub(createSyncTestContext(t.db, server.url, GITHUB));
    expect(again.filter((r) => r.error)).toEqual([]);
    const seen = server.requests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    // The check runs of PRs whose checks were pending are asked again, conditionally: 304 too.
    expect(seen.filter((r) => r.status !== 304)).toEqual([]);
    const checks = seen.filter((r) => r.path.endsWith('/check-runs'));
    expect(checks.map((r) => r.path).sort()).toEqual(await pendingCheckPaths(t.db));
  });

  it('a new tag on the second page is picked up on the next sync, fetching only its commit', async () => {
    const data = server.repos.get(TAGS)!;
    const newest = (data.tags as Json[]).find((tag) => new RegExp(TAG_PATTERN).test(tag.name))!;
    const extra = { ...newest, name: 'v9.0.0', commit: { ...newest.commit } };
    (data.tags as Json[]).push(extra); // the last page: the first one is unchanged
    const before = server.requests.length;
    await syncGitHub(createSyncTestContext(t.db, server.url, GITHUB));
    const tagPages = server.requests.slice(before).filter((r) => r.path === `/repos/${TAGS}/tags`);
    expect(tagPages.map((r) => r.status)).toEqual([304, 200]);
    const commitPaths = server.requests
      .slice(before)
      .filter((r) => r.path.includes('/commits/') && !r.path.endsWith('/check-runs'));
    expect(commitPaths.map((r) => r.path)).toEqual([`/repos/${TAGS}/commits/${newest.commit.sha}`]);
    const rows = await productionDeployments(t, TAGS);
    expect(rows.filter((r) => r.ref === 'v9.0.0').map((r) => r.sha)).toEqual([newest.commit.sha]);
  });

  it('a draft published later is picked up (drafts hold the releases watermark)', async () => {
    const data = server.repos.get(RELEASES)!;
    const releases = data.releases as Json[];
    const oldestDraft = releases.filter((r) => r.draft).at(-1)!;
    expect(releases.indexOf(oldestDraft)).toBeGreaterThan(0); // newer releases were stored after it
    oldestDraft.draft = false;
    oldestDraft.published_at = new Date(Date.parse(oldestDraft.created_at) + 60_000)
      .toISOString()
      .replace('.000Z', 'Z');
    (data.tags as Json[]).push({
      name: oldestDraft.tag_name,
      commit: { sha: (data.tags as Json[])[0]!.commit.sha, url: '' },
      zipball_url: '',
      tarball_url: '',
      node_id: 'REF_draft',
    });
    await syncGitHub(createSyncTestContext(t.db, server.url, GITHUB));
    const rows = await productionDeployments(t, RELEASES);
    const row = rows.find((r) => r.external_id === String(oldestDraft.id))!;
    expect(row.deployed_at!.toISOString()).toBe(iso(oldestDraft.published_at));
    expect(row.sha).toBe(taggedSha(data, oldestDraft.tag_name));
  });

  it('a release whose tag does not exist falls back to a SHA target_commitish, else no SHA (logged)', async () => {
    const data = server.repos.get(RELEASES)!;
    const template = (data.releases as Json[])[0]!;
    const sha = 'a'.repeat(40);
    const at = '2031-01-01T00:00:00Z';
    (data.releases as Json[]).unshift(
      {
        ...template,
        id: 1,
        tag_name: 'v8.0.0',
        target_commitish: 'main',
        draft: false,
        prerelease: false,
        created_at: at,
        published_at: at,
      },
      {
        ...template,
        id: 2,
        tag_name: 'v8.0.1',
        target_commitish: sha,
        draft: false,
        prerelease: false,
        created_at: at,
        published_at: at,
      },
    );
    const ctx2 = createSyncTestContext(t.db, server.url, GITHUB);
    await syncGitHub(ctx2);
    const rows = await productionDeployments(t, RELEASES);
    expect(rows.find((r) => r.external_id === '1')!.sha).toBeNull();
    expect(rows.find((r) => r.external_id === '2')!.sha).toBe(sha);
    expect(ctx2.logs.filter((l) => l.msg === 'release tag not found: stored without a SHA')).toHaveLength(1);
  });
});
