import type { Database } from 'db';
import type { Kysely } from 'kysely';
import { elemeOrderBook } from '../../../sim/src/eleme/orders';
import { elemeShown } from '../../../sim/src/eleme/stock';
import { meituanOrderBook } from '../../../sim/src/meituan/orders';
import { meituanShown } from '../../../sim/src/meituan/stock';
import type { SimState } from '../../../sim/src/state';

/** A counted SKU as the test set it, before any order. */
export interface CountedStock {
  storeId: string;
  skuCode: string;
  quantity: number;
}

/**
 * Waits are over when nothing is left to do: every push applied, every outbox message delivered.
 * Messages scheduled over a minute ahead are timers (an unpaid order's payment window, a daily
 * reset), not work owed now; retries are never that far out with the suite's backoff.
 */
export async function openWork(db: Kysely<Database>): Promise<string | true> {
  const [inbox] = await db
    .selectFrom('push_inbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'received')
    .execute();
  const outbox = await db
    .selectFrom('outbox')
    .select(['topic', 'status', 'attempts', 'last_error'])
    .where('status', '!=', 'done')
    .where('next_attempt_at', '<', Date.now() + 60_000)
    .execute();
  if (Number(inbox?.n) === 0 && outbox.length === 0) return true;
  const first = outbox[0];
  return `${inbox?.n} pushes not applied, ${outbox.length} outbox messages open${first ? ` (e.g. ${first.topic} ${first.status} after ${first.attempts} attempts: ${first.last_error})` : ''}`;
}

/**
 * Everything that must hold in the books after any fault, once the open work is done. Answers the
 * problems found (an empty list when the books are whole):
 * - every order has exactly one `created` event;
 * - an order counted against stock (`stock_state` reserved or committed) has one reservation per
 *   stock-keeping line, for the line's quantity, in the matching state, and its slot record; an
 *   order not counted has no reservation at all (nothing half-done);
 * - no reservation belongs to an order that does not exist;
 * - each counted SKU's quantity is what the test set minus what the held and committed
 *   reservations took from it, and never below zero;
 * - no outbox message is dead-lettered.
 */
export async function bookProblems(db: Kysely<Database>, counted: CountedStock[]): Promise<string[]> {
  const problems: string[] = [];
  const orders = await db.selectFrom('orders').select(['id', 'channel', 'status', 'stock_state']).execute();
  const byId = new Map(orders.map((o) => [o.id, o]));
  const created = await db.selectFrom('order_event').select('order_id').where('type', '=', 'created').execute();
  const createdCount = new Map<string, number>();
  for (const e of created) createdCount.set(e.order_id, (createdCount.get(e.order_id) ?? 0) + 1);
  for (const o of orders) {
    const n = createdCount.get(o.id) ?? 0;
    if (n !== 1) problems.push(`order ${o.id} has ${n} created events`);
  }

  const lines = await db
    .selectFrom('order_line')
    .select(['id', 'order_id', 'quantity'])
    .where('sku_code', 'is not', null)
    .where('unmapped', '=', 0)
    .execute();
  const reservations = await db
    .selectFrom('stock_reservation')
    .select(['order_id', 'line_id', 'requested', 'covered', 'status', 'sku_item_id'])
    .execute();
  const slots = new Set((await db.selectFrom('stock_order').select('order_id').execute()).map((s) => s.order_id));
  const reservationsOf = new Map<string, typeof reservations>();
  for (const r of reservations) {
    if (!byId.has(r.order_id)) problems.push(`reservation of a missing order ${r.order_id}`);
    reservationsOf.set(r.order_id, [...(reservationsOf.get(r.order_id) ?? []), r]);
  }
  const linesOf = new Map<string, typeof lines>();
  for (const l of lines) linesOf.set(l.order_id, [...(linesOf.get(l.order_id) ?? []), l]);
  const expectedStatus: Record<string, string[]> = {
    reserved: ['held'],
    committed: ['committed'],
    released: ['released', 'wasted'],
  };
  for (const o of orders) {
    const held = reservationsOf.get(o.id) ?? [];
    const wanted = linesOf.get(o.id) ?? [];
    if (o.stock_state === 'none') {
      if (held.length > 0) problems.push(`order ${o.id} (${o.status}) is not counted but holds ${held.length} lines`);
      continue;
    }
    const statuses = expectedStatus[o.stock_state];
    if (!statuses) {
      problems.push(`order ${o.id} has stock_state ${o.stock_state}`);
      continue;
    }
    if (!slots.has(o.id)) problems.push(`order ${o.id} (${o.stock_state}) has no stock_order row`);
    for (const line of wanted) {
      const mine = held.filter((r) => r.line_id === line.id);
      if (mine.length !== 1) problems.push(`line ${line.id} of order ${o.id} has ${mine.length} reservations`);
      else if (mine[0]?.requested !== line.quantity)
        problems.push(`line ${line.id} of order ${o.id} reserved ${mine[0]?.requested} of ${line.quantity}`);
    }
    if (held.length !== wanted.length)
      problems.push(`order ${o.id}: ${held.length} reservations, ${wanted.length} lines`);
    for (const r of held) {
      if (!statuses.includes(r.status))
        problems.push(`order ${o.id} is ${o.stock_state} but its line ${r.line_id} is ${r.status}`);
    }
  }

  for (const c of counted) {
    const item = await db
      .selectFrom('stock_item')
      .select(['id', 'quantity'])
      .where('store_id', '=', c.storeId)
      .where('level', '=', 'sku')
      .where('code', '=', c.skuCode)
      .executeTakeFirst();
    if (!item) {
      problems.push(`stock item ${c.skuCode} of ${c.storeId} is gone`);
      continue;
    }
    const taken = reservations
      .filter((r) => r.sku_item_id === item.id && (r.status === 'held' || r.status === 'committed'))
      .reduce((sum, r) => sum + r.covered, 0);
    if (item.quantity !== c.quantity - taken)
      problems.push(`${c.skuCode} at ${c.storeId}: ${item.quantity} left, but ${c.quantity} − ${taken} taken`);
    if ((item.quantity ?? 0) < 0) problems.push(`${c.skuCode} at ${c.storeId} is below zero`);
  }

  const dead = await db.selectFrom('outbox').select(['topic', 'last_error']).where('status', '=', 'dead').execute();
  for (const d of dead) problems.push(`outbox ${d.topic} dead-lettered: ${d.last_error}`);
  return problems;
}

/**
 * What the platform was told about one of its orders, in order: `confirm`, `ready`, `cancel` …
 * (the simulator's own record of the merchant calls it accepted).
 */
export function platformOps(state: SimState, channel: 'meituan' | 'eleme', channelOrderId: string): string[] {
  if (channel === 'meituan')
    return (
      meituanOrderBook(state)
        .get(channelOrderId)
        ?.ops.map((o) => o.op) ?? []
    );
  const names: Record<string, string> = {
    'eleme.order.confirmOrderLite': 'confirm',
    'eleme.order.setOrderPrepared': 'ready',
    'eleme.order.cancelOrderLite': 'cancel',
  };
  return (
    elemeOrderBook(state)
      .get(channelOrderId)
      ?.ops.map((o) => names[o.action] ?? o.action) ?? []
  );
}

/**
 * Orders against what the clients were told: every acknowledged push (`platform:orderId`) has
 * exactly one order and nothing else appeared, each counted against stock; each member checkout
 * made exactly one order, paid once (`payment` paid) and sold (stock committed).
 */
export async function orderProblems(
  db: Kysely<Database>,
  acknowledged: string[],
  checkouts: (string | null)[],
): Promise<string[]> {
  const problems: string[] = [];
  const orders = await db.selectFrom('orders').select(['id', 'channel', 'channel_order_id', 'stock_state']).execute();
  const platform = orders.filter((o) => o.channel === 'meituan' || o.channel === 'eleme');
  const seen = new Map<string, number>();
  for (const o of platform)
    seen.set(`${o.channel}:${o.channel_order_id}`, (seen.get(`${o.channel}:${o.channel_order_id}`) ?? 0) + 1);
  for (const key of acknowledged)
    if (seen.get(key) !== 1) problems.push(`acknowledged push ${key} has ${seen.get(key) ?? 0} orders`);
  const wanted = new Set(acknowledged);
  for (const key of seen.keys()) if (!wanted.has(key)) problems.push(`order ${key} was never acknowledged`);
  for (const o of platform)
    if (o.stock_state === 'none')
      problems.push(`order ${o.channel}:${o.channel_order_id} is not counted against stock`);

  const own = orders.filter((o) => o.channel === 'miniapp');
  const placed = new Set(checkouts);
  if (placed.has(null)) problems.push('a checkout got no order');
  for (const o of own) {
    if (!placed.has(o.id)) problems.push(`member order ${o.id} belongs to no checkout`);
    if (o.stock_state !== 'committed') problems.push(`member order ${o.id} is ${o.stock_state}, not committed`);
  }
  if (own.length !== checkouts.length) problems.push(`${checkouts.length} checkouts made ${own.length} orders`);
  const payments = await db.selectFrom('payment').select(['order_id', 'status']).execute();
  for (const o of own) {
    const mine = payments.filter((p) => p.order_id === o.id);
    if (mine.length !== 1 || mine[0]?.status !== 'paid')
      problems.push(`member order ${o.id} has payments ${mine.map((p) => p.status).join(',') || 'none'}`);
  }
  return problems;
}

/** Whether both platforms show a store's counted SKUs as they are in the database now. */
export async function stockShownProblems(
  db: Kysely<Database>,
  state: SimState,
  storeCode: string,
  counted: CountedStock[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const c of counted) {
    const item = await db
      .selectFrom('stock_item')
      .select('quantity')
      .where('store_id', '=', c.storeId)
      .where('code', '=', c.skuCode)
      .executeTakeFirstOrThrow();
    const meituan = meituanShown(state, storeCode, c.skuCode)?.stock;
    if (meituan !== String(item.quantity))
      problems.push(`Meituan shows ${c.skuCode} at ${meituan}, not ${item.quantity}`);
    const spec = await db
      .selectFrom('channel_mapping')
      .innerJoin('sku', 'sku.id', 'channel_mapping.sku_id')
      .select('channel_mapping.platform_sku_id')
      .where('channel_mapping.store_id', '=', c.storeId)
      .where('channel_mapping.platform', '=', 'eleme')
      .where('sku.code', '=', c.skuCode)
      .executeTakeFirstOrThrow();
    const eleme = elemeShown(state, spec.platform_sku_id as string)?.stock;
    if (eleme !== item.quantity) problems.push(`Ele.me shows ${c.skuCode} at ${eleme}, not ${item.quantity}`);
  }
  return problems;
}
