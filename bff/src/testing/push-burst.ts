import type { Database } from 'db';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Burst } from '../../../sim/src/burst';

/**
 * Waits (up to 30 s) until every recorded push has been applied, then checks that the burst
 * became exactly one order per pushed order: none lost, none twice, one inbox row per push.
 */
export async function expectBurstBecameOrders(db: Kysely<Database>, burst: Burst): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const open = await db
      .selectFrom('push_inbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'received')
      .executeTakeFirstOrThrow();
    if (Number(open.n) === 0) break;
    if (Date.now() > deadline) throw new Error(`${open.n} pushes still not applied`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const count = burst.orders.length;
  const orders = await db.selectFrom('orders').select(['channel', 'channel_order_id']).execute();
  const pushed = burst.orders.map((o) => `${o.platform}:${o.orderId}`).sort();
  expect(orders.map((o) => `${o.channel}:${o.channel_order_id}`).sort()).toEqual(pushed);
  const created = await db.selectFrom('order_event').select('order_id').where('type', '=', 'created').execute();
  expect(created).toHaveLength(count);
  expect(new Set(created.map((e) => e.order_id)).size).toBe(count);
  const inbox = await db
    .selectFrom('push_inbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(inbox.n)).toBe(count);
}
