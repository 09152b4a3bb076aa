import {
  getSourceVersions,
  getSyncCursor,
  type NewDeployment,
  type RawPayloadInput,
  saveSyncCursor,
} from '@stride/db';
import {
  gitObjectRefSchema,
  InvalidPayloadError,
  matchesTagPattern,
  type ReleasePayload,
  releaseSchema,
  releaseVersion,
  repoCommitSchema,
  tagExternalId,
  tagSchema,
  transformRelease,
  transformTag,
} from '@stride/ingest';
import { throwIfStopping } from '../sync-context.ts';
import { fetchCommits, fetchReleaseCommits, usesGraphql } from './graphql-lookups.ts';
import {
  badPage,
  bulkRawOf,
  isoOf,
  logUnsafeLinks,
  mapLimit,
  minTime,
  type PageOutcome,
  PER_PAGE,
  type RepoSync,
  skipInvalid,
  storeRaw,
  walkList,
  writeBatch,
} from './repo-sync.ts';

const isHexSha = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9a-f]{40}$/.test(value);

const statusOf = (error: unknown) => (error as { status?: number }).status;

/**
 * The commit a tag points to: `GET /git/ref/tags/{tag}` and, for an annotated tag (object type
 * `tag`), `GET /git/tags/{sha}` until a commit (https://docs.github.com/en/rest/git/refs,
 * https://docs.github.com/en/rest/git/tags). A tag that does not exist (404) falls back to
 * `target_commitish` when that is already a SHA, else null (logged).
 */
async function resolveTagSha(
  r: RepoSync,
  tag: string,
  fallback: string | null | undefined,
): Promise<string | null> {
  try {
    const ref = await r.client.get<unknown>('GET /repos/{owner}/{repo}/git/ref/tags/{tag}', {
      owner: r.owner,
      repo: r.repo,
      tag,
    });
    if (ref.notModified) return null;
    let parsed = gitObjectRefSchema.safeParse(ref.data);
    let url = ref.url;
    await storeRaw(r, [
      { source: 'github', kind: 'git_ref', externalId: `tags/${tag}`, url, payload: ref.data },
    ]);
    // Annotated tags point to a tag object; nested tags are legal, so follow a few levels.
    for (let depth = 0; parsed.success && parsed.data.object.type === 'tag' && depth < 4; depth += 1) {
      const object = await r.client.get<unknown>('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', {
        owner: r.owner,
        repo: r.repo,
        tag_sha: parsed.data.object.sha,
      });
      if (object.notModified) return null;
      url = object.url;
      await storeRaw(r, [
        { source: 'github', kind: 'git_tag', externalId: parsed.data.object.sha, url, payload: object.data },
      ]);
      parsed = gitObjectRefSchema.safeParse(object.data);
    }
    if (parsed.success && parsed.data.object.type === 'commit') return parsed.data.object.sha;
    skipInvalid(
      r,
      new InvalidPayloadError('git ref', 'object.type commit and object.sha required'),
      url,
      'git ref',
    );
    return null;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    if (isHexSha(fallback)) return fallback;
    r.ctx.logger.warn({ repository: r.fullName, tag }, 'release tag not found: stored without a SHA');
    return null;
  }
}

/**
 * Releases of one repository (source `releases`): `GET /releases`, newest first, down to the
 * watermark (`created_at`; drafts keep it from passing them, as they may be published later).
 * New or changed releases get their tag resolved to a commit; a published, non-draft,
 * non-prerelease one is a production deployment at `published_at` (transformRelease). Releases
 * whose tag does not match the rule's `tagPattern` are ignored.
 */
