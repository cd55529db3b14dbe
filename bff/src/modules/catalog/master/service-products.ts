import { type Database, newId } from 'db';
import type { Kysely } from 'kysely';
import type { ProductCreate, ProductSpecsSet, ProductUpdate, ProductView, SkuUpdate } from 'shared-types';
import type { Clock } from '../../../lib/clock';
import { AppError, errors } from '../../../lib/errors';
import type { MenuVersions } from '../menu-versions';
import { duplicateError } from './db-errors';
import { AddonRepo } from './repo-addons';
import { CatalogMasterRepo, type ProductRow, type SkuRowFull } from './repo-master';
import { generateSkus } from './sku-generator';

/**
 * The master menu's products, spec groups and SKUs. Every write runs in one
 * transaction and is refused whole (nothing written) on any error; a successful one bumps the
 * brand's menu version so member menus rebuild.
 */
export class CatalogProductService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly versions: MenuVersions,
  ) {}

  private async write<T>(
    brandId: string,
    work: (repo: CatalogMasterRepo, addons: AddonRepo) => Promise<T>,
  ): Promise<T> {
    let result: T;
    try {
      result = await this.db.transaction().execute((trx) => work(new CatalogMasterRepo(trx), new AddonRepo(trx)));
    } catch (err) {
      throw duplicateError(err) ?? err;
    }
    await this.versions.bumpBrand(brandId);
    return result;
  }

  async listProducts(brandId: string, filter: { categoryId?: string; status?: string }): Promise<ProductView[]> {
    const repo = new CatalogMasterRepo(this.db);
    return this.views(repo, new AddonRepo(this.db), await repo.listProducts(brandId, filter));
  }

  async product(brandId: string, id: string): Promise<ProductView> {
    const repo = new CatalogMasterRepo(this.db);
    const row = await repo.productById(brandId, id);
    if (!row) throw errors.notFound('product');
    return (await this.views(repo, new AddonRepo(this.db), [row]))[0] as ProductView;
  }

  async createProduct(brandId: string, input: ProductCreate): Promise<ProductView> {
    const now = this.clock.now();
    const id = newId(now);
    await this.write(brandId, async (repo, addons) => {
      const category = await repo.categoryById(brandId, input.categoryId);
      if (category?.status !== 'active')
        throw errors.unprocessable('UNKNOWN_CATEGORY', 'no active category with this id');
      if (await repo.productByCode(brandId, input.code)) {
        throw new AppError('CODE_TAKEN', 409, `product code ${input.code} is already used`);
      }
      await this.checkAddonGroups(addons, brandId, input.addonGroupIds);
      await repo.insertProduct({
        id,
        brand_id: brandId,
        category_id: input.categoryId,
        code: input.code,
        name: input.name,
        description: input.description,
        image_url: input.imageUrl,
        tags: JSON.stringify(input.tags),
        unit: input.unit,
        sort_order: input.sortOrder,
        availability: input.availability ? JSON.stringify(input.availability) : null,
        status: 'active',
        created_at: now,
        updated_at: now,
      });
      await this.applySpecs(repo, brandId, id, input.code, input, now);
      await addons.setProductGroups(id, input.addonGroupIds);
    });
    return this.product(brandId, id);
  }

  async updateProduct(brandId: string, id: string, input: ProductUpdate): Promise<ProductView> {
    await this.write(brandId, async (repo) => {
      if (!(await repo.productById(brandId, id))) throw errors.notFound('product');
      if (input.categoryId) {
        const category = await repo.categoryById(brandId, input.categoryId);
        if (category?.status !== 'active')
          throw errors.unprocessable('UNKNOWN_CATEGORY', 'no active category with this id');
      }
      await repo.updateProduct(id, {
        ...(input.categoryId !== undefined ? { category_id: input.categoryId } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.imageUrl !== undefined ? { image_url: input.imageUrl } : {}),
        ...(input.tags !== undefined ? { tags: JSON.stringify(input.tags) } : {}),
        ...(input.unit !== undefined ? { unit: input.unit } : {}),
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
        ...(input.availability !== undefined
          ? { availability: input.availability ? JSON.stringify(input.availability) : null }
          : {}),
        updated_at: this.clock.now(),
      });
    });
    return this.product(brandId, id);
  }

  async archiveProduct(brandId: string, id: string): Promise<ProductView> {
    await this.write(brandId, async (repo) => {
      if (!(await repo.productById(brandId, id))) throw errors.notFound('product');
      await repo.updateProduct(id, { status: 'archived', updated_at: this.clock.now() });
    });
    return this.product(brandId, id);
  }

  /** Replaces the product's spec groups and regenerates its SKUs (SKUs no longer generated are archived). */
  async setSpecs(brandId: string, productId: string, input: ProductSpecsSet): Promise<ProductView> {
    await this.write(brandId, async (repo) => {
      const product = await repo.productById(brandId, productId);
      if (!product) throw errors.notFound('product');
      await this.applySpecs(repo, brandId, productId, product.code, input, this.clock.now());
    });
    return this.product(brandId, productId);
  }

  async updateSku(brandId: string, skuId: string, input: SkuUpdate): Promise<ProductView> {
    const productId = await this.write(brandId, async (repo) => {
      const sku = await repo.skuById(brandId, skuId);
      if (!sku) throw errors.notFound('SKU');
      if (input.code && input.code !== sku.code) {
        const taken = await repo.skusByCodes(brandId, [input.code]);
        if (taken.length) {
          throw new AppError('SKU_CODE_TAKEN', 409, `SKU code ${input.code} is already used`, { codes: [input.code] });
        }
      }
      await repo.updateSku(skuId, {
        ...(input.code !== undefined ? { code: input.code } : {}),
        ...(input.basePrice !== undefined ? { base_price: input.basePrice } : {}),
        ...(input.cost !== undefined ? { cost: input.cost } : {}),
        ...(input.packagingFee !== undefined ? { packaging_fee: input.packagingFee } : {}),
        ...(input.boxCount !== undefined ? { box_count: input.boxCount } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        updated_at: this.clock.now(),
      });
      return sku.product_id;
    });
    return this.product(brandId, productId);
  }

  private async checkAddonGroups(addons: AddonRepo, brandId: string, ids: string[]): Promise<void> {
    const found = await addons.groupsByIds(brandId, ids);
    const missing = ids.filter((id) => !found.some((g) => g.id === id));
    if (missing.length || new Set(ids).size !== ids.length) {
      throw errors.unprocessable('UNKNOWN_ADDON_GROUP', 'an add-on group is unknown or listed twice', { missing });
    }
  }

  private async applySpecs(
    repo: CatalogMasterRepo,
    brandId: string,
    productId: string,
    productCode: string,
    input: ProductSpecsSet,
    now: number,
  ): Promise<void> {
    const generated = generateSkus(productCode, input, input.specGroups, input.skus);
    const taken = (
      await repo.skusByCodes(
        brandId,
        generated.map((s) => s.code),
      )
    ).filter((s) => s.product_id !== productId);
    if (taken.length) {
      const codes = taken.map((s) => s.code);
      throw new AppError('SKU_CODE_TAKEN', 409, `SKU code ${codes.join(', ')} is already used by another product`, {
        codes,
      });
    }
    const optionIds = await repo.replaceSpecGroups(
      productId,
      input.specGroups.map((g) => ({ name: g.name, options: g.options.map((o) => o.name) })),
      now,
    );
    const existing = new Map((await repo.skusOfProducts([productId])).map((s) => [s.code, s]));
    const inserts = [];
    for (const s of generated) {
      const ids = s.options.map((o, i) => optionIds.get(`${input.specGroups[i]?.name}\u0000${o}`));
      const fields = {
        spec_text: s.specText,
        option_ids: JSON.stringify(ids),
        base_price: s.basePrice,
        cost: s.cost,
        packaging_fee: s.packagingFee,
        box_count: s.boxCount,
        sort_order: s.sortOrder,
        status: 'active' as const,
        updated_at: now,
      };
      const current = existing.get(s.code);
      if (current) {
        await repo.updateSku(current.id, fields);
        existing.delete(s.code);
      } else {
        inserts.push({
          id: newId(now),
          brand_id: brandId,
          product_id: productId,
          code: s.code,
          created_at: now,
          ...fields,
        });
      }
    }
    await repo.insertSkus(inserts);
    await repo.archiveSkus(
      [...existing.values()].filter((s) => s.status === 'active').map((s) => s.id),
      now,
    );
  }

  private async views(repo: CatalogMasterRepo, addons: AddonRepo, rows: ProductRow[]): Promise<ProductView[]> {
    const ids = rows.map((r) => r.id);
    const [groups, skus, addonIds] = await Promise.all([
      repo.specGroupsOf(ids),
      repo.skusOfProducts(ids),
      addons.groupIdsOfProducts(ids),
    ]);
    return rows.map((p) => ({
      id: p.id,
      code: p.code,
      categoryId: p.category_id,
      name: p.name,
      description: p.description,
      imageUrl: p.image_url,
      tags: JSON.parse(p.tags) as string[],
      unit: p.unit,
      sortOrder: p.sort_order,
      availability: p.availability ? JSON.parse(p.availability) : null,
      status: p.status,
      specGroups: groups
        .filter((g) => g.productId === p.id)
        .map((g) => ({ id: g.id, name: g.name, options: g.options.map((o) => o.name) })),
      skus: skus.filter((s) => s.product_id === p.id).map(toSkuView),
      addonGroupIds: addonIds.get(p.id) ?? [],
    }));
  }
}

function toSkuView(s: SkuRowFull) {
  return {
    id: s.id,
    code: s.code,
    specText: s.spec_text,
    options: s.spec_text ? s.spec_text.split('/') : [],
    basePrice: Number(s.base_price),
    cost: Number(s.cost),
    packagingFee: Number(s.packaging_fee),
    boxCount: s.box_count,
    status: s.status,
  };
}
