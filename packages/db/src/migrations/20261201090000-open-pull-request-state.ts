import { type Kysely, sql } from 'kysely';

/**
 * What an open PR waits on (docs/metrics.md, stuck PRs): the reviewers and teams GitHub lists as
 * requested (`requested_reviewers`, `requested_teams` of the pulls API), the head commit and the
 * state of its check runs (`ci_state`: success, pending or failure; null = no checks known).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('pull_requests')
    .addColumn('requested_reviewers', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('requested_teams', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('head_sha', 'text')
    .addColumn('ci_state', 'text', (c) => c.check(sql`ci_state in ('success', 'pending', 'failure')`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('pull_requests')
    .dropColumn('requested_reviewers')
    .dropColumn('requested_teams')
    .dropColumn('head_sha')
    .dropColumn('ci_state')
    .execute();
}
