import { type Kysely, sql } from 'kysely';

/**
 * Copilot usage by day (GitHub's Copilot metrics API, `GET /orgs/{org}/copilot/metrics` and
 * `GET /orgs/{org}/team/{team_slug}/copilot/metrics`): one row per organisation, GitHub team
 * (`''` = the whole organisation) and UTC day. `sync_runs.note`: what a successful run could not
 * collect and why (e.g. the token may not read Copilot metrics), shown as a note, not an error.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('copilot_metrics_days')
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('github_team', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('total_active_users', 'integer')
    .addColumn('total_engaged_users', 'integer')
    .addColumn('completions_engaged_users', 'integer')
    .addColumn('chat_engaged_users', 'integer')
    .addColumn('code_suggestions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('code_acceptances', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('code_lines_suggested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('code_lines_accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('copilot_metrics_days_pkey', ['org', 'github_team', 'day'])
    .execute();
  await db.schema
    .createIndex('copilot_metrics_days_team_day_idx')
    .on('copilot_metrics_days')
    .columns(['github_team', 'day'])
    .execute();
  await db.schema.alterTable('sync_runs').addColumn('note', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_runs').dropColumn('note').execute();
  await db.schema.dropTable('copilot_metrics_days').execute();
}
