import type { Kysely } from 'kysely';

/**
 * `sync_runs.heartbeat_at`: a running sync touches it every few seconds, so a run whose process
 * died (SIGKILL, crash, lost machine) is told apart from a long one and marked `interrupted`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_runs').addColumn('heartbeat_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_runs').dropColumn('heartbeat_at').execute();
}
