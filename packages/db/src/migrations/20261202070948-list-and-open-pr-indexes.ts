import { type Kysely, sql } from 'kysely';

/**
 * Two indexes for the drill-down lists and team health at scale:
 * - `pull_requests_merged_idx`: the org's changes by merge time. The change list of the org sorts
 *   by `merged_at` and shows 50; without an index on the time alone PostgreSQL sorted every change
 *   of the period (~130,000 for a quarter at xl, 10 s under load). The included columns let the
 *   list's count read the index (repository, base branch, bot author) instead of the rows.
 * - `pull_requests_author_open_idx`: a member's PRs still open at an instant `t`
 *   (`created_at < t` and neither merged nor closed before `t`, written
 *   `coalesce(least(merged_at, closed_at), 'infinity') >= t`). Work in progress, the open and
 *   stale PR lists and the working agreements read every PR a member ever opened through
 *   (lower(author_login), merged_at) to find the few open ones; this index finds only those.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index pull_requests_merged_idx on pull_requests (merged_at)
    include (repository_id, base_branch, author_is_bot) where merged_at is not null`.execute(db);
  await sql`create index pull_requests_author_open_idx on pull_requests
    (lower(author_login), (coalesce(least(merged_at, closed_at), 'infinity'::timestamptz)), created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists pull_requests_author_open_idx`.execute(db);
  await sql`drop index if exists pull_requests_merged_idx`.execute(db);
}