export async function syncReleases(r: RepoSync): Promise<void> {
  await walkList<unknown>(
    r,
    'releases',
    (page, etag) =>
      r.client.get(
        'GET /repos/{owner}/{repo}/releases',
        { owner: r.owner, repo: r.repo, per_page: PER_PAGE, page },
        etag,
      ),
    (data) => data as unknown[],
    async (items, watermark, url): Promise<PageOutcome> => {
      if (!Array.isArray(items)) return badPage(r, url, 'an array of releases');
      const parsed: { payload: unknown; release: ReleasePayload }[] = [];
      let stop = false;
      let newest: string | null = null;
      let oldestOpen: string | null = null;
      for (const payload of items) {
        const check = releaseSchema.safeParse(payload);
        if (!check.success) {
          const issue = check.error.issues[0]!;
          const field = issue.path.map(String).join('.') || '(root)';
          skipInvalid(r, new InvalidPayloadError('release', `${field}: ${issue.message}`), url, 'release');
          continue;
        }
        const created = isoOf(check.data.created_at)!;
        if ((watermark !== null && created < watermark) || (r.since && created < r.since.toISOString())) {
          stop = true;
          break;
        }
        if (newest === null || created > newest) newest = created;
        if (check.data.draft) oldestOpen = minTime(oldestOpen, created);
        if (matchesTagPattern(check.data.tag_name, r.rule.tagPattern))
          parsed.push({ payload, release: check.data });
      }
      const versions = await getSourceVersions(
        r.ctx.db,
        { table: 'deployments', source: 'releases' },
        parsed.map((p) => String(p.release.id)),
      );
      const changed = parsed.filter((p) => {
        const known = versions.get(String(p.release.id));
        return !(known && known.sourceUpdatedAt?.toISOString() === isoOf(releaseVersion(p.release)));
      });
      throwIfStopping(r.ctx);
      // GraphQL path: the tagged commits of 100 releases per query (`Release.tagCommit`); REST:
      // the tag's ref (and annotated tag object) per release, and for any release without a node id.
      const nodeIdOf = (p: { payload: unknown }) => (p.payload as { node_id?: unknown }).node_id;
      const viaGraphql = usesGraphql(r)
        ? await fetchReleaseCommits(
            r,
            changed.flatMap((p) => {
              const nodeId = nodeIdOf(p);
              return !p.release.draft && typeof nodeId === 'string' ? [{ id: p.release.id, nodeId }] : [];
            }),
          )
        : new Map<number, string | null>();
      const resolved = await mapLimit(changed, 8, async (p) => {
        if (p.release.draft) return { ...p, sha: null };
        if (viaGraphql.has(p.release.id)) {
          const sha = viaGraphql.get(p.release.id) ?? null;
          // A tag GitHub no longer has: as the REST path, a SHA-like target_commitish stands in.
          return {
            ...p,
            sha: sha ?? (isHexSha(p.release.target_commitish) ? p.release.target_commitish : null),
          };
        }
        return { ...p, sha: await resolveTagSha(r, p.release.tag_name, p.release.target_commitish) };
      });
      const rows: NewDeployment[] = [];
      const raw: RawPayloadInput[] = [];
      for (const p of resolved) {
        rows.push(transformRelease(p.payload, { repositoryId: r.repositoryId, sha: p.sha }));
        raw.push({
          source: 'github',
          kind: 'release',
          externalId: String(p.release.id),
          url,
          payload: p.payload,
        });
      }
      logUnsafeLinks(r, raw);
      await writeBatch(r, { deployments: rows, raw_payloads: raw.map(bulkRawOf(r)) });
      r.counts.upserted += rows.length;
      return { newest, oldestOpen, stop };
    },
  );
}

/** Stored per-page ETags of the tags list (an older cursor held only the first page's). */
function parseTagsCursor(cursor: string | null, etag: string | null): (string | null)[] {
  try {
    const parsed = cursor ? (JSON.parse(cursor) as { pageEtags?: unknown }) : null;
    if (Array.isArray(parsed?.pageEtags)) return parsed.pageEtags as (string | null)[];
  } catch {
    // not ours: start over
  }
  return etag ? [etag] : [];
}

/**
 * Tags of one repository (source `tags`): `GET /tags`, every page conditional on its stored ETag
 * (the list has no time order, so there is no watermark; a re-sync with nothing new is one 304
 * per page). Each tag matching the rule's `tagPattern` is a production deployment at its
 * commit's committer date; the commit (`GET /commits/{sha}`) is fetched once per SHA and not at
 * all when the tag is already stored with that SHA. A deleted tag's deployment stays stored. A tag or commit in the wrong shape is logged with its URL and skipped.
 */
