import { type Database, newId } from 'db';
import type { Kysely } from 'kysely';
import type { MenuTemplateSet, MenuTemplateView, StoreMenuMode, StoreMenuView } from 'shared-types';
import type { Clock } from '../../../lib/clock';
import { AppError, errors } from '../../../lib/errors';
import type { StaffPrincipal } from '../../../lib/principal';
import type { StoreService } from '../../stores/service';
import type { MenuVersions } from '../menu-versions';
import { StoreMenuRepo } from './repo-store-menus';

/**
 * Which products each store carries. HQ lists products at stores (directly or by pushing a menu
 * template to every store or a region: `store_product.listed`); a store hides products itself
 * (`store_product.hidden`) as far as its menu mode allows: `hq` — not at all; `mixed` — anything
 * its template does not mark required; `store` — anything.
 */
export class StoreMenuService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly versions: MenuVersions,
    private readonly stores: StoreService,
  ) {}

  /** The store, refused unless it belongs to the caller's brand. */
  async storeOf(brandId: string, storeId: string) {
    const store = await this.stores.find(storeId);
    if (store?.brand_id !== brandId) throw errors.notFound('store');
    return store;
  }

  async menu(brandId: string, storeId: string): Promise<StoreMenuView> {
    await this.storeOf(brandId, storeId);
    const repo = new StoreMenuRepo(this.db);
    const [mode, products, rows, required, template] = await Promise.all([
      repo.mode(storeId),
      repo.activeProducts(brandId),
      repo.storeProducts(storeId),
      repo.requiredProducts(storeId),
      repo.storeTemplate(storeId),
    ]);
    const byProduct = new Map(rows.map((r) => [r.product_id, r]));
    return {
      storeId,
      mode,
      templateId: template?.template_id ?? null,
      products: products.map((p) => {
        const row = byProduct.get(p.id);
        const isRequired = required.has(p.id);
        return {
          productId: p.id,
          code: p.code,
          name: p.name,
          categoryId: p.category_id,
          listed: row?.listed === 1,
          hidden: row?.hidden === 1,
          required: isRequired,
          storeMayHide: mode === 'store' || (mode === 'mixed' && !isRequired),
        };
      }),
    };
  }

  async setMode(brandId: string, storeId: string, mode: StoreMenuMode): Promise<StoreMenuView> {
    await this.storeOf(brandId, storeId);
    await new StoreMenuRepo(this.db).setMode(storeId, mode, this.clock.now());
    return this.menu(brandId, storeId);
  }

  /**
   * Lists or hides one product at a store. Listing is HQ's; hiding is the store's within its mode
   * (HQ may always). Refused with 403 MENU_MODE_FORBIDS when the mode does not allow it.
   */
  async setProductState(
    staff: StaffPrincipal,
    storeId: string,
    productId: string,
    change: { listed?: boolean; hidden?: boolean },
  ): Promise<StoreMenuView> {
    await this.storeOf(staff.brandId, storeId);
    const repo = new StoreMenuRepo(this.db);
    const product = (await repo.activeProducts(staff.brandId)).find((p) => p.id === productId);
    if (!product) throw errors.notFound('product');
    const hq = staff.role === 'hq_admin';
    if (change.listed !== undefined && !hq) {
      throw new AppError('FORBIDDEN', 403, 'listing products at stores is HQ’s; a store may only hide or show them');
    }
    if (change.hidden !== undefined && !hq) {
      const mode = await repo.mode(storeId);
      if (mode === 'hq') {
        throw new AppError('MENU_MODE_FORBIDS', 403, 'this store’s menu is managed by HQ; it cannot hide products');
      }
      if (mode === 'mixed' && (await repo.requiredProducts(storeId)).has(productId)) {
        throw new AppError(
          'MENU_MODE_FORBIDS',
          403,
          `${product.name} is required by HQ’s menu template for this store`,
        );
      }
    }
    const current = await repo.storeProduct(storeId, productId);
    const listed = change.listed ?? current?.listed === 1;
    const hidden = change.hidden ?? current?.hidden === 1;
    if (!current && !listed && change.hidden !== undefined) {
      throw new AppError('MENU_MODE_FORBIDS', 403, 'this product is not on the store’s menu');
    }
    await repo.setStoreProduct({
      store_id: storeId,
      product_id: productId,
      listed: listed ? 1 : 0,
      hidden: hidden ? 1 : 0,
      updated_by: staff.id,
      updated_at: this.clock.now(),
    });
    await this.versions.bumpStores([storeId]);
    return this.menu(staff.brandId, storeId);
  }

  async templates(brandId: string): Promise<MenuTemplateView[]> {
    const repo = new StoreMenuRepo(this.db);
    const templates = await repo.templates(brandId);
    const products = await repo.templateProducts(templates.map((t) => t.id));
    return templates.map((t) => ({
      id: t.id,
      code: t.code,
      name: t.name,
      products: products
        .filter((p) => p.template_id === t.id)
        .map((p) => ({ productId: p.product_id, required: p.required === 1 })),
    }));
  }

  async saveTemplate(brandId: string, input: MenuTemplateSet, id?: string): Promise<MenuTemplateView> {
    const now = this.clock.now();
    const templateId = await this.db.transaction().execute(async (trx) => {
      const repo = new StoreMenuRepo(trx);
      const existing = id ? await repo.template(brandId, id) : undefined;
      if (id && !existing) throw errors.notFound('menu template');
      const sameCode = await repo.templateByCode(brandId, input.code);
      if (sameCode && sameCode.id !== id)
        throw new AppError('CODE_TAKEN', 409, `template code ${input.code} is already used`);
      const active = new Set((await repo.activeProducts(brandId)).map((p) => p.id));
      const unknown = input.products.filter((p) => !active.has(p.productId)).map((p) => p.productId);
      if (unknown.length || new Set(input.products.map((p) => p.productId)).size !== input.products.length) {
        throw errors.unprocessable('UNKNOWN_PRODUCT', 'a template product is unknown, archived or listed twice', {
          unknown,
        });
      }
      const rowId = existing?.id ?? newId(now);
      await repo.saveTemplate(
        {
          id: rowId,
          brand_id: brandId,
          code: input.code,
          name: input.name,
          created_at: existing?.created_at ?? now,
          updated_at: now,
        },
        input.products,
      );
      return rowId;
    });
    return (await this.templates(brandId)).find((t) => t.id === templateId) as MenuTemplateView;
  }

  /** Pushes a template to every store of the brand, a region's stores, or the stores named. */
  async pushTemplate(
    brandId: string,
    templateId: string,
    target: { regionId?: string; storeIds?: string[] },
    by: string,
  ): Promise<string[]> {
    const all = await this.stores.listInScope(brandId, 'all');
    let storeIds: string[];
    if (target.storeIds) {
      const unknown = target.storeIds.filter((id) => !all.some((s) => s.id === id));
      if (unknown.length) throw errors.unprocessable('UNKNOWN_STORE', 'a store is not part of this brand', { unknown });
      storeIds = target.storeIds;
    } else if (target.regionId) {
      storeIds = all.filter((s) => s.regionId === target.regionId).map((s) => s.id);
      if (storeIds.length === 0) throw errors.unprocessable('UNKNOWN_STORE', 'this region has no stores of this brand');
    } else {
      storeIds = all.map((s) => s.id);
    }
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = new StoreMenuRepo(trx);
      if (!(await repo.template(brandId, templateId))) throw errors.notFound('menu template');
      const productIds = (await repo.templateProducts([templateId])).map((p) => p.product_id);
      for (const storeId of storeIds) {
        await repo.listExactly(storeId, productIds, by, now);
        await repo.setStoreTemplate(storeId, templateId, by, now);
      }
    });
    await this.versions.bumpStores(storeIds);
    return storeIds;
  }
}
