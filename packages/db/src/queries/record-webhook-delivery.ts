import type { Db } from '../connection.ts';

/**
 * Records a webhook delivery by (source, kind, delivery id): `delivery.event` is the kind
 * (`deployment`, `incident`, a GitHub event name), `deliveryId` the source's own event id, so a
 * source's deployment and incident streams may reuse each other's ids.
 * Call it in the transaction that applies the delivery: a replay then finds the row and changes nothing.
 * @returns true when the delivery is new, false when it was already recorded.
 */
export async function recordWebhookDelivery(
  db: Db,
  delivery: { source: string; deliveryId: string; event: string },
): Promise<boolean> {
  const row = await db
    .insertInto('webhook_deliveries')
    .values({ source: delivery.source, delivery_id: delivery.deliveryId, event: delivery.event })
    .onConflict((oc) => oc.columns(['source', 'event', 'delivery_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
