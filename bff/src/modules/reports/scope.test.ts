import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing';
import { HZ001, orderDriver, SH001, SH002 } from './reports.fixture';

const HZ = demoIds.region('hz');
const SH = demoIds.region('sh');

/** Everything an attacker with a manager's token might try to see another region's or store's figures. */
describe.each(storageTargets())('report scope on $dialect', (target) => {
  let app: TestApp;
  let tokens: Record<string, string>;
  let reportPaths: string[];
  const day = () => new Date(app.container.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    app = await startTestApp(target);
    const d = orderDriver(app);
    const now = app.container.clock.now();
    for (const [storeId, id, unit] of [
      [SH001, '9300000000000000001', 1000],
      [SH002, '9300000000000000002', 2000],
      [HZ001, '9300000000000000003', 4000],
    ] as const) {
      await d.place({ storeId, channel: 'meituan', id, lines: [{ sku: 'N004-L', qty: 1, unit }] }, now);
    }
    await d.settle();
    tokens = {
      hq: await app.login('hq'),
      rm: await app.login('rm-sh'),
      sm: await app.login('sm-sh001'),
      clerk: await app.login('clerk-sh001'),
    };
    const openapi = await app.request('GET', '/openapi.json');
    reportPaths = Object.keys(openapi.body.paths).filter((p) => p.startsWith('/api/admin/reports/'));
  });

  afterAll(async () => {
    await app?.close();
  });

  const query = (path: string, extra: string) =>
    path.endsWith('/new-dish')
      ? `productCode=N004&${extra}`
      : path.endsWith('/price-discipline')
        ? extra
        : `from=${day()}&to=${day()}&${extra}`;
  const get = (token: string, path: string, extra = '') =>
    app.request('GET', `${path}?${query(path, extra)}`, { token });

  it('lists every report in /openapi.json', () => {
    expect(reportPaths.sort()).toEqual(
      ['channel-kpis', 'channel-mix', 'new-dish', 'operations', 'price-discipline', 'products', 'sold-out'].map(
        (n) => `/api/admin/reports/${n}`,
      ),
    );
  });

  it('HQ sees every store; a region manager only their region, in rows and totals', async () => {
    const all = await get(tokens.hq as string, '/api/admin/reports/channel-mix');
    expect(all.body.totals.all).toMatchObject({ orders: 3, paid: 7000 });
    const rm = await get(tokens.rm as string, '/api/admin/reports/channel-mix');
    expect(rm.status).toBe(200);
    expect(rm.body.rows.map((r: { storeCode: string }) => r.storeCode).sort()).toEqual(['SH001', 'SH002']);
    expect(rm.body.totals.all).toMatchObject({ orders: 2, paid: 3000 });
    const own = await get(tokens.rm as string, '/api/admin/reports/channel-mix', `regionId=${SH}`);
    expect(own.body.totals.all.orders).toBe(2);
  });

  it('a store manager sees only their store', async () => {
    const sm = await get(tokens.sm as string, '/api/admin/reports/channel-mix');
    expect(sm.body.rows.map((r: { storeCode: string }) => r.storeCode)).toEqual(['SH001']);
    expect(sm.body.totals.all).toMatchObject({ orders: 1, paid: 1000 });
  });

  it('refuses another store, another region and another brand on every report, JSON and CSV', async () => {
    for (const path of reportPaths) {
      for (const [who, filter] of [
        ['rm', `storeId=${HZ001}`],
        ['rm', `regionId=${HZ}`],
        ['rm', `brandId=${demoIds.store('HZ002')}`],
        ['sm', `storeId=${SH002}`],
        ['sm', `regionId=${SH}&storeId=${SH002}`],
        ['sm', `storeId=${HZ001}&format=csv`],
        ['rm', `regionId=${HZ}&format=csv`],
      ] as const) {
        const res = await get(tokens[who] as string, path, filter);
        expect(res.status, `${who} ${path}?${filter}`).toBe(403);
        expect(res.body.error.code).toBe('OUT_OF_SCOPE');
        expect(res.text).not.toContain('HZ001');
      }
    }
  });

  it('a CSV export holds only the stores in scope', async () => {
    for (const path of reportPaths) {
      const res = await get(tokens.rm as string, path, 'format=csv');
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain('HZ00');
      expect(res.text, path).not.toContain(HZ001);
    }
    const mix = await get(tokens.rm as string, '/api/admin/reports/channel-mix', 'format=csv');
    expect(mix.text).toContain('SH002');
  });

  it('clerks and signed-out callers get no report', async () => {
    for (const path of reportPaths) {
      expect((await get(tokens.clerk as string, path)).status).toBe(403);
      expect((await app.request('GET', `${path}?${query(path, '')}`)).status).toBe(401);
    }
  });
});
