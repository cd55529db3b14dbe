import type { Kysely } from 'kysely';
import type { BusinessHours } from 'shared-types';
import { hashPassword } from '../password';
import type { Database } from '../schema';
import { insertIfAbsent, upsert } from '../sql-helpers';
import { seedId } from './seed-id';

export const DEMO_PASSWORD = 'heyi-demo';

export const demoBrand = { code: 'heyi-demo', name: '合一小馆' } as const;

export const demoRegions = [
  { code: 'sh', name: '上海' },
  { code: 'hz', name: '杭州' },
] as const;

const allWeek: BusinessHours = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '10:00', close: '22:00' }];

export const demoStores = [
  {
    code: 'SH001',
    region: 'sh',
    name: '合一小馆（人民广场店）',
    address: '上海市黄浦区南京西路 123 号',
    phone: '021-63500001',
    lat: 31.2337,
    lng: 121.4757,
    elemeShopId: '100001',
  },
  {
    code: 'SH002',
    region: 'sh',
    name: '合一小馆（静安寺店）',
    address: '上海市静安区南京西路 1788 号',
    phone: '021-62880002',
    lat: 31.2236,
    lng: 121.4453,
    elemeShopId: '100002',
  },
  {
    code: 'HZ001',
    region: 'hz',
    name: '合一小馆（西湖店）',
    address: '杭州市上城区延安路 98 号',
    phone: '0571-87000001',
    lat: 30.2571,
    lng: 120.1632,
    elemeShopId: '100003',
  },
  {
    code: 'HZ002',
    region: 'hz',
    name: '合一小馆（滨江店）',
    address: '杭州市滨江区江南大道 3850 号',
    phone: '0571-87000002',
    lat: 30.2084,
    lng: 120.2107,
    elemeShopId: '100004',
  },
] as const;

export const demoStaff = [
  { username: 'hq', displayName: '总部管理员', role: 'hq_admin', regions: [], store: null },
  { username: 'rm-sh', displayName: '上海区域经理', role: 'region_manager', regions: ['sh'], store: null },
  { username: 'sm-sh001', displayName: '人民广场店店长', role: 'store_manager', regions: [], store: 'SH001' },
  { username: 'clerk-sh001', displayName: '人民广场店店员', role: 'clerk', regions: [], store: 'SH001' },
] as const;

export const demoIds = {
  brand: seedId('brand', demoBrand.code),
  region: (code: string) => seedId('region', code),
  store: (code: string) => seedId('store', code),
  staff: (username: string) => seedId('staff', username),
};

/** Brand, regions, stores and staff of the demo brand. Safe to run again: rows are upserted by id. */
export async function seedDemoCore(db: Kysely<Database>, now = Date.now()): Promise<void> {
  await upsert(
    db,
    'brand',
    { id: demoIds.brand, code: demoBrand.code, name: demoBrand.name, created_at: now, updated_at: now },
    ['id'],
    ['name', 'updated_at'],
  );
  await upsert(
    db,
    'region',
    demoRegions.map((r) => ({
      id: demoIds.region(r.code),
      brand_id: demoIds.brand,
      code: r.code,
      name: r.name,
      created_at: now,
      updated_at: now,
    })),
    ['id'],
    ['name', 'updated_at'],
  );
  await upsert(
    db,
    'store',
    demoStores.map((s) => ({
      id: demoIds.store(s.code),
      brand_id: demoIds.brand,
      region_id: demoIds.region(s.region),
      code: s.code,
      name: s.name,
      address: s.address,
      phone: s.phone,
      timezone: 'Asia/Shanghai',
      business_hours: JSON.stringify(allWeek),
      // SH001 takes orders for pickup up to two days ahead (预约自取); the others only while open.
      preorder_days: s.code === 'SH001' ? 2 : 0,
      lat: s.lat,
      lng: s.lng,
      meituan_app_poi_code: s.code,
      eleme_shop_id: s.elemeShopId,
      eleme_open_id: s.code,
      status: 'active',
      created_at: now,
      updated_at: now,
    })),
    ['id'],
    [
      'name',
      'address',
      'phone',
      'business_hours',
      'preorder_days',
      'lat',
      'lng',
      'meituan_app_poi_code',
      'eleme_shop_id',
      'eleme_open_id',
      'updated_at',
    ],
  );
  for (const s of demoStaff) {
    const id = demoIds.staff(s.username);
    // The password is set only when the account is created: re-seeding never resets one.
    await insertIfAbsent(
      db,
      'staff',
      {
        id,
        brand_id: demoIds.brand,
        username: s.username,
        display_name: s.displayName,
        password_hash: await hashPassword(DEMO_PASSWORD),
        role: s.role,
        store_id: s.store ? demoIds.store(s.store) : null,
        status: 'active',
        token_version: 0,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      },
      ['id'],
    );
    for (const region of s.regions) {
      await insertIfAbsent(db, 'staff_region', { staff_id: id, region_id: demoIds.region(region) }, [
        'staff_id',
        'region_id',
      ]);
    }
  }
}
