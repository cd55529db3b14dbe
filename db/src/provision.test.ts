import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from './password';
import { ProvisionError, type ProvisionFile, provision } from './provision';
import { storageTargets, type TestDatabase } from './testing';

const hours = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '10:00', close: '21:30' }];

const file = (): ProvisionFile => ({
  brand: { code: 'lanzhou', name: '兰州拉面馆' },
  regions: [
    { code: 'bj', name: '北京' },
    { code: 'tj', name: '天津' },
  ],
  stores: [
    { code: 'BJ01', region: 'bj', name: '国贸店', businessHours: hours, elemeShopId: '500001' },
    { code: 'TJ01', region: 'tj', name: '滨江道店', businessHours: hours, meituanPoiCode: 'mt-tj-01' },
  ],
  staff: [
    { username: 'boss', displayName: '老板', role: 'hq_admin', password: 'correct horse battery' },
    {
      username: 'north',
      displayName: '区域经理',
      role: 'region_manager',
      regions: ['bj', 'tj'],
      password: 'north-pass-123',
    },
    { username: 'bj01-mgr', displayName: '店长', role: 'store_manager', store: 'BJ01', password: 'bj01-pass-123' },
  ],
});

describe.each(storageTargets())('provisioning a brand on $dialect', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(async () => {
    await t?.drop();
  });

  const count = async (table: 'brand' | 'region' | 'store' | 'staff' | 'staff_region') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    brand: await count('brand'),
    region: await count('region'),
    store: await count('store'),
    staff: await count('staff'),
    staffRegion: await count('staff_region'),
  });
  const staff = (username: string) =>
    t.db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirstOrThrow();

  it('refuses an invalid file as a whole, naming each problem, and writes nothing', async () => {
    const bad = file();
    bad.stores?.push({ code: 'BJ01', region: 'bj', name: '重复', businessHours: hours });
    bad.staff?.push({ username: 'clerk', displayName: '店员', role: 'clerk', password: 'short' });
    const error = await provision(t.db, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionError);
    expect((error as Error).message).toMatch(/BJ01 appears twice/);
    expect((error as Error).message).toMatch(/a clerk needs a store/);
    expect((error as Error).message).toMatch(/at least 12 characters/);
    expect(await counts()).toEqual({ brand: 0, region: 0, store: 0, staff: 0, staffRegion: 0 });

    const unknownRegion = file();
    unknownRegion.stores?.push({ code: 'SZ01', region: 'sz', name: '深圳店', businessHours: hours });
    await expect(provision(t.db, unknownRegion)).rejects.toThrow(/no region sz/);
    expect(await counts()).toEqual({ brand: 0, region: 0, store: 0, staff: 0, staffRegion: 0 });
  });

  it('creates the brand, and running the same file again changes nothing', async () => {
    const first = await provision(t.db, file());
    expect(first.created).toEqual([
      'brand lanzhou',
      'region bj',
      'region tj',
      'store BJ01',
      'store TJ01',
      'staff boss',
      'staff north',
      'staff bj01-mgr',
    ]);
    const store = await t.db.selectFrom('store').selectAll().where('code', '=', 'TJ01').executeTakeFirstOrThrow();
    expect(store).toMatchObject({ meituan_app_poi_code: 'mt-tj-01', eleme_open_id: 'TJ01', timezone: 'Asia/Shanghai' });
    expect(await verifyPassword('correct horse battery', (await staff('boss')).password_hash)).toBe(true);
    const before = await counts();
    expect(before).toEqual({ brand: 1, region: 2, store: 2, staff: 3, staffRegion: 2 });

    const again = await provision(t.db, file());
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('keeps a password unless told to reset it, and ends sessions when scope or password changes', async () => {
    const changed = file();
    const [boss, north] = changed.staff ?? [];
    if (!boss || !north) throw new Error('fixture');
    boss.password = 'a different password';
    north.regions = ['bj'];
    const report = await provision(t.db, changed);
    expect(report.updated).toEqual(['staff north']);
    expect(await verifyPassword('correct horse battery', (await staff('boss')).password_hash)).toBe(true);
    expect((await staff('north')).token_version).toBe(1);

    boss.resetPassword = true;
    await provision(t.db, changed);
    const after = await staff('boss');
    expect(await verifyPassword('a different password', after.password_hash)).toBe(true);
    expect(after.token_version).toBe(1);
  });

  it('refuses a platform identity another store holds, leaving both stores as they were', async () => {
    // BJ01 is not in this file, but it holds shopId 500001 in the database.
    const clash = file();
    const tj = clash.stores?.[1];
    if (!tj) throw new Error('fixture');
    tj.elemeShopId = '500001';
    clash.stores = [tj];
    await expect(provision(t.db, clash)).rejects.toThrow(/already store BJ01/);
    const row = await t.db.selectFrom('store').selectAll().where('code', '=', 'TJ01').executeTakeFirstOrThrow();
    expect(row.eleme_shop_id).toBeNull();
  });
});
