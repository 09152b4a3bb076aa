import type { Db } from '../connection.ts';

/**
 * Records a webhook delivery by (source, delivery id), the source's own event id.
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
    .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
