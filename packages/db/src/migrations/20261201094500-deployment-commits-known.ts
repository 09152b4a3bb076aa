import { type Kysely, sql } from 'kysely';

/**
 * `deployments.commits_known`: the commits a deployment shipped are known exactly (the compare
 * with the previous deployed SHA was answered), so a change it does not contain is not linked to
 * it by time (docs/metrics.md, Change: the time fallback is for deployments whose commits cannot
 * be known). Deployments already compared (a `compare:<prev>...<sha>` cursor that linked) are marked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('deployments')
    .addColumn('commits_known', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`
    update deployments d set commits_known = true
    from sync_cursors c join repositories r on r.full_name = c.scope
    where c.source = 'github' and d.repository_id = r.id and d.sha is not null
      and c.endpoint like 'compare:%...' || d.sha and c.cursor like 'linked:%'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deployments').dropColumn('commits_known').execute();
}
