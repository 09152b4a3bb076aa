import { createHash } from 'node:crypto';
import type { Db } from '@stride/db';
import { sql } from 'kysely';

/**
 * The GitHub-sourced rows of a database by natural key (the source's ids, never our surrogate
 * ids or our own timestamps), one sorted line per row, per table: repositories, pull requests,
 * commits, reviews, deployments, change→deployment links, incidents.
 */
export async function githubRowsByNaturalKey(db: Db): Promise<Record<string, string[]>> {
  const { rows } = await sql<{ kind: string; line: string }>`
    select 'repositories' as kind, full_name || ' ' || coalesce(default_branch, '-') as line from repositories
    union all
    select 'pull_requests', external_id || ' ' || number || ' ' || state || ' ' || coalesce(merged_at::text, '-')
      || ' ' || source_updated_at::text || ' ' || coalesce(first_commit_at::text, '-') || ' '
      || coalesce(first_review_at::text, '-') || ' ' || coalesce(additions::text, '-') || ' '
      || coalesce(merge_commit_sha, '-') from pull_requests
    union all
    select 'pull_request_commits', pr.external_id || ' ' || c.sha || ' ' || c.authored_at::text
      from pull_request_commits c join pull_requests pr on pr.id = c.pull_request_id
    union all
    select 'pull_request_reviews', r.external_id || ' ' || pr.external_id || ' ' || r.kind || ' ' || r.state
      || ' ' || r.submitted_at::text from pull_request_reviews r join pull_requests pr on pr.id = r.pull_request_id
    union all
    select 'deployments', source || ' ' || external_id || ' ' || status || ' ' || is_production::text || ' '
      || coalesce(sha, '-') || ' ' || coalesce(deployed_at::text, '-') || ' ' || rolled_back::text from deployments
    union all
    select 'deployment_changes', pr.external_id || ' ' || d.source || ':' || d.external_id || ' ' || dc.attribution
      from deployment_changes dc join pull_requests pr on pr.id = dc.pull_request_id
      join deployments d on d.id = dc.deployment_id
    union all
    select 'incidents', source || ' ' || external_id || ' ' || started_at::text || ' '
      || coalesce(resolved_at::text, '-') from incidents
    order by 1, 2`.execute(db);
  const out: Record<string, string[]> = {};
  for (const r of rows) {
    out[r.kind] = [...(out[r.kind] ?? []), r.line];
  }
  return out;
}

/** Per table: `<rows>:<sha256 of the sorted natural-key lines>` (githubRowsByNaturalKey). */
export async function githubChecksums(db: Db): Promise<Record<string, string>> {
  const tables = await githubRowsByNaturalKey(db);
  return Object.fromEntries(
    Object.entries(tables).map(([table, lines]) => [
      table,
      `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`,
    ]),
  );
}
