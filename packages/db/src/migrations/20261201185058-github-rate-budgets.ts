import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * `github_rate_budgets`: what is left of each GitHub credential's rate limit (REST `core` and
 * `graphql`) in its current window, shared by every collector process, so workers on several
 * machines together stay within one credential's budget. A credential is named by a digest or an
 * installation id, never by its secret.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('github_rate_budgets')
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('github_rate_budgets_pkey', ['credential', 'resource'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('github_rate_budgets').execute();
}
