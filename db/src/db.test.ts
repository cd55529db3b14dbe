import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from './connect';
import { verifyPassword } from './password';
import { DEMO_PASSWORD, demoIds, SeedRefusedError, seedDemo } from './seed';
import { affected, insertIfAbsent, upsert } from './sql-helpers';
import { storageTargets, type TestDatabase } from './testing';

describe('DATABASE_URL', () => {
  it('selects MySQL for mysql:// and mariadb:// URLs', () => {
    expect(parseDatabaseUrl('mysql://root@127.0.0.1:3306/heyi')).toEqual({
      dialect: 'mysql',
      url: 'mysql://root@127.0.0.1:3306/heyi',
    });
    expect(parseDatabaseUrl('mariadb://u:p@h/db').dialect).toBe('mysql');
  });

  it('selects SQLite for a path, a file: URL, or nothing', () => {
    expect(parseDatabaseUrl('/tmp/x.db')).toEqual({ dialect: 'sqlite', file: '/tmp/x.db' });
    expect(parseDatabaseUrl('file:///tmp/y.db')).toEqual({ dialect: 'sqlite', file: '/tmp/y.db' });
    expect(parseDatabaseUrl(undefined)).toMatchObject({ dialect: 'sqlite' });
    expect((parseDatabaseUrl('') as { file: string }).file).toMatch(/\.data\/heyi\.db$/);
  });

  it('refuses other schemes instead of treating them as file names', () => {
    expect(() => parseDatabaseUrl('postgres://u:secret@h/db')).toThrow(/mysql:\/\//);
    expect(() => parseDatabaseUrl('postgres://u:secret@h/db')).not.toThrow(/secret/);
  });
});

describe.each(storageTargets())('storage on $dialect', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('seeds the demo brand with its fixed identities, and seeding again changes nothing', async () => {
    await seedDemo(t.db, {});
    await seedDemo(t.db, {});
    const stores = await t.db.selectFrom('store').selectAll().orderBy('code').execute();
    expect(stores.map((s) => [s.code, s.meituan_app_poi_code, s.eleme_shop_id])).toEqual([
      ['HZ001', 'HZ001', '100003'],
      ['HZ002', 'HZ002', '100004'],
      ['SH001', 'SH001', '100001'],
      ['SH002', 'SH002', '100002'],
    ]);
    expect(stores.find((s) => s.code === 'SH001')?.id).toBe(demoIds.store('SH001'));
    const regions = await t.db.selectFrom('region').select(['code', 'name']).orderBy('code').execute();
    expect(regions).toEqual([
      { code: 'hz', name: '杭州' },
      { code: 'sh', name: '上海' },
    ]);
    const staff = await t.db
      .selectFrom('staff')
      .select(['username', 'role', 'store_id', 'password_hash'])
      .orderBy('username')
      .execute();
    expect(staff.map((s) => [s.username, s.role])).toEqual([
      ['clerk-sh001', 'clerk'],
      ['hq', 'hq_admin'],
      ['rm-sh', 'region_manager'],
      ['sm-sh001', 'store_manager'],
    ]);
    for (const s of staff) expect(await verifyPassword(DEMO_PASSWORD, s.password_hash)).toBe(true);
    const rm = await t.db.selectFrom('staff_region').selectAll().execute();
    expect(rm).toEqual([{ staff_id: demoIds.staff('rm-sh'), region_id: demoIds.region('sh') }]);
  });

  it('seeds a realistic master menu that every demo store carries', async () => {
    const count = async (table: 'product' | 'sku' | 'category' | 'addon_option' | 'store_product') =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('category')).toBe(7);
    expect(await count('product')).toBe(60);
    expect(await count('store_product')).toBe(240);
    const beef = await t.db
      .selectFrom('sku')
      .innerJoin('product', 'product.id', 'sku.product_id')
      .select(['sku.code', 'sku.spec_text', 'sku.base_price', 'sku.packaging_fee'])
      .where('product.code', '=', 'N001')
      .orderBy('sku.code')
      .execute();
    expect(beef).toEqual([
      { code: 'N001-L', spec_text: '大碗', base_price: 3200, packaging_fee: 100 },
      { code: 'N001-S', spec_text: '小碗', base_price: 2800, packaging_fee: 100 },
    ]);
    const tea = await t.db
      .selectFrom('sku')
      .select('spec_text')
      .where('code', 'like', 'D002-%')
      .orderBy('sort_order')
      .execute();
    expect(tea.map((r) => r.spec_text)).toEqual(['冰/中杯', '冰/大杯', '热/中杯', '热/大杯']);
    expect(await count('sku')).toBeGreaterThan(90);
  });

  it('refuses to seed demo logins in production', async () => {
    await expect(seedDemo(t.db, { NODE_ENV: 'production' })).rejects.toBeInstanceOf(SeedRefusedError);
  });

  it('upserts by key and reports whether an insert-if-absent inserted', async () => {
    const row = { id: 'B1', code: 'b1', name: 'first', created_at: 1, updated_at: 1 };
    expect(await insertIfAbsent(t.db, 'brand', row, ['id'])).toBe(true);
    expect(await insertIfAbsent(t.db, 'brand', { ...row, name: 'second' }, ['id'])).toBe(false);
    expect((await t.db.selectFrom('brand').select('name').where('id', '=', 'B1').executeTakeFirst())?.name).toBe(
      'first',
    );
    await upsert(t.db, 'brand', { ...row, name: 'third', updated_at: 2 }, ['id'], ['name', 'updated_at']);
    expect(
      await t.db.selectFrom('brand').select(['name', 'updated_at']).where('id', '=', 'B1').executeTakeFirst(),
    ).toEqual({
      name: 'third',
      updated_at: 2,
    });
  });

  it('compares codes exactly, as SQLite does, so a1 and A1 are different', async () => {
    await insertIfAbsent(t.db, 'brand', { id: 'C1', code: 'case', name: 'x', created_at: 1, updated_at: 1 }, ['id']);
    expect(
      await insertIfAbsent(t.db, 'brand', { id: 'C2', code: 'CASE', name: 'y', created_at: 1, updated_at: 1 }, ['id']),
    ).toBe(true);
    const found = await t.db.selectFrom('brand').select('id').where('code', '=', 'CASE').execute();
    expect(found).toEqual([{ id: 'C2' }]);
  });

  it('keeps Chinese text and large money amounts intact', async () => {
    await t.db.updateTable('brand').set({ name: '合一小馆 🍜' }).where('id', '=', 'C1').execute();
    const name = await t.db.selectFrom('brand').select('name').where('id', '=', 'C1').executeTakeFirstOrThrow();
    expect(name.name).toBe('合一小馆 🍜');
    const big = await sql<{ v: number }>`SELECT ${sql.lit(9007199254740991)} + 0 AS v`.execute(t.db);
    expect(Number(big.rows[0]?.v)).toBe(9007199254740991);
  });

  it('counts a conditional update that matched nothing as zero rows', async () => {
    const result = await t.db.updateTable('brand').set({ updated_at: 5 }).where('id', '=', 'nope').executeTakeFirst();
    expect(affected(result)).toBe(0);
  });
});