export async function syncTags(r: RepoSync): Promise<void> {
  const key = { source: 'github', scope: r.fullName, endpoint: 'tags' };
  const stored = await getSyncCursor(r.ctx.db, key);
  const backfill = r.ctx.backfill === true;
  const tags: { payload: unknown; name: string; sha: string; url: string }[] = [];
  // Every page is asked with its own stored ETag: the list is ordered by name, not time, so a
  // new or moved tag may change any page; the 304 pages hold only tags already stored.
  const previous = parseTagsCursor(stored.cursor, stored.etag);
  const pageEtags: (string | null)[] = [];
  let anyChanged = false;
  for (let page = 1; ; page += 1) {
    throwIfStopping(r.ctx);
    const known = backfill ? null : (previous[page - 1] ?? null);
    const result = await r.client.get<unknown>(
      'GET /repos/{owner}/{repo}/tags',
      { owner: r.owner, repo: r.repo, per_page: PER_PAGE, page },
      known,
    );
    if (result.notModified) {
      pageEtags.push(known);
      if (page < previous.length) continue;
      break;
    }
    anyChanged = true;
    pageEtags.push(result.etag);
    if (!Array.isArray(result.data)) {
      badPage(r, result.url, 'an array of tags');
      return; // the ETags are not saved: the next run asks again
    }
    for (const payload of result.data) {
      const check = tagSchema.safeParse(payload);
      if (!check.success) {
        skipInvalid(r, new InvalidPayloadError('tag', 'name and commit.sha are required'), result.url, 'tag');
        continue;
      }
      if (matchesTagPattern(check.data.name, r.rule.tagPattern))
        tags.push({ payload, name: check.data.name, sha: check.data.commit.sha, url: result.url });
    }
    if (!result.hasNext) break;
  }
  if (!anyChanged) return; // no tag added, moved or deleted since the last walk
  const versions = await getSourceVersions(
    r.ctx.db,
    { table: 'deployments', source: 'tags' },
    tags.map((t) => tagExternalId(r.fullName, t.name)),
  );
  const changed = tags.filter((t) => versions.get(tagExternalId(r.fullName, t.name))?.sha !== t.sha);
  // One commit request per SHA, however many tags point at it.
  const commits = new Map<string, Promise<{ payload: unknown; url: string } | null>>();
  const commitOf = (sha: string) => {
    let pending = commits.get(sha);
    if (!pending) {
      pending = r.client
        .get<unknown>('GET /repos/{owner}/{repo}/commits/{ref}', { owner: r.owner, repo: r.repo, ref: sha })
        .then((c) => (c.notModified ? null : { payload: c.data, url: c.url }));
      commits.set(sha, pending);
    }
    return pending;
  };
  // GraphQL path: 100 commits per query; REST: a request per SHA (and for any GraphQL did not know).
  const viaGraphql = usesGraphql(r)
    ? await fetchCommits(
        r,
        changed.map((t) => t.sha),
      )
    : new Map<string, { payload: unknown; url: string }>();
  const withCommits = await mapLimit(changed, 8, async (t) => ({
    ...t,
    commit: viaGraphql.get(t.sha) ?? (await commitOf(t.sha)),
  }));
  const rows: NewDeployment[] = [];
  const raw: RawPayloadInput[] = [];
  const storedCommits = new Set<string>();
  for (const t of withCommits) {
    if (!t.commit) continue;
    const check = repoCommitSchema.safeParse(t.commit.payload);
    if (!check.success) {
      skipInvalid(
        r,
        new InvalidPayloadError('commit', 'sha and commit.committer.date are required'),
        t.commit.url,
        `commit of tag ${t.name}`,
      );
      continue;
    }
    rows.push(
      transformTag(t.payload, t.commit.payload, { repositoryId: r.repositoryId, fullName: r.fullName }),
    );
    raw.push({
      source: 'github',
      kind: 'tag',
      externalId: tagExternalId(r.fullName, t.name),
      url: t.url,
      payload: t.payload,
    });
    if (!storedCommits.has(t.sha)) {
      storedCommits.add(t.sha);
      raw.push({
        source: 'github',
        kind: 'commit',
        externalId: t.sha,
        url: t.commit.url,
        payload: t.commit.payload,
      });
    }
  }
  logUnsafeLinks(r, raw);
  await writeBatch(r, { deployments: rows, raw_payloads: raw.map(bulkRawOf(r)) });
  r.counts.upserted += rows.length;
  await saveSyncCursor(r.ctx.db, key, {
    cursor: JSON.stringify({ pageEtags }),
    etag: pageEtags[0] ?? null,
  });
}
