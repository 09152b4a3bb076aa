import { type Kysely, sql } from 'kysely';

/**
 * Team health's out-of-hours commits count a commit without a GitHub login (its e-mail matched no
 * user) for its PR's author: per member login, the member's PRs are probed for such commits. The
 * primary key (pull_request_id, sha) answered each probe by reading every commit of the PR from
 * the heap (~90 % of that statement's time for a quarter at large). This partial index holds only
 * the commits without a login, so a probe of a PR that has none reads one index page; commits with
 * a login (nearly all) cost nothing more to write.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index pull_request_commits_no_login_idx on pull_request_commits (pull_request_id)
    where author_login is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists pull_request_commits_no_login_idx`.execute(db);
}
