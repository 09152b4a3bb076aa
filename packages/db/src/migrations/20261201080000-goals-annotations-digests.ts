import { type Kysely, sql } from 'kysely';

/**
 * Goals (per team or org, from the config or an admin), annotations (events drawn on time
 * charts, from the config or an admin) and digest deliveries (one row per digest, period and
 * channel: a retried job finds the row and never sends twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('goals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_slug', 'text') // null = an org goal
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('statistic', 'text', (c) => c.notNull())
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date')
    .addColumn('origin', 'text', (c) => c.notNull()) // config | api
    // Config goals are matched on this key across restarts, so their created_at stays put.
    .addColumn('config_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('annotations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_slug', 'text') // null = org-wide
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date')
    .addColumn('origin', 'text', (c) => c.notNull()) // config | api
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('digest_deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('digest', 'text', (c) => c.notNull()) // team:<slug> | org
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull()) // slack | email
    .addColumn('status', 'text', (c) => c.notNull()) // sending | sent | failed
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('digest_deliveries_key', ['digest', 'period_key', 'channel'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('digest_deliveries').execute();
  await db.schema.dropTable('annotations').execute();
  await db.schema.dropTable('goals').execute();
}
