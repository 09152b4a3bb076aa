import { type Kysely, sql } from 'kysely';

/**
 * A generic source's deployment and incident events are two streams with their own event ids:
 * deliveries are unique per (source, kind, delivery id), so an incident whose `eventId` equals a
 * deployment's is applied, not dropped as a duplicate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_deliveries drop constraint webhook_deliveries_source_delivery_key`.execute(
    db,
  );
  await sql`alter table webhook_deliveries add constraint webhook_deliveries_source_event_delivery_key
    unique (source, event, delivery_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_deliveries drop constraint webhook_deliveries_source_event_delivery_key`.execute(
    db,
  );
  // Rows that only the kind told apart keep the first of them.
  await sql`delete from webhook_deliveries w using webhook_deliveries o
    where w.source = o.source and w.delivery_id = o.delivery_id and w.id > o.id`.execute(db);
  await sql`alter table webhook_deliveries add constraint webhook_deliveries_source_delivery_key
    unique (source, delivery_id)`.execute(db);
}
