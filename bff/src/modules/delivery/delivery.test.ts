import { demoIds, demoStores } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock';
import { startTestApp, type TestApp } from '../../testing';

const SH001 = demoIds.store('SH001');
const store = demoStores.find((s) => s.code === 'SH001')!;
/** A point about `km` kilometres north of the store. */
const north = (km: number) => ({ lat: store.lat + km / 111.2, lng: store.lng });
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return Date.UTC(2026, 2, 2, h - 8, m);
};

describe.each(storageTargets())('delivery templates and riders on $dialect', (target) => {
  let app: TestApp;
  const clock = new ManualClock(at('12:00'));
  beforeAll(async () => {
    app = await startTestApp(target, { clock });
  });
  afterAll(async () => {
    await app?.close();
  });

  const delivery = () => app.container.services.delivery;
  const location = async () => app.container.services.stores.get(SH001);

  it('routes an address to the smallest zone that contains it, with that zone’s fee and time', async () => {
    const near = await delivery().routeOwnDelivery(await location(), north(1), 3000, clock.now());
    expect(near).toMatchObject({ name: '3 公里内', fee: 500, minutes: 30 });
    const far = await delivery().routeOwnDelivery(await location(), north(4), 5000, clock.now());
    expect(far).toMatchObject({ name: '3–5 公里', fee: 900, minutes: 45 });
  });

  it('refuses an address outside every zone, under the minimum, or out of hours, saying why', async () => {
    const out = await delivery()
      .routeOwnDelivery(await location(), north(7), 9000, clock.now())
      .catch((e) => e);
    expect(out.code).toBe('DELIVERY_OUT_OF_RANGE');
    expect(out.message).toMatch(/within 5.0 km/);
    const small = await delivery()
      .routeOwnDelivery(await location(), north(1), 1000, clock.now())
      .catch((e) => e);
    expect(small.code).toBe('DELIVERY_BELOW_MINIMUM');
    const late = await delivery()
      .routeOwnDelivery(await location(), north(1), 3000, at('21:45'))
      .catch((e) => e);
    expect(late.code).toBe('DELIVERY_UNAVAILABLE');
  });

  it('lets a store manager replace the template, and a clerk only read it', async () => {
    const manager = await app.login('sm-sh001');
    const clerk = await app.login('clerk-sh001');
    const template = {
      selfDelivery: {
        enabled: true,
        zones: [{ name: '近', radiusM: 2000, fee: 300, minOrder: 1500, minutes: 25, hours: [] }],
      },
      platformDelivery: { meituan: true, eleme: false },
    };
    const denied = await app.request('PUT', `/api/staff/stores/${SH001}/delivery`, { token: clerk, body: template });
    expect(denied.status).toBe(403);
    const saved = await app.request('PUT', `/api/staff/stores/${SH001}/delivery`, { token: manager, body: template });
    expect(saved.status).toBe(200);
    const read = await app.request('GET', `/api/staff/stores/${SH001}/delivery`, { token: clerk });
    expect(read.body).toMatchObject({ storeId: SH001, ...template });
    expect(await delivery().platformDelivers(SH001, 'eleme')).toBe(false);
    const routed = await delivery().routeOwnDelivery(await location(), north(1.5), 2000, clock.now());
    expect(routed.name).toBe('近');
  });

  it('keeps the rider’s timeline, never moving the rider back for a late push, recording a repeat once', async () => {
    const flow = app.container.services.orderFlow;
    const { order } = await flow.orders.create(
      {
        brandId: demoIds.brand,
        storeId: SH001,
        channel: 'meituan',
        channelOrderId: '5301890193521352344',
        displayId: null,
        gateway: 'open-cater',
        fulfillment: 'delivery',
        deliveryMode: 'platform',
        status: 'placed',
        placedAt: clock.now(),
        promisedAt: null,
        payBy: null,
        daySeq: 1,
        memberId: null,
        placementKey: null,
        amounts: {
          items: 0,
          packaging: 0,
          deliveryFee: 0,
          discountPlatform: 0,
          discountMerchant: 0,
          paid: 0,
          merchantIncome: null,
        },
        remark: '',
        tableNo: null,
        recipient: null,
        logisticsCode: '1001',
        degraded: false,
        zoneName: null,
        lines: [],
      },
      { source: 'platform', id: 't' },
    );
    const rider = (status: 'assigned' | 'at_store' | 'picked_up', min: number) =>
      app.container.services.delivery.recordRider({
        orderId: order.id,
        status,
        riderName: '张师傅',
        riderPhone: '13800000000',
        source: 'platform',
        dedupeKey: `mt:${status}:${min}`,
        at: clock.now() + min * 60_000,
      });
    await rider('assigned', 1);
    await rider('picked_up', 9);
    await rider('at_store', 5);
    await rider('at_store', 5);
    const view = (await app.container.services.delivery.viewsFor([order.id])).get(order.id);
    expect(view?.status).toBe('picked_up');
    expect(view?.timeline.map((t) => t.status)).toEqual(['assigned', 'at_store', 'picked_up']);
    expect(view?.riderName).toBe('张师傅');
  });
});
