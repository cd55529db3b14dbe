import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock';
import { startTestApp, type TestApp } from '../../testing';
import type { ReserveRequest } from './contract';
import type { StockService } from './service';
import { anOrderId, LUNCH } from './testing';

const brandId = demoIds.brand;
const SH001 = demoIds.store('SH001');
const SH002 = demoIds.store('SH002');
const staff = { id: demoIds.staff('sm-sh001'), name: 'sm-sh001' };

describe.each(storageTargets())('stock reservations on $dialect', (storage) => {
  let app: TestApp;
  let stock: StockService;
  const clock = new ManualClock(LUNCH);

  beforeAll(async () => {
    app = await startTestApp(storage, { clock });
    stock = app.container.services.stock;
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    clock.set(LUNCH);
    for (const table of [
      'stock_reservation',
      'stock_order',
      'stock_slot',
      'stock_item',
      'stock_alert',
      'stock_capacity',
    ] as const) {
      await app.container.db.deleteFrom(table).execute();
    }
  });

  const setQuantity = (code: string, quantity: number | null, storeId = SH001) =>
    stock.update({ brandId, storeId, level: 'sku', code, change: { quantity }, staff });
  const quantityOf = async (code: string, storeId = SH001) => {
    const row = await app.container.db
      .selectFrom('stock_item')
      .select('quantity')
      .where('store_id', '=', storeId)
      .where('level', '=', 'sku')
      .where('code', '=', code)
      .executeTakeFirst();
    return row?.quantity;
  };
  const order = (lines: [string, number][], over: Partial<ReserveRequest> = {}): ReserveRequest => ({
    brandId,
    storeId: SH001,
    orderId: anOrderId(),
    channel: 'miniapp',
    mode: 'strict',
    lines: lines.map(([skuCode, quantity], i) => ({ lineId: `L${i + 1}`, skuCode, quantity })),
    ...over,
  });

  it('reserves every line of an own-channel order, or none of them', async () => {
    await setQuantity('N001-L', 5);
    await setQuantity('S001', 1);
    const ok = await stock.reserve(
      order([
        ['N001-L', 2],
        ['S001', 1],
      ]),
    );
    expect(ok).toMatchObject({ ok: true, shortages: [], replayed: false });
    expect(await quantityOf('N001-L')).toBe(3);
    expect(await quantityOf('S001')).toBe(0);

    const refused = stock.reserve(
      order([
        ['N001-L', 2],
        ['S001', 1],
      ]),
    );
    await expect(refused).rejects.toMatchObject({
      code: 'STOCK_INSUFFICIENT',
      status: 409,
      details: { shortages: [{ skuCode: 'S001', requested: 1, available: 0, reason: 'sold_out' }] },
    });
    // The N001-L line that did fit was not kept either.
    expect(await quantityOf('N001-L')).toBe(3);
  });

  it('answers a retry with the first result and never deducts twice', async () => {
    await setQuantity('N001-L', 5);
    const req = order([['N001-L', 2]]);
    await stock.reserve(req);
    const again = await stock.reserve(req);
    expect(again).toMatchObject({ ok: true, replayed: true });
    expect(await quantityOf('N001-L')).toBe(3);
    // A line added to the same order later (dine-in 加菜) is reserved on its own.
    const more = await stock.reserve({
      ...req,
      lines: [...req.lines, { lineId: 'L9', skuCode: 'N001-L', quantity: 1 }],
    });
    expect(more).toMatchObject({ ok: true, replayed: false });
    expect(await quantityOf('N001-L')).toBe(2);
    await expect(
      stock.reserve({ ...req, lines: [{ lineId: 'L1', skuCode: 'N001-L', quantity: 3 }] }),
    ).rejects.toMatchObject({ code: 'RESERVATION_CONFLICT' });
  });

  it('records a platform order short of stock without going below zero, and alerts the store', async () => {
    await setQuantity('N001-L', 2);
    const req = order([['N001-L', 3]], { channel: 'meituan', mode: 'record' });
    const result = await stock.reserve(req);
    expect(result).toMatchObject({
      ok: false,
      shortages: [{ skuCode: 'N001-L', requested: 3, available: 2, reason: 'insufficient' }],
      shortagePolicy: 'accept_and_alert',
    });
    expect(await quantityOf('N001-L')).toBe(0);
    expect(await stock.reserve(req)).toMatchObject({ ok: false, replayed: true });
    const alerts = await stock.listAlerts(SH001, { open: true, limit: 10 });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      orderId: req.orderId,
      channel: 'meituan',
      kind: 'shortage',
      policy: 'accept_and_alert',
    });

    const unknown = await stock.reserve(order([['NOPE-1', 1]], { channel: 'eleme', mode: 'record' }));
    expect(unknown.shortages).toEqual([{ skuCode: 'NOPE-1', requested: 1, available: 0, reason: 'unknown_sku' }]);
  });

  it('returns held stock on cancel, and on refund only when the brand does not count it as waste', async () => {
    await setQuantity('N002-L', 4);
    const cancelled = order([['N002-L', 2]]);
    await stock.reserve(cancelled);
    await stock.release(cancelled.orderId, 'cancelled');
    await stock.release(cancelled.orderId, 'cancelled');
    expect(await quantityOf('N002-L')).toBe(4);

    const refunded = order([['N002-L', 1]]);
    await stock.reserve(refunded);
    await stock.commit(refunded.orderId);
    await stock.commit(refunded.orderId);
    await stock.release(refunded.orderId, 'refunded');
    expect(await quantityOf('N002-L')).toBe(4);

    await stock.updatePolicy(brandId, { refundedStock: 'waste' }, staff.id);
    const wasted = order([['N002-L', 1]]);
    await stock.reserve(wasted);
    await stock.commit(wasted.orderId);
    await stock.release(wasted.orderId, 'refunded');
    expect(await quantityOf('N002-L')).toBe(3);
    await stock.updatePolicy(brandId, { refundedStock: 'return' }, staff.id);
    await expect(stock.commit(cancelled.orderId)).rejects.toMatchObject({ code: 'RESERVATION_RELEASED' });
  });

  it('draws every SKU of a product from its product-level row', async () => {
    await stock.update({ brandId, storeId: SH001, level: 'product', code: 'N003', change: { quantity: 3 }, staff });
    await stock.reserve(order([['N003-L', 2]]));
    await expect(stock.reserve(order([['N003-S', 2]]))).rejects.toMatchObject({ code: 'STOCK_INSUFFICIENT' });
    await stock.reserve(order([['N003-S', 1]]));
    expect(await stock.soldOutSkuCodes(SH001)).toEqual(new Set(['N003-L', 'N003-S']));
  });

  it('keeps stores apart', async () => {
    await setQuantity('N004-L', 1, SH001);
    await stock.reserve(order([['N004-L', 1]]));
    expect(await stock.soldOutSkuCodes(SH001)).toContain('N004-L');
    expect(await stock.soldOutSkuCodes(SH002)).not.toContain('N004-L');
    expect(await stock.reserve(order([['N004-L', 1]], { storeId: SH002 }))).toMatchObject({ ok: true });
  });

  it('refuses a strict order when its kitchen slot is full, and names the next slot with room', async () => {
    await stock.saveCapacity(
      SH001,
      { slotMinutes: 15, periods: [{ name: 'lunch', start: '11:00', end: '13:00', maxItems: 3 }] },
      staff.id,
    );
    const first = await stock.reserve(order([['S002', 2]]));
    expect(first.slotStart).toBe(Date.parse('2026-03-10T03:30:00Z'));
    await expect(stock.reserve(order([['S002', 2]]))).rejects.toMatchObject({
      code: 'CAPACITY_FULL',
      status: 409,
      details: { nextSlotStart: '2026-03-10T03:45:00.000Z' },
    });
    // One more item still fits the 11:30 slot.
    expect(await stock.reserve(order([['S002', 1]]))).toMatchObject({ ok: true });
    // A platform order is counted anyway: the slot shows overloaded and the store is told.
    const platformOrder = order([['S002', 2]], { channel: 'eleme', mode: 'record' });
    const platform = await stock.reserve(platformOrder);
    expect(platform).toMatchObject({ ok: true, overloaded: true });
    const view = await stock.capacity(SH001);
    expect(view.slots.find((s) => s.start === '2026-03-10T03:30:00.000Z')).toMatchObject({
      items: 5,
      orders: 3,
      overloaded: true,
    });
    expect((await stock.listAlerts(SH001, { open: true, limit: 5 }))[0]).toMatchObject({ kind: 'overloaded' });
    // An order bigger than any slot is refused with no slot to suggest.
    await expect(stock.reserve(order([['S002', 4]], { readyAt: LUNCH + 3600_000 }))).rejects.toMatchObject({
      code: 'CAPACITY_FULL',
      details: { nextSlotStart: null },
    });
    // Cancelling frees the slot.
    await stock.release(platformOrder.orderId, 'cancelled');
    expect((await stock.capacity(SH001)).slots.find((s) => s.start === '2026-03-10T03:30:00.000Z')).toMatchObject({
      items: 3,
      orders: 2,
      overloaded: false,
    });
    expect(await stock.nextSlotWithRoom(SH001, 2, LUNCH)).toBe(Date.parse('2026-03-10T03:45:00Z'));
  });
});
