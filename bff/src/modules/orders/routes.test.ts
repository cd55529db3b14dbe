import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoIds } from 'db';
import { type StorageTarget, storageTargets, testRedisUrl } from 'db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { buildContainer } from '../../container';
import { startTestApp, type TestApp, testConfig } from '../../testing';
import type { NewOrder } from './model';

const SH001 = demoIds.store('SH001');
const SH002 = demoIds.store('SH002');

function order(id: string, storeId: string, promisedInMin: number | null, now: number): NewOrder {
  return {
    brandId: demoIds.brand,
    storeId,
    channel: 'eleme',
    channelOrderId: id,
    displayId: null,
    gateway: null,
    fulfillment: 'delivery',
    deliveryMode: 'platform',
    status: 'placed',
    placedAt: now,
    promisedAt: promisedInMin === null ? null : now + promisedInMin * 60_000,
    payBy: null,
    daySeq: Number(id.slice(-2)),
    memberId: null,
    placementKey: null,
    amounts: {
      items: 1800,
      packaging: 0,
      deliveryFee: 0,
      discountPlatform: 0,
      discountMerchant: 0,
      paid: 1800,
      merchantIncome: 1500,
    },
    remark: '不要香菜',
    tableNo: null,
    recipient: null,
    logisticsCode: null,
    degraded: false,
    zoneName: null,
    lines: [
      {
        skuCode: 'N004-L',
        platformItemId: null,
        platformSkuId: null,
        name: '重庆小面',
        specText: '大碗',
        addons: [{ code: null, name: '微辣', price: 0 }],
        quantity: 1,
        unitPrice: 1800,
        addonsPrice: 0,
        packagingFee: 0,
        boxCount: 0,
        lineTotal: 1800,
        unmapped: false,
      },
    ],
  };
}

/** Reads Server-Sent Events from a response until `until` says stop. */
async function readEvents(res: Response, until: (events: { event: string; data: string }[]) => boolean) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: string }[] = [];
  let buffer = '';
  let comments = 0;
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (block.startsWith(':')) comments++;
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data });
      cut = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return { events, comments };
}

describe.each(storageTargets())('the kitchen queue on $dialect', (target) => {
  let app: TestApp;
  let clerk: string;
  beforeAll(async () => {
    app = await startTestApp(target);
    clerk = await app.login('clerk-sh001');
  });
  afterAll(async () => {
    await app?.close();
  });

  const ingest = (o: NewOrder) => app.container.services.orderFlow.ingest.ingest(o, { source: 'platform', id: 't' });

  it('shows a clerk their store’s orders, soonest promise first, and nothing of other stores', async () => {
    const now = app.container.clock.now();
    await ingest(order('3000000000000000001', SH001, 45, now));
    await ingest(order('3000000000000000002', SH001, 15, now));
    await ingest(order('3000000000000000003', SH002, 10, now));
    const res = await app.request('GET', `/api/staff/stores/${SH001}/queue`, { token: clerk });
    expect(res.status).toBe(200);
    const ids = res.body.orders.map((o: { channelOrderId: string }) => o.channelOrderId);
    expect(ids).toEqual(['3000000000000000002', '3000000000000000001']);
    expect(res.body.orders[0]).toMatchObject({ channel: 'eleme', daySeq: 2, remark: '不要香菜' });
    expect(res.body.orders[0].lines[0]).toMatchObject({
      skuCode: 'N004-L',
      specText: '大碗',
      addons: [{ name: '微辣' }],
    });
    const other = await app.request('GET', `/api/staff/stores/${SH002}/queue`, { token: clerk });
    expect(other.status).toBe(403);
  });

  it('lets staff act only on orders of stores in their scope', async () => {
    const theirs = await app.container.services.orderFlow.orders.findByChannelId('eleme', '3000000000000000003');
    const res = await app.request('POST', `/api/staff/orders/${theirs?.id}/accept`, { token: clerk });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('OUT_OF_SCOPE');
  });

  it('accepts once however often the button is pressed, and refuses what cannot be done with 409', async () => {
    const o = await app.container.services.orderFlow.orders.findByChannelId('eleme', '3000000000000000001');
    const early = await app.request('POST', `/api/staff/orders/${o?.id}/handover`, { token: clerk, body: {} });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('ORDER_STATE');
    const first = await app.request('POST', `/api/staff/orders/${o?.id}/accept`, { token: clerk });
    const second = await app.request('POST', `/api/staff/orders/${o?.id}/accept`, { token: clerk });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.events.filter((e: { toStatus: string }) => e.toStatus === 'accepted')).toEqual([
      expect.objectContaining({ source: 'staff', fromStatus: 'placed' }),
    ]);
  });

  it('streams the queue: a snapshot, then each order as it changes on any process, with heartbeats', async () => {
    app.container.services.orderFlow.queue.heartbeatMs = 50;
    const res = await fetch(`${app.url}/api/staff/stores/${SH001}/queue/stream`, {
      headers: { authorization: `Bearer ${clerk}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = readEvents(res, (events) => events.some((e) => e.data.includes('3000000000000000009')));
    setTimeout(() => {
      ingest(order('3000000000000000009', SH001, 30, app.container.clock.now())).catch(() => undefined);
    }, 200);
    const { events, comments } = await reading;
    expect(events[0]?.event).toBe('queue');
    const created = events.find((e) => e.event === 'order' && e.data.includes('3000000000000000009'));
    expect(JSON.parse(created?.data ?? '{}')).toMatchObject({ type: 'order.created', order: { status: 'placed' } });
    expect(comments).toBeGreaterThan(0);
  });

  it('refuses the stream without a staff sign-in', async () => {
    const res = await app.request('GET', `/api/staff/stores/${SH001}/queue/stream`);
    expect(res.status).toBe(401);
  });
});

describe.skipIf(!testRedisUrl())('the kitchen stream across two BFF processes sharing Redis', () => {
  let a: TestApp;
  let b: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    a = await startTestApp(storageTargets()[0] as StorageTarget, { redis: true });
    // A second app on the same database and Redis (prefix included): another BFF process in all but PID.
    const container = await buildContainer(
      testConfig({
        DATABASE_URL: a.database.url,
        REDIS_URL: testRedisUrl() as string,
        REDIS_KEY_PREFIX: a.container.config.redisKeyPrefix,
      }),
      { logger: pino({ level: 'silent' }) },
    );
    const server = http.createServer(createApp(container).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    b = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await container.close();
      },
    };
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('shows on a screen connected to one process an order recorded by the other', async () => {
    const clerk = await a.login('clerk-sh001');
    const res = await fetch(`${b.url}/api/staff/stores/${SH001}/queue/stream`, {
      headers: { authorization: `Bearer ${clerk}` },
    });
    const reading = readEvents(res, (events) => events.some((e) => e.data.includes('3000000000000000077')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await a.container.services.orderFlow.ingest.ingest(order('3000000000000000077', SH001, 20, Date.now()), {
      source: 'platform',
      id: 't',
    });
    const { events } = await reading;
    expect(events.some((e) => e.event === 'order' && e.data.includes('3000000000000000077'))).toBe(true);
  });
});
