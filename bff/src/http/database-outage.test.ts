import { connectDatabase, demoIds, seedDemo } from 'db';
import { createMysqlTestDatabase, type StorageTarget, storageTargets, type TestDatabase } from 'db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Burst } from '../../../sim/src/burst';
import { makeElemeOrder, oOrderJson } from '../../../sim/src/eleme/orders';
import { ElemePusher } from '../../../sim/src/eleme/push';
import { makeMeituanOrder, openCaterOrderJson, waimaiopenOrderFields } from '../../../sim/src/meituan/orders';
import { MeituanPusher } from '../../../sim/src/meituan/push';
import { sendRequest, startTestApp, type TestResponse } from '../testing';
import {
  type BffProcess,
  freePort,
  type PrivateServer,
  startBffProcess,
  startPrivateMariadb,
  waitUntil,
} from '../testing/private-services';

const SH001 = demoIds.store('SH001');

function expectUnavailable(res: TestResponse, what: string) {
  expect({ what, status: res.status, code: res.body?.error?.code }).toEqual({
    what,
    status: 503,
    code: 'SERVICE_UNAVAILABLE',
  });
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
}

describe('a BFF process whose MariaDB is killed and restarted', () => {
  let mariadb: PrivateServer;
  let database: TestDatabase;
  let bff: BffProcess;
  let staffToken: string;
  beforeAll(async () => {
    mariadb = await startPrivateMariadb();
    database = await createMysqlTestDatabase(mariadb.url);
    await seedDemo(database.db, {});
    const port = await freePort();
    bff = await startBffProcess(
      { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, DATABASE_URL: database.url },
      60_000,
    );
    const login = await sendRequest(bff.url, 'POST', '/api/admin/login', {
      body: { username: 'hq', password: 'heyi-demo' },
    });
    staffToken = login.body.token;
  }, 180_000);
  afterAll(async () => {
    bff?.child.kill('SIGKILL');
    await database?.close();
    await mariadb?.destroy();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After on every kind of route, webhooks included', async () => {
    await mariadb.kill();
    const meituan = new MeituanPusher({ postBase: bff.url });
    const mtOrder = makeMeituanOrder({ ePoiId: 'SH001', daySeq: 1 });
    const mtPush = meituan.build('new-order', 'SH001', {
      json: openCaterOrderJson(mtOrder),
      flat: waimaiopenOrderFields(mtOrder),
    });
    const eleme = new ElemePusher({ postBase: bff.url });
    const elOrder = makeElemeOrder({ shopId: '100001', openId: 'SH001', daySn: 2 });
    const elPush = eleme.build(10, '100001', oOrderJson(elOrder));

    const ready = await sendRequest(bff.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('unavailable');
    expectUnavailable(await sendRequest(bff.url, 'GET', `/api/mp/stores/${SH001}/menu`), 'member menu');
    expectUnavailable(
      await sendRequest(bff.url, 'POST', '/api/admin/login', { body: { username: 'hq', password: 'heyi-demo' } }),
      'staff sign-in',
    );
    expectUnavailable(await sendRequest(bff.url, 'GET', '/api/admin/me', { token: staffToken }), 'staff route');
    expectUnavailable(
      await sendRequest(bff.url, 'POST', mtPush.url.slice(bff.url.length), {
        raw: mtPush.body,
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      }),
      'Meituan push',
    );
    expectUnavailable(
      await sendRequest(bff.url, 'POST', '/webhooks/eleme', { raw: elPush.body, contentType: 'application/json' }),
      'Ele.me push',
    );
    const metrics = await sendRequest(bff.url, 'GET', '/metrics');
    expect(metrics.text).toMatch(/heyi_dependency_up\{dependency="database"\} 0/);
    expect(metrics.text).toMatch(/heyi_http_unavailable_total\{dependency="database"\} [1-9]/);
    expect(bff.alive()).toBe(true);
  }, 60_000);

  it('recovers without a restart, and the pushes the platforms retried are all taken once', async () => {
    // Platforms redeliver what was not acknowledged: a burst sent while the database is still down.
    const burst = new Burst({ bffUrl: bff.url, count: 6, concurrency: 2, duplicates: 1, retryDelayMs: 200 });
    const sending = burst.run();
    await waitUntil('pushes refused during the outage', () => burst.attempts >= 4);
    expect(burst.acked).toBe(0);
    await mariadb.start();
    await waitUntil(
      'readyz 200 again',
      async () => (await sendRequest(bff.url, 'GET', '/readyz')).status === 200,
      60_000,
    );
    expect((await sending).failed).toEqual([]);
    expect((await sendRequest(bff.url, 'GET', '/api/admin/me', { token: staffToken })).status).toBe(200);
    await waitUntil('every push applied', async () => {
      const open = await database.db.selectFrom('push_inbox').select('id').where('status', '=', 'received').execute();
      return open.length === 0;
    });
    const orders = await database.db.selectFrom('orders').select('channel_order_id').execute();
    expect(orders.map((o) => o.channel_order_id).sort()).toEqual(burst.orders.map((o) => o.orderId).sort());
    expect(bff.alive()).toBe(true);
  }, 120_000);
});

describe('SQLite whose write lock another connection holds past the busy timeout', () => {
  it('answers 503 with Retry-After, not 500', async () => {
    const app = await startTestApp(storageTargets()[0] as StorageTarget);
    const holder = await connectDatabase(app.database.url);
    try {
      await sql`BEGIN EXCLUSIVE`.execute(holder.db);
      // Sign-in reads (WAL lets it) and then records the sign-in, which waits for the lock in vain.
      const signIn = () => app.request('POST', '/api/admin/login', { body: { username: 'hq', password: 'heyi-demo' } });
      expectUnavailable(await signIn(), 'sign-in on a locked SQLite');
      await sql`COMMIT`.execute(holder.db);
      expect((await signIn()).status).toBe(200);
    } finally {
      await holder.close();
      await app.close();
    }
  }, 30_000);
});
