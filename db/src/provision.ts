import type { Kysely } from 'kysely';
import { BusinessHours, StaffRole } from 'shared-types';
import { z } from 'zod';
import { newId } from './ids';
import { hashPassword } from './password';
import type { Database } from './schema';

/**
 * Production set-up of a brand without the demo seed: `pnpm db:provision <file.json>` creates or
 * updates the brand, its regions, stores (with their Meituan and Ele.me identities) and staff from
 * one file an operator keeps with their deployment. Everything is checked before anything is
 * written, and it is written in one transaction; running the same file again changes nothing.
 * Rows are matched by code (brand, region, store) and username (staff); rows not in the file are
 * left alone. A staff password is set when the account is created, or when `resetPassword` is
 * true (which also signs that person out everywhere); otherwise it is never touched.
 */

const Code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and -, at most 64');

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone');

const Store = z
  .object({
    code: Code,
    region: Code,
    name: z.string().trim().min(1).max(100),
    address: z.string().trim().max(255).default(''),
    phone: z.string().trim().max(32).nullable().default(null),
    timezone: TimeZone.default('Asia/Shanghai'),
    businessHours: BusinessHours.min(1),
    lat: z.number().min(-90).max(90).nullable().default(null),
    lng: z.number().min(-180).max(180).nullable().default(null),
    /** Meituan ePoiId / app_poi_code; the store code unless given. */
    meituanPoiCode: z.string().trim().min(1).max(100).optional(),
    /** Ele.me shopId (digits, kept as text). */
    elemeShopId: z
      .string()
      .regex(/^\d{1,20}$/, 'digits only')
      .nullable()
      .default(null),
    /** Our store id as registered with Ele.me (openId); the store code unless given. */
    elemeOpenId: z.string().trim().min(1).max(64).optional(),
    status: z.enum(['active', 'closed']).default('active'),
  })
  .strict();

const Staff = z
  .object({
    username: Code,
    displayName: z.string().trim().min(1).max(100),
    role: StaffRole,
    store: Code.optional(),
    regions: z.array(Code).default([]),
    password: z.string().min(12, 'at least 12 characters').max(200).optional(),
    resetPassword: z.boolean().default(false),
    status: z.enum(['active', 'disabled']).default('active'),
  })
  .strict();

export const ProvisionFile = z
  .object({
    brand: z.object({ code: Code, name: z.string().trim().min(1).max(100) }).strict(),
    regions: z.array(z.object({ code: Code, name: z.string().trim().min(1).max(100) }).strict()).default([]),
    stores: z.array(Store).default([]),
    staff: z.array(Staff).default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    const dupes = (values: string[], path: string) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [path, i], message: `${v} appears twice` });
        seen.add(v);
      });
    };
    dupes(
      file.regions.map((r) => r.code),
      'regions',
    );
    dupes(
      file.stores.map((s) => s.code),
      'stores',
    );
    dupes(
      file.stores.map((s) => s.meituanPoiCode ?? s.code),
      'stores',
    );
    dupes(
      file.stores.flatMap((s) => (s.elemeShopId ? [s.elemeShopId] : [])),
      'stores',
    );
    dupes(
      file.staff.map((s) => s.username),
      'staff',
    );
    file.staff.forEach((s, i) => {
      const at = (message: string) => ctx.addIssue({ code: 'custom', path: ['staff', i], message });
      const storeRole = s.role === 'store_manager' || s.role === 'clerk';
      if (storeRole && !s.store) at(`a ${s.role} needs a store`);
      if (!storeRole && s.store) at(`a ${s.role} has no store`);
      if (s.role === 'region_manager' && s.regions.length === 0) at('a region_manager needs regions');
      if (s.role !== 'region_manager' && s.regions.length > 0) at(`a ${s.role} has no regions`);
      if (s.resetPassword && !s.password) at('resetPassword needs a password');
    });
  });
export type ProvisionFile = z.input<typeof ProvisionFile>;

export interface ProvisionReport {
  created: string[];
  updated: string[];
  unchanged: string[];
}

