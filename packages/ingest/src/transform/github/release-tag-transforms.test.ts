import { generateGitHubData } from '@stride/testkit';
import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, matchesTagPattern, transformRelease, transformTag } from './index.ts';

const [fullName, data] = [...generateGitHubData({ pullsPerRepository: 60 })][0]!;

describe('release and tag transforms on generated REST payloads', () => {
  it('only a published, non-draft, non-prerelease release is a production success at published_at', () => {
    const releases = data.releases!;
    expect(releases.some((r) => r.draft) && releases.some((r) => r.prerelease)).toBe(true);
    for (const release of releases) {
      const row = transformRelease(release, { repositoryId: '1', sha: 'abc1234' });
      const counted = !release.draft && !release.prerelease;
      expect(row.is_production && row.status === 'success').toBe(counted);
      expect(row.deployed_at ? new Date(row.deployed_at).toISOString() : null).toBe(
        release.draft ? null : new Date(release.published_at).toISOString(),
      );
      expect(row.ref).toBe(release.tag_name);
      expect(row.source).toBe('releases');
    }
  });

  it('a tag is a deployment at its commit committer date; ids are unique across repositories', () => {
    const tag = data.tags![0]!;
    const commit = data.commits![tag.commit.sha]!;
    const row = transformTag(tag, commit, { repositoryId: '1', fullName });
    expect(row.sha).toBe(tag.commit.sha);
    expect(new Date(row.deployed_at as string).toISOString()).toBe(
      new Date(commit.commit.committer.date).toISOString(),
    );
    expect(row.external_id).toBe(`${fullName}@${tag.name}`);
  });

  it('rejects a release without tag_name and a tag without commit SHA', () => {
    const { tag_name: _, ...release } = data.releases![0]!;
    expect(() => transformRelease(release, { repositoryId: '1', sha: null })).toThrow(InvalidPayloadError);
    const tag = { name: 'v1', commit: {} };
    expect(() =>
      transformTag(tag, data.commits![data.tags![0]!.commit.sha], { repositoryId: '1', fullName }),
    ).toThrow(InvalidPayloadError);
  });

  it('tagPattern is an optional case-insensitive regex', () => {
    expect(matchesTagPattern('nightly-5', undefined)).toBe(true);
    expect(matchesTagPattern('V1.2.0', '^v\\d+\\.\\d+\\.\\d+$')).toBe(true);
    expect(matchesTagPattern('v1.2.0-rc.1', '^v\\d+\\.\\d+\\.\\d+$')).toBe(false);
  });
});
