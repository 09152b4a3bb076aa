import type { NewDeployment } from '@stride/db';
import { z } from 'zod';
import { isoTime, linkUrl, parsePayload } from './payload.ts';

/** `GET /repos/{o}/{r}/releases` item (https://docs.github.com/en/rest/releases/releases). */
export const releaseSchema = z.object({
  id: z.number().int(),
  tag_name: z.string().min(1),
  target_commitish: z.string().nullable().optional(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  created_at: isoTime,
  published_at: isoTime.nullable(),
  updated_at: isoTime.nullable().optional(),
  html_url: linkUrl,
});
export type ReleasePayload = z.output<typeof releaseSchema>;

/** The version of a release the sync compares with the stored row (newest of its own times). */
export function releaseVersion(release: ReleasePayload): string {
  return release.updated_at ?? release.published_at ?? release.created_at;
}

/**
 * Maps a GitHub release to a `deployments` row (source `releases`). A published release that is
 * neither a draft nor a prerelease is a successful production deployment at its `published_at`
 * (docs/metrics.md, Deployment); a prerelease is stored as non-production context (environment
 * `prerelease`), a draft as status `draft` without a deployment time. `sha` is the commit its tag
 * points to, resolved by the sync (`target_commitish` may be a branch name).
 * Source: https://docs.github.com/en/rest/releases/releases#list-releases
 * @throws InvalidPayloadError when a documented field is missing or malformed.
 */
export function transformRelease(
  payload: unknown,
  options: { repositoryId: string; sha: string | null },
): NewDeployment {
  const r = parsePayload(releaseSchema, 'release', payload);
  const published = !r.draft && r.published_at !== null;
  return {
    repository_id: options.repositoryId,
    source: 'releases',
    external_id: String(r.id),
    environment: r.prerelease ? 'prerelease' : 'production',
    is_production: published && !r.prerelease,
    sha: options.sha,
    ref: r.tag_name,
    status: published ? 'success' : 'draft',
    created_at: r.created_at,
    deployed_at: published ? r.published_at : null,
    url: r.html_url ?? null,
    source_updated_at: releaseVersion(r),
  };
}