export class ProvisionError extends Error {}

export async function provision(db: Kysely<Database>, input: unknown, now = Date.now()): Promise<ProvisionReport> {
  const parsed = ProvisionFile.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new ProvisionError(`the provisioning file is invalid:\n${lines.join('\n')}`);
  }
  const file = parsed.data;
  // Hash outside the transaction: scrypt is slow on purpose.
  const hashes = new Map<string, string>();
  for (const s of file.staff) if (s.password) hashes.set(s.username, await hashPassword(s.password));

  const report: ProvisionReport = { created: [], updated: [], unchanged: [] };
  const note = (kind: keyof ProvisionReport, what: string) => report[kind].push(what);

  await db.transaction().execute(async (trx) => {
    const brand = await trx.selectFrom('brand').selectAll().where('code', '=', file.brand.code).executeTakeFirst();
    const brandId = brand?.id ?? newId(now);
    if (!brand) {
      await trx
        .insertInto('brand')
        .values({ id: brandId, code: file.brand.code, name: file.brand.name, created_at: now, updated_at: now })
        .execute();
      note('created', `brand ${file.brand.code}`);
    } else if (brand.name !== file.brand.name) {
      await trx
        .updateTable('brand')
        .set({ name: file.brand.name, updated_at: now })
        .where('id', '=', brandId)
        .execute();
      note('updated', `brand ${file.brand.code}`);
    } else note('unchanged', `brand ${file.brand.code}`);

    const regionIds = new Map<string, string>();
    for (const r of await trx.selectFrom('region').selectAll().where('brand_id', '=', brandId).execute()) {
      regionIds.set(r.code, r.id);
    }
    for (const r of file.regions) {
      const existing = await trx
        .selectFrom('region')
        .selectAll()
        .where('brand_id', '=', brandId)
        .where('code', '=', r.code)
        .executeTakeFirst();
      if (!existing) {
        const id = newId(now);
        await trx
          .insertInto('region')
          .values({ id, brand_id: brandId, code: r.code, name: r.name, created_at: now, updated_at: now })
          .execute();
        regionIds.set(r.code, id);
        note('created', `region ${r.code}`);
      } else if (existing.name !== r.name) {
        await trx.updateTable('region').set({ name: r.name, updated_at: now }).where('id', '=', existing.id).execute();
        note('updated', `region ${r.code}`);
      } else note('unchanged', `region ${r.code}`);
    }

    const storeIds = new Map<string, string>();
    for (const s of await trx.selectFrom('store').select(['id', 'code']).where('brand_id', '=', brandId).execute()) {
      storeIds.set(s.code, s.id);
    }
    for (const s of file.stores) {
      const regionId = regionIds.get(s.region);
      if (!regionId) throw new ProvisionError(`store ${s.code}: no region ${s.region} in this brand`);
      const values = {
        region_id: regionId,
        name: s.name,
        address: s.address,
        phone: s.phone,
        timezone: s.timezone,
        business_hours: JSON.stringify(s.businessHours),
        lat: s.lat,
        lng: s.lng,
        meituan_app_poi_code: s.meituanPoiCode ?? s.code,
        eleme_shop_id: s.elemeShopId,
        eleme_open_id: s.elemeOpenId ?? s.code,
        status: s.status,
      };
      const existing = await trx.selectFrom('store').selectAll().where('code', '=', s.code).executeTakeFirst();
      if (existing && existing.brand_id !== brandId) {
        throw new ProvisionError(`store ${s.code} belongs to another brand`);
      }
      await assertIdentityFree(trx, s.code, values);
      if (!existing) {
        const id = newId(now);
        await trx
          .insertInto('store')
          .values({ id, brand_id: brandId, code: s.code, ...values, created_at: now, updated_at: now })
          .execute();
        storeIds.set(s.code, id);
        note('created', `store ${s.code}`);
      } else if (Object.entries(values).some(([k, v]) => existing[k as keyof typeof existing] !== v)) {
        await trx
          .updateTable('store')
          .set({ ...values, updated_at: now })
          .where('id', '=', existing.id)
          .execute();
        note('updated', `store ${s.code}`);
      } else note('unchanged', `store ${s.code}`);
    }

    for (const s of file.staff) {
      const storeId = s.store ? storeIds.get(s.store) : null;
      if (s.store && !storeId) throw new ProvisionError(`staff ${s.username}: no store ${s.store} in this brand`);
      const regions = s.regions.map((code) => {
        const id = regionIds.get(code);
        if (!id) throw new ProvisionError(`staff ${s.username}: no region ${code} in this brand`);
        return id;
      });
      const existing = await trx.selectFrom('staff').selectAll().where('username', '=', s.username).executeTakeFirst();
      if (existing && existing.brand_id !== brandId) {
        throw new ProvisionError(`staff ${s.username} belongs to another brand`);
      }
      const hash = hashes.get(s.username);
      let staffId: string;
      let changed = false;
      if (!existing) {
        if (!hash) throw new ProvisionError(`staff ${s.username}: a new account needs a password`);
        staffId = newId(now);
        await trx
          .insertInto('staff')
          .values({
            id: staffId,
            brand_id: brandId,
            username: s.username,
            display_name: s.displayName,
            password_hash: hash,
            role: s.role,
            store_id: storeId ?? null,
            status: s.status,
            token_version: 0,
            last_login_at: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        note('created', `staff ${s.username}`);
      } else {
        staffId = existing.id;
        const scopeChanged =
          existing.role !== s.role || existing.store_id !== (storeId ?? null) || existing.status !== s.status;
        const reset = s.resetPassword && hash !== undefined;
        if (scopeChanged || reset || existing.display_name !== s.displayName) {
          await trx
            .updateTable('staff')
            .set({
              display_name: s.displayName,
              role: s.role,
              store_id: storeId ?? null,
              status: s.status,
              ...(reset ? { password_hash: hash } : {}),
              // A narrower role, another store, a disabled account or a new password ends every session.
              ...(scopeChanged || reset ? { token_version: existing.token_version + 1 } : {}),
              updated_at: now,
            })
            .where('id', '=', staffId)
            .execute();
          changed = true;
        }
      }
      const had = (await trx.selectFrom('staff_region').select('region_id').where('staff_id', '=', staffId).execute())
        .map((r) => r.region_id)
        .sort();
      const want = [...new Set(regions)].sort();
      if (had.join() !== want.join()) {
        await trx.deleteFrom('staff_region').where('staff_id', '=', staffId).execute();
        if (want.length > 0) {
          await trx
            .insertInto('staff_region')
            .values(want.map((region_id) => ({ staff_id: staffId, region_id })))
            .execute();
        }
        if (existing && !changed) {
          await trx
            .updateTable('staff')
            .set({ token_version: existing.token_version + 1, updated_at: now })
            .where('id', '=', staffId)
            .execute();
        }
        changed = true;
      }
      if (existing) note(changed ? 'updated' : 'unchanged', `staff ${s.username}`);
    }
  });
  return report;
}

/** A platform identity already held by another store would make pushes land in the wrong store. */
async function assertIdentityFree(
  trx: Kysely<Database>,
  code: string,
  values: { meituan_app_poi_code: string; eleme_shop_id: string | null; eleme_open_id: string },
): Promise<void> {
  const clashes = await trx
    .selectFrom('store')
    .select(['code', 'meituan_app_poi_code', 'eleme_shop_id', 'eleme_open_id'])
    .where('code', '!=', code)
    .where((eb) =>
      eb.or([
        eb('meituan_app_poi_code', '=', values.meituan_app_poi_code),
        eb('eleme_open_id', '=', values.eleme_open_id),
        ...(values.eleme_shop_id ? [eb('eleme_shop_id', '=', values.eleme_shop_id)] : []),
      ]),
    )
    .execute();
  const clash = clashes[0];
  if (clash) throw new ProvisionError(`store ${code}: a platform identity is already store ${clash.code}'s`);
}
