import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { AvailabilityWindow, Channel } from 'shared-types';
import type { MasterAddonGroup, MasterMenu, MasterProduct, MasterSku, StoreCarry } from './effective-menu';
import type { ChannelRule } from './pricing';

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Reads the active master menu and one store's carry. Catalog tables only; a handful of queries per call. */
export class MenuReadRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async loadMaster(brandId: string): Promise<MasterMenu> {
    const [categories, products, groups, options, skus, addonLinks, addonOptions, rules] = await Promise.all([
      this.db
        .selectFrom('category')
        .selectAll()
        .where('brand_id', '=', brandId)
        .where('status', '=', 'active')
        .orderBy('sort_order')
        .orderBy('code')
        .execute(),
      this.db
        .selectFrom('product')
        .selectAll()
        .where('brand_id', '=', brandId)
        .where('status', '=', 'active')
        .orderBy('sort_order')
        .orderBy('code')
        .execute(),
      this.db
        .selectFrom('spec_group')
        .innerJoin('product', 'product.id', 'spec_group.product_id')
        .select(['spec_group.id', 'spec_group.product_id', 'spec_group.name'])
        .where('product.brand_id', '=', brandId)
        .orderBy('spec_group.sort_order')
        .execute(),
      this.db
        .selectFrom('spec_option')
        .innerJoin('spec_group', 'spec_group.id', 'spec_option.group_id')
        .innerJoin('product', 'product.id', 'spec_group.product_id')
        .select(['spec_option.id', 'spec_option.group_id', 'spec_option.name'])
        .where('product.brand_id', '=', brandId)
        .orderBy('spec_option.sort_order')
        .execute(),
      this.db
        .selectFrom('sku')
        .selectAll()
        .where('brand_id', '=', brandId)
        .where('status', '=', 'active')
        .orderBy('sort_order')
        .orderBy('code')
        .execute(),
      this.db
        .selectFrom('product_addon_group')
        .innerJoin('addon_group', 'addon_group.id', 'product_addon_group.group_id')
        .select([
          'product_addon_group.product_id as productId',
          'addon_group.id as id',
          'addon_group.code as code',
          'addon_group.name as name',
          'addon_group.min_choices as minChoices',
          'addon_group.max_choices as maxChoices',
        ])
        .where('addon_group.brand_id', '=', brandId)
        .where('addon_group.status', '=', 'active')
        .orderBy('product_addon_group.sort_order')
        .execute(),
      this.db
        .selectFrom('addon_option')
        .select(['id', 'group_id', 'code', 'name', 'price'])
        .where('brand_id', '=', brandId)
        .where('status', '=', 'active')
        .orderBy('sort_order')
        .execute(),
      this.db
        .selectFrom('channel_price_rule')
        .select(['channel', 'target', 'kind', 'value'])
        .where('brand_id', '=', brandId)
        .execute(),
    ]);

    const optionsByGroup = new Map<string, string[]>();
    for (const o of options) optionsByGroup.set(o.group_id, [...(optionsByGroup.get(o.group_id) ?? []), o.name]);
    const groupsByProduct = new Map<string, { name: string; options: string[] }[]>();
    for (const g of groups) {
      const list = groupsByProduct.get(g.product_id) ?? [];
      list.push({ name: g.name, options: optionsByGroup.get(g.id) ?? [] });
      groupsByProduct.set(g.product_id, list);
    }
    const addonOptionsByGroup = new Map<string, MasterAddonGroup['options']>();
    for (const o of addonOptions) {
      const list = addonOptionsByGroup.get(o.group_id) ?? [];
      list.push({ id: o.id, code: o.code, name: o.name, price: Number(o.price) });
      addonOptionsByGroup.set(o.group_id, list);
    }
    const addonsByProduct = new Map<string, MasterAddonGroup[]>();
    for (const a of addonLinks) {
      const opts = addonOptionsByGroup.get(a.id) ?? [];
      if (opts.length === 0) continue;
      const list = addonsByProduct.get(a.productId) ?? [];
      list.push({
        id: a.id,
        code: a.code,
        name: a.name,
        minChoices: a.minChoices,
        maxChoices: a.maxChoices,
        options: opts,
      });
      addonsByProduct.set(a.productId, list);
    }
    const skusByProduct = new Map<string, MasterSku[]>();
    for (const s of skus) {
      const list = skusByProduct.get(s.product_id) ?? [];
      list.push({
        id: s.id,
        code: s.code,
        specText: s.spec_text,
        options: s.spec_text ? s.spec_text.split('/') : [],
        basePrice: Number(s.base_price),
        cost: Number(s.cost),
        packagingFee: Number(s.packaging_fee),
        boxCount: s.box_count,
        sortOrder: s.sort_order,
      });
      skusByProduct.set(s.product_id, list);
    }
    const activeCategories = new Set(categories.map((c) => c.id));
    const masterProducts: MasterProduct[] = products
      .filter((p) => activeCategories.has(p.category_id))
      .map((p) => ({
        id: p.id,
        code: p.code,
        categoryId: p.category_id,
        name: p.name,
        description: p.description,
        imageUrl: p.image_url,
        tags: parseJson<string[]>(p.tags, []),
        unit: p.unit,
        sortOrder: p.sort_order,
        availability: parseJson<AvailabilityWindow[] | null>(p.availability, null),
        specGroups: groupsByProduct.get(p.id) ?? [],
        skus: skusByProduct.get(p.id) ?? [],
        addonGroups: addonsByProduct.get(p.id) ?? [],
      }));
    const ruleMap = new Map<Channel, ChannelRule[]>();
    for (const r of rules) {
      ruleMap.set(r.channel, [
        ...(ruleMap.get(r.channel) ?? []),
        { target: r.target, kind: r.kind, value: Number(r.value) },
      ]);
    }
    return {
      brandId,
      categories: categories.map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        sortOrder: c.sort_order,
        adjustKind: c.store_adjust_kind,
        adjustMin: c.store_adjust_min,
        adjustMax: c.store_adjust_max,
      })),
      products: masterProducts,
      rules: ruleMap,
    };
  }

  async loadCarry(storeId: string): Promise<StoreCarry> {
    const [listed, adjustments] = await Promise.all([
      this.db
        .selectFrom('store_product')
        .select('product_id')
        .where('store_id', '=', storeId)
        .where('listed', '=', 1)
        .where('hidden', '=', 0)
        .execute(),
      this.db
        .selectFrom('store_price_adjustment')
        .select(['sku_id', 'kind', 'value'])
        .where('store_id', '=', storeId)
        .execute(),
    ]);
    return {
      storeId,
      carried: new Set(listed.map((r) => r.product_id)),
      adjustments: new Map(adjustments.map((a) => [a.sku_id, { kind: a.kind, value: Number(a.value) }])),
    };
  }
}
