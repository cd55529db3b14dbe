import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock';
import { startTestApp, type TestApp } from '../../testing';
import { anOrderId, LUNCH, stopCarrying } from './testing';

const SH001 = demoIds.store('SH001');
const SH002 = demoIds.store('SH002');
const stockPath = (storeId: string, code = '') => `/api/staff/stores/${storeId}/stock${code ? `/${code}` : ''}`;

describe.each(storageTargets())('stock staff API on $dialect', (storage) => {
  let app: TestApp;
  let clerk: string;
  let manager: string;
  let hq: string;
  const clock = new ManualClock(LUNCH);

  beforeAll(async () => {
    app = await startTestApp(storage, { clock });
    [clerk, manager, hq] = await Promise.all([app.login('clerk-sh001'), app.login('sm-sh001'), app.login('hq')]);
    await stopCarrying(app.container.db, SH002, 'N005');
  });
  afterAll(async () => {
    await app?.close();
  });

  const put = (code: string, body: unknown, opts: { storeId?: string; token?: string; key?: string } = {}) =>
    app.request('PUT', stockPath(opts.storeId ?? SH001, code), {
      body,
      token: opts.token ?? clerk,
      ...(opts.key ? { headers: { 'idempotency-key': opts.key } } : {}),
    });
  const item = async (code: string, storeId = SH001) => {
    const res = await app.request('GET', stockPath(storeId), { token: hq });
    expect(res.status).toBe(200);
    return res.body.items.find((i: { skuCode: string }) => i.skuCode === code);
  };
  const snapshot = async () => ({
    items: await app.container.db.selectFrom('stock_item').selectAll().orderBy('id').execute(),
    history: await app.container.db.selectFrom('stock_change').select('id').execute(),
    capacity: await app.container.db.selectFrom('stock_capacity').selectAll().execute(),
  });

  it('lists every SKU the store carries, unlimited and on sale until someone counts it', async () => {
    const res = await app.request('GET', stockPath(SH001), { token: clerk });
    expect(res.status).toBe(200);
    expect(res.body.businessDate).toBe('2026-03-10');
    expect(res.body.items.find((i: { skuCode: string }) => i.skuCode === 'N001-L')).toMatchObject({
      skuCode: 'N001-L',
      productCode: 'N001',
      quantity: null,
      soldOut: false,
    });
  });

  it('sets, restocks and marks sold out; the history says who did what', async () => {
    expect((await put('N001-L', { quantity: 10 })).status).toBe(200);
    const added = await put('N001-L', { add: 5 });
    expect(added.body.items[0]).toMatchObject({ skuCode: 'N001-L', quantity: 15, soldOut: false });
    const marked = await put('N001-L', { soldOut: true, until: '2026-03-10T06:00:00Z' });
    expect(marked.body.items[0]).toMatchObject({
      soldOut: true,
      soldOutReason: 'marked',
      soldOutUntil: '2026-03-10T06:00:00.000Z',
    });
    expect(await item('N001-L')).toMatchObject({ quantity: 15, soldOut: true });
    expect((await put('N001-L', { soldOut: false })).body.items[0]).toMatchObject({ soldOut: false });

    const history = await app.request('GET', `${stockPath(SH001)}/history?code=N001-L`, { token: manager });
    expect(history.status).toBe(200);
    expect(history.body.changes.map((c: { action: string }) => c.action)).toEqual([
      'unmark_sold_out',
      'mark_sold_out',
      'add',
      'set_quantity',
    ]);
    expect(history.body.changes[2]).toMatchObject({
      staffName: 'clerk-sh001',
      source: 'staff',
      before: { quantity: 10 },
      after: { quantity: 15 },
    });
  });

  it('applies a retried restock once (Idempotency-Key)', async () => {
    await put('N002-L', { quantity: 1 });
    const first = await put('N002-L', { add: 4 }, { key: 'restock-N002-L-0001' });
    const retry = await put('N002-L', { add: 4 }, { key: 'restock-N002-L-0001' });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await item('N002-L')).toMatchObject({ quantity: 5 });
  });

  it('covers all of a product’s SKUs with a product-level row', async () => {
    const res = await app.request('PUT', `${stockPath(SH001)}/products/N006`, { body: { quantity: 0 }, token: clerk });
    expect(res.status).toBe(200);
    expect(res.body.row).toMatchObject({ level: 'product', code: 'N006', quantity: 0 });
    expect(res.body.items.map((i: { skuCode: string; soldOut: boolean }) => [i.skuCode, i.soldOut])).toEqual([
      ['N006-L', true],
      ['N006-S', true],
    ]);
    const list = await app.request('GET', stockPath(SH001), { token: clerk });
    expect(list.body.products).toEqual([expect.objectContaining({ code: 'N006', quantity: 0 })]);
  });

  it('changes nothing on bad input, and says why', async () => {
    const before = await snapshot();
    const cases: [string, unknown, number, string, string?][] = [
      ['N001-L', { quantity: -1 }, 400, 'VALIDATION_FAILED'],
      ['N001-L', { quantity: 1.5 }, 400, 'VALIDATION_FAILED'],
      ['N001-L', { quantity: 1, add: 2 }, 400, 'VALIDATION_FAILED'],
      ['N001-L', {}, 400, 'VALIDATION_FAILED'],
      ['N001-L', { soldOut: true, until: '2026-03-10T03:00:00Z' }, 400, 'VALIDATION_FAILED'],
      ['N001-L', { add: 0 }, 400, 'VALIDATION_FAILED'],
      ['ZZZ-9', { quantity: 3 }, 404, 'UNKNOWN_SKU'],
      ['N005-L', { quantity: 3 }, 422, 'SKU_NOT_CARRIED', SH002],
      ['S003', { add: 2 }, 409, 'STOCK_NOT_COUNTED'],
    ];
    for (const [code, body, status, errorCode, storeId] of cases) {
      const res = await put(code, body, { token: hq, ...(storeId ? { storeId } : {}) });
      expect({ code, body, status: res.status, error: res.body.error?.code }).toEqual({
        code,
        body,
        status,
        error: errorCode,
      });
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    const noCapacity = await app.request('PUT', `/api/staff/stores/${SH001}/capacity`, {
      token: manager,
      body: { slotMinutes: 15, periods: [{ name: 'lunch', start: '11:00', end: '14:00', maxItems: 0 }] },
    });
    expect(noCapacity.status).toBe(400);
    expect(noCapacity.body.error.code).toBe('CAPACITY_INVALID');
    expect(noCapacity.body.error.message).toMatch(/capacity of 0/);
    expect(await snapshot()).toEqual(before);
  });

  it('lets staff act only on their own store', async () => {
    const res = await put('N001-L', { quantity: 1 }, { storeId: SH002 });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('OUT_OF_SCOPE');
    expect((await app.request('GET', stockPath(SH002), { token: clerk })).status).toBe(403);
  });

  it('keeps capacity to managers and the stock policy to HQ', async () => {
    const settings = {
      slotMinutes: 15,
      periods: [{ name: 'lunch', start: '11:00', end: '14:00', maxItems: 20, maxOrders: 8 }],
    };
    expect(
      (await app.request('PUT', `/api/staff/stores/${SH001}/capacity`, { token: clerk, body: settings })).status,
    ).toBe(403);
    const saved = await app.request('PUT', `/api/staff/stores/${SH001}/capacity`, { token: manager, body: settings });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      slotMinutes: 15,
      periods: [{ name: 'lunch', start: '11:00', end: '14:00', maxItems: 20 }],
    });
    expect(saved.body.slots).toHaveLength(12);

    expect(
      (await app.request('PUT', '/api/admin/stock-policy', { token: manager, body: { shortagePolicy: 'auto_cancel' } }))
        .status,
    ).toBe(403);
    const policy = await app.request('PUT', '/api/admin/stock-policy', {
      token: hq,
      body: { shortagePolicy: 'auto_cancel', platformStock: { show: 'capped', cap: 20, unlimitedAs: 999 } },
    });
    expect(policy.status).toBe(200);
    expect(policy.body).toEqual({
      shortagePolicy: 'auto_cancel',
      refundedStock: 'return',
      platformStock: { show: 'capped', cap: 20, unlimitedAs: 999 },
    });
    expect(await app.container.services.stock.shortagePolicy(demoIds.brand)).toBe('auto_cancel');
    await app.request('PUT', '/api/admin/stock-policy', { token: hq, body: { shortagePolicy: 'accept_and_alert' } });
  });

  it('takes reservations from the store’s own terminal, all or nothing and once per order', async () => {
    await put('S004', { quantity: 2 });
    const orderId = anOrderId();
    const body = { orderId, channel: 'dinein', lines: [{ lineId: 'T1', skuCode: 'S004', quantity: 2 }] };
    const first = await app.request('POST', `/api/staff/stores/${SH001}/reservations`, { token: clerk, body });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, replayed: false });
    const retry = await app.request('POST', `/api/staff/stores/${SH001}/reservations`, { token: clerk, body });
    expect(retry.body).toMatchObject({ ok: true, replayed: true });
    const short = await app.request('POST', `/api/staff/stores/${SH001}/reservations`, {
      token: clerk,
      body: { ...body, orderId: anOrderId() },
    });
    expect(short.status).toBe(409);
    expect(short.body.error).toMatchObject({
      code: 'STOCK_INSUFFICIENT',
      details: { shortages: [{ skuCode: 'S004', requested: 2, available: 0, reason: 'sold_out' }] },
    });
    const released = await app.request('POST', `/api/staff/stores/${SH001}/reservations/${orderId}/release`, {
      token: clerk,
      body: { reason: 'cancelled' },
    });
    expect(released.status).toBe(204);
    expect(await item('S004')).toMatchObject({ quantity: 2, soldOut: false });
  });
});
