import { demoIds, seedDemo } from 'db';
import { type StorageTarget, storageTargets, type TestDatabase } from 'db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../cache';
import { ManualClock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { StaffPrincipal } from '../../lib/principal';
import { OutboxWorker } from '../../sync/worker';
import { DeliveryRepo } from '../delivery/repo';
import { DeliveryService } from '../delivery/service';
import { StoreRepo } from '../stores/repo';
import { StoreService } from '../stores/service';
import type { NewOrder } from './model';
import { InMemoryStock } from './testing/stock-double';
import type { PlatformCall, PlatformOrderRef } from './topics';
import { buildOrderFlow, type OrderFlow } from './wiring';

const STORE = demoIds.store('SH001');
const NOON = Date.UTC(2026, 2, 2, 4, 0); // 12:00 in Shanghai

function platformOrder(id: string, over: Partial<NewOrder> = {}): NewOrder {
  return {
    brandId: demoIds.brand,
    storeId: STORE,
    channel: 'meituan',
    channelOrderId: id,
    displayId: null,
    gateway: 'open-cater',
    fulfillment: 'delivery',
    deliveryMode: 'platform',
    status: 'placed',
    placedAt: NOON,
    promisedAt: NOON + 40 * 60_000,
    payBy: null,
    daySeq: 7,
    memberId: null,
    placementKey: null,
    amounts: {
      items: 3600,
      packaging: 200,
      deliveryFee: 500,
      discountPlatform: 300,
      discountMerchant: 500,
      paid: 3500,
      merchantIncome: 2900,
    },
    remark: '',
    tableNo: null,
    recipient: { name: '王', phone: '18449039731_7333', address: '人民广场', lat: null, lng: null },
    logisticsCode: '1001',
    degraded: false,
    zoneName: null,
    lines: [
      {
        skuCode: 'N001-L',
        platformItemId: null,
        platformSkuId: null,
        name: '红烧牛肉面',
        specText: '大碗',
        addons: [],
        quantity: 2,
        unitPrice: 1800,
        addonsPrice: 0,
        packagingFee: 200,
        boxCount: 2,
        lineTotal: 3600,
        unmapped: false,
      },
    ],
    ...over,
  };
}

const staff = (id = 'staff-1'): StaffPrincipal => ({
  kind: 'staff',
  id,
  username: 'clerk',
  brandId: demoIds.brand,
  role: 'clerk',
  assertStore: async () => {},
  storeIds: async () => [STORE],
});

describe.each(storageTargets())('the order flow on $dialect', (target: StorageTarget) => {
  let database: TestDatabase;
  let flow: OrderFlow;
  let stock: InMemoryStock;
  let outbox: OutboxWorker;
  const clock = new ManualClock(NOON);
  const sent: { ref: PlatformOrderRef; call: PlatformCall }[] = [];

  beforeAll(async () => {
    database = await target.create();
    await seedDemo(database.db, {});
    const logger = pino({ level: 'silent' });
    const cache = new MemoryCache();
    stock = new InMemoryStock();
    outbox = new OutboxWorker(database.db, cache, clock, logger);
    flow = buildOrderFlow({
      db: database.db,
      cache,
      clock,
      logger,
      outbox,
      stores: new StoreService(new StoreRepo(database.db), clock),
      stock,
      delivery: new DeliveryService(new DeliveryRepo(database.db), clock),
      writers: { meituan: { send: async (ref, call) => void sent.push({ ref, call }) } },
    });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('records a platform order once however often it is ingested, and counts it against stock once', async () => {
    const actor = { source: 'platform' as const, id: 'push' };
    const a = await flow.ingest.ingest(platformOrder('27061900338318741'), actor);
    const b = await flow.ingest.ingest(platformOrder('27061900338318741'), actor);
    expect(b.id).toBe(a.id);
    expect(stock.calls.filter((c) => c.op === 'reserve' && c.orderId === a.id)).toHaveLength(1);
    const order = await flow.orders.get(a.id);
    expect(order.channel_order_id).toBe('27061900338318741');
    expect(order.stock_state).toBe('reserved');
    const [view] = await flow.orders.viewsOf([order], 'staff');
    expect(view?.events.map((e) => e.type)).toEqual(['created']);
  });

  it('accepts and finishes an order through the staff actions, telling the platform in order', async () => {
    const order = await flow.ingest.ingest(platformOrder('27061900338318742'), { source: 'platform', id: 'p' });
    const accepted = await flow.kitchen.staffAction(order.id, 'accept', staff());
    expect(accepted.status).toBe('accepted');
    const again = await flow.kitchen.staffAction(order.id, 'accept', staff());
    expect(again.status).toBe('accepted');
    expect(again.events.filter((e) => e.toStatus === 'accepted')).toHaveLength(1);
    await flow.kitchen.staffAction(order.id, 'ready', staff());
    await outbox.drain();
    const calls = sent.filter((s) => s.ref.orderId === order.id).map((s) => s.call.op);
    expect(calls).toEqual(['confirm', 'ready']);
    expect(sent.find((s) => s.ref.orderId === order.id)?.ref.channelOrderId).toBe('27061900338318742');
    expect(stock.held.get(order.id)?.state).toBe('committed');
    expect((await flow.orders.get(order.id)).stock_state).toBe('committed');
  });

  it('refuses an illegal transition with 409 ORDER_STATE and changes nothing', async () => {
    const order = await flow.ingest.ingest(platformOrder('27061900338318743'), { source: 'platform', id: 'p' });
    const before = await flow.orders.view(await flow.orders.get(order.id), 'staff');
    const err = await flow.kitchen.staffAction(order.id, 'ready', staff()).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('ORDER_STATE');
    expect((err as AppError).status).toBe(409);
    const after = await flow.orders.view(await flow.orders.get(order.id), 'staff');
    expect(after).toEqual(before);
  });

  it('gives the stock back when staff cancel, and cancels on the platform with the reason', async () => {
    stock.setQuantity(STORE, 'N002-L', 5);
    const order = await flow.ingest.ingest(
      platformOrder('27061900338318744', {
        lines: [{ ...platformOrder('x').lines[0]!, skuCode: 'N002-L', quantity: 2 }],
      }),
      { source: 'platform', id: 'p' },
    );
    expect(stock.quantity(STORE, 'N002-L')).toBe(3);
    const cancelled = await flow.kitchen.staffAction(order.id, 'cancel', staff(), { reason: 'busy' });
    expect(cancelled.status).toBe('cancelled');
    await outbox.drain();
    expect(stock.quantity(STORE, 'N002-L')).toBe(5);
    expect(sent.filter((s) => s.ref.orderId === order.id).map((s) => s.call)).toEqual([
      { op: 'cancel', reason: 'busy' },
    ]);
  });

  it('keeps a short platform order and alerts, or cancels it as sold out, as the brand decides', async () => {
    stock.setQuantity(STORE, 'N003-L', 1);
    stock.policy = 'accept_and_alert';
    const kept = await flow.ingest.ingest(
      platformOrder('27061900338318745', {
        lines: [{ ...platformOrder('x').lines[0]!, skuCode: 'N003-L', quantity: 2 }],
      }),
      { source: 'platform', id: 'p' },
    );
    const keptView = await flow.orders.view(await flow.orders.get(kept.id), 'staff');
    expect(keptView.status).toBe('placed');
    expect(keptView.flags.stockShort).toBe(true);
    expect(keptView.lines[0]?.stockShort).toBe(true);
    expect(stock.quantity(STORE, 'N003-L')).toBe(0);

    stock.policy = 'auto_cancel';
    const dropped = await flow.ingest.ingest(
      platformOrder('27061900338318746', {
        lines: [{ ...platformOrder('x').lines[0]!, skuCode: 'N003-L', quantity: 1 }],
      }),
      { source: 'platform', id: 'p' },
    );
    await outbox.drain();
    const droppedView = await flow.orders.view(await flow.orders.get(dropped.id), 'staff');
    expect(droppedView.status).toBe('cancelled');
    expect(droppedView.events.at(-1)).toMatchObject({ toStatus: 'cancelled', source: 'system', reason: 'sold out' });
    expect(sent.filter((s) => s.ref.orderId === dropped.id).map((s) => s.call)).toEqual([
      { op: 'cancel', reason: 'sold_out' },
    ]);
    stock.policy = 'accept_and_alert';
  });

  it('keeps unmapped lines, flagged, out of the stock count', async () => {
    const order = await flow.ingest.ingest(
      platformOrder('27061900338318747', {
        lines: [
          platformOrder('x').lines[0]!,
          { ...platformOrder('x').lines[0]!, skuCode: null, name: '神秘套餐', unmapped: true },
        ],
      }),
      { source: 'platform', id: 'p' },
    );
    const view = await flow.orders.view(await flow.orders.get(order.id), 'staff');
    expect(view.lines.map((l) => [l.name, l.unmapped])).toEqual([
      ['红烧牛肉面', false],
      ['神秘套餐', true],
    ]);
    expect(view.flags.unmappedLines).toBe(true);
    expect(stock.held.get(order.id)?.request.lines).toHaveLength(1);
  });

  it('answers an event for an order not seen yet as waiting for it', async () => {
    const result = await flow.platform.platformMove('meituan', '99999999999999999', 'cancelled', {
      source: 'platform',
      id: 'p',
    });
    expect(result).toBe('no-order');
  });
});
