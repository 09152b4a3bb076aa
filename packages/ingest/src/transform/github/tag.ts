import type { NewDeployment } from '@stride/db';
import { z } from 'zod';
import { isoTime, linkUrl, parsePayload } from './payload.ts';

const hexSha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hex commit SHA');

/** `GET /repos/{o}/{r}/tags` item (https://docs.github.com/en/rest/repos/repos#list-repository-tags). */
export const tagSchema = z.object({
  name: z.string().min(1),
  commit: z.object({ sha: hexSha }),
});
export type TagPayload = z.output<typeof tagSchema>;

/**
 * `GET /repos/{o}/{r}/git/ref/tags/{tag}` (https://docs.github.com/en/rest/git/refs#get-a-reference)
 * and `GET /repos/{o}/{r}/git/tags/{sha}` (an annotated tag object, whose `object` is what it tags).
 */
export const gitObjectRefSchema = z.object({
  object: z.object({ type: z.string(), sha: hexSha }),
});

/** `GET /repos/{o}/{r}/commits/{ref}`: the fields a tag deployment needs. */
export const repoCommitSchema = z.object({
  sha: hexSha,
  commit: z.object({ committer: z.object({ date: isoTime }) }),
  html_url: linkUrl,
});

/** Whether a tag (or a release's tag) counts under the rule's optional `tagPattern` (case-insensitive regex). */
export function matchesTagPattern(name: string, pattern: string | undefined): boolean {
  return pattern === undefined || new RegExp(pattern, 'i').test(name);
}

/** Deployment id of a tag: tag names repeat across repositories, `deployments` ids must not. */
export const tagExternalId = (fullName: string, tagName: string) => `${fullName}@${tagName}`;

/**
 * Maps a tag and its tagged commit to a `deployments` row (source `tags`): a successful
 * production deployment at the commit's committer date (docs/metrics.md, Deployment).
 * Sources: https://docs.github.com/en/rest/repos/repos#list-repository-tags,
 * https://docs.github.com/en/rest/commits/commits#get-a-commit
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformTag(
  tagPayload: unknown,
  commitPayload: unknown,
  options: { repositoryId: string; fullName: string },
): NewDeployment {
  const tag = parsePayload(tagSchema, 'tag', tagPayload);
  const commit = parsePayload(repoCommitSchema, 'commit', commitPayload);
  const at = commit.commit.committer.date;
  return {
    repository_id: options.repositoryId,
    source: 'tags',
    external_id: tagExternalId(options.fullName, tag.name),
    environment: 'production',
    is_production: true,
    sha: tag.commit.sha,
    ref: tag.name,
    status: 'success',
    created_at: at,
    deployed_at: at,
    url: commit.html_url ?? null,
    source_updated_at: at,
  };
}
