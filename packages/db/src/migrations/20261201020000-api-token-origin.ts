import { type Kysely, sql } from 'kysely';

/**
 * Token provenance, so that rotation and revocation reach every token derived from a secret:
 * - `origin`: where a token came from (`env:STRIDE_ADMIN_TOKEN`, `env:STRIDE_VIEWER_TOKEN`, `cli`,
 *   `api`, `session`); at boot the API revokes `env:*` tokens whose secret is no longer configured.
 * - `parent_id`: for a session, the token it was made from; a session is valid only while its
 *   parent is, so revoking or rotating a token ends its sessions.
 * - `revoked_reason`: `admin`, `rotated`, `logout`, `parent`, `migration`.
 * Sessions made before this migration have no parent and cannot be tied to one: they are revoked
 * (their users sign in again).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('cli'))
    .addColumn('parent_id', 'bigint', (c) => c.references('api_tokens.id').onDelete('cascade'))
    .addColumn('revoked_reason', 'text')
    .execute();
  await sql`update api_tokens set origin = 'env:STRIDE_ADMIN_TOKEN' where name = 'env STRIDE_ADMIN_TOKEN'`.execute(
    db,
  );
  await sql`update api_tokens set origin = 'env:STRIDE_VIEWER_TOKEN' where name = 'env STRIDE_VIEWER_TOKEN'`.execute(
    db,
  );
  await sql`update api_tokens set origin = 'session' where scope like 'session:%'`.execute(db);
  await sql`update api_tokens set revoked_at = now(), revoked_reason = 'migration'
            where origin = 'session' and revoked_at is null`.execute(db);
  await db.schema.createIndex('api_tokens_parent_id_idx').on('api_tokens').column('parent_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .dropColumn('origin')
    .dropColumn('parent_id')
    .dropColumn('revoked_reason')
    .execute();
}
