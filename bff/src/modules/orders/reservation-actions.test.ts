import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../../sim/src/server';
import { wechatLogin } from '../../../../sim/src/wechat/code2session';
import { payAndNotify } from '../../../../sim/src/wechatpay/cashier';
import { ManualClock } from '../../lib/clock';
import { startTestApp, type TestApp } from '../../testing';

const SH001 = demoIds.store('SH001');
/** 12:00 on a weekday in Shanghai: the store is open. */
const NOON = Date.UTC(2026, 2, 10, 4, 0);

describe.each(storageTargets())('staff reservation actions follow the order on $dialect', (target) => {
  let sim: RunningSimulator;
  let app: TestApp;
  let member: string;
  let clerk: string;
  let manager: string;
  const clock = new ManualClock(NOON);

  beforeAll(async () => {
    sim = await startSimulator({ now: () => clock.now() });
    app = await startTestApp(target, { clock, env: { SIM_BASE_URL: sim.url } });
    const code = wechatLogin(sim.state).issueCode({ openid: 'o-reservations' });
    member = (await app.request('POST', '/api/mp/auth/login', { body: { code } })).body.token;
    [clerk, manager] = await Promise.all([app.login('clerk-sh001'), app.login('sm-sh001')]);
    const counted = await app.request('PUT', `/api/staff/stores/${SH001}/stock/N001-L`, {
      token: manager,
      body: { quantity: 10 },
    });
    expect(counted.status).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const quantity = async () => {
    const res = await app.request('GET', `/api/staff/stores/${SH001}/stock`, { token: manager });
    return res.body.items.find((i: { skuCode: string }) => i.skuCode === 'N001-L').quantity as number;
  };
  const act = (orderId: string, action: 'commit' | 'release', token: string, body: object = {}) =>
    app.request('POST', `/api/staff/stores/${SH001}/reservations/${orderId}/${action}`, {
      token,
      body: action === 'release' ? { reason: 'cancelled', ...body } : body,
    });
  const overrides = (orderId: string) =>
    app.container.db
      .selectFrom('order_event')
      .select(['type', 'source', 'actor', 'reason'])
      .where('order_id', '=', orderId)
      .where('type', '=', 'stock.override')
      .execute();

  it('refuses a clerk’s commit of an unpaid order and release of a paid one, and lets a manager override with a reason', async () => {
    const placed = await app.request('POST', '/api/mp/orders', {
      token: member,
      headers: { 'idempotency-key': `reservation-actions-${target.dialect}` },
      body: { storeId: SH001, fulfillment: 'pickup', lines: [{ skuCode: 'N001-L', quantity: 3, addons: ['SPICY-1'] }] },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.order.id as string;
    expect(await quantity()).toBe(7);

    // Unpaid: its stock is only held. Neither a sale nor a give-back is the clerk's to decide.
    for (const action of ['commit', 'release'] as const) {
      const refused = await act(orderId, action, clerk);
      expect([refused.status, refused.body.error.code]).toEqual([409, 'ORDER_STATE']);
    }
    expect(await quantity()).toBe(7);

    expect(await payAndNotify(sim.state, placed.body.payment, { deliverTo: app.url })).toEqual([204]);
    await app.container.outbox.drain();
    // Paid and placed: committing is what its state calls for; releasing is not.
    expect((await act(orderId, 'commit', clerk)).status).toBe(204);
    const release = await act(orderId, 'release', clerk);
    expect([release.status, release.body.error.code]).toEqual([409, 'ORDER_STATE']);
    expect(await quantity()).toBe(7);

    const override = { override: { reason: '顾客到店取消，已线下退款' } };
    const byClerk = await act(orderId, 'release', clerk, override);
    expect([byClerk.status, byClerk.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await act(orderId, 'release', manager, { override: {} })).status).toBe(400);
    expect(await overrides(orderId)).toEqual([]);
    expect(await quantity()).toBe(7);

    expect((await act(orderId, 'release', manager, override)).status).toBe(204);
    expect(await quantity()).toBe(10);
    expect(await overrides(orderId)).toEqual([
      { type: 'stock.override', source: 'staff', actor: demoIds.staff('sm-sh001'), reason: '顾客到店取消，已线下退款' },
    ]);
    const order = await app.request('GET', `/api/staff/orders/${orderId}`, { token: clerk });
    expect(order.body.events).toContainEqual(expect.objectContaining({ type: 'stock.override' }));
  });
});
