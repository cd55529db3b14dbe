import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { upsert } from '../sql-helpers';
import { demoIds, demoStores } from './demo-core';
import { demoAddonGroups, demoChannelRules, demoMenu, demoMenuModes, type SeedProduct } from './demo-menu-data';
import { seedId } from './seed-id';

export interface SeedSku {
  code: string;
  specText: string;
  optionIds: string[];
  price: number;
}

/** Every SKU of a seeded product: the cartesian product of its spec groups (one SKU when it has none). */
export function skusOf(product: SeedProduct): SeedSku[] {
  let combos: SeedSku[] = [{ code: product.code, specText: '', optionIds: [], price: product.price }];
  for (const group of product.specs ?? []) {
    const groupId = seedId('spec_group', `${product.code}:${group.name}`);
    combos = combos.flatMap((c) =>
      group.options.map((o) => ({
        code: `${c.code}-${o.suffix}`,
        specText: c.specText ? `${c.specText}/${o.name}` : o.name,
        optionIds: [...c.optionIds, seedId('spec_option', `${groupId}:${o.name}`)],
        price: c.price + o.priceDelta,
      })),
    );
  }
  return combos;
}

/** The demo master menu, its channel prices and what each demo store carries. Upserted by fixed ids. */
export async function seedDemoMenu(db: Kysely<Database>, now = Date.now()): Promise<void> {
  const brandId = demoIds.brand;
  const groupIdByCode = new Map<string, string>();
  for (const [i, g] of demoAddonGroups.entries()) {
    const id = seedId('addon_group', g.code);
    groupIdByCode.set(g.code, id);
    await upsert(
      db,
      'addon_group',
      {
        id,
        brand_id: brandId,
        code: g.code,
        name: g.name,
        min_choices: g.min,
        max_choices: g.max,
        sort_order: i,
        status: 'active',
        created_at: now,
        updated_at: now,
      },
      ['id'],
      ['name', 'min_choices', 'max_choices', 'sort_order', 'updated_at'],
    );
    await upsert(
      db,
      'addon_option',
      g.options.map((o, j) => ({
        id: seedId('addon_option', o.code),
        brand_id: brandId,
        group_id: id,
        code: o.code,
        name: o.name,
        price: o.price,
        sort_order: j,
        status: 'active',
      })),
      ['id'],
      ['name', 'price', 'sort_order'],
    );
  }

  for (const [ci, category] of demoMenu.entries()) {
    const categoryId = seedId('category', category.code);
    await upsert(
      db,
      'category',
      {
        id: categoryId,
        brand_id: brandId,
        code: category.code,
        name: category.name,
        sort_order: ci,
        store_adjust_kind: category.adjust?.kind ?? null,
        store_adjust_min: category.adjust?.min ?? 0,
        store_adjust_max: category.adjust?.max ?? 0,
        status: 'active',
        created_at: now,
        updated_at: now,
      },
      ['id'],
      ['name', 'sort_order', 'store_adjust_kind', 'store_adjust_min', 'store_adjust_max', 'updated_at'],
    );
    for (const [pi, p] of category.products.entries()) {
      const productId = seedId('product', p.code);
      await upsert(
        db,
        'product',
        {
          id: productId,
          brand_id: brandId,
          category_id: categoryId,
          code: p.code,
          name: p.name,
          description: p.description ?? '',
          image_url: null,
          tags: JSON.stringify(p.tags ?? []),
          unit: p.unit ?? '份',
          sort_order: pi,
          availability: category.availability ? JSON.stringify(category.availability) : null,
          status: 'active',
          created_at: now,
          updated_at: now,
        },
        ['id'],
        ['category_id', 'name', 'description', 'tags', 'unit', 'sort_order', 'availability', 'updated_at'],
      );
      for (const [gi, group] of (p.specs ?? []).entries()) {
        const groupId = seedId('spec_group', `${p.code}:${group.name}`);
        await upsert(
          db,
          'spec_group',
          { id: groupId, product_id: productId, name: group.name, sort_order: gi },
          ['id'],
          ['sort_order'],
        );
        await upsert(
          db,
          'spec_option',
          group.options.map((o, oi) => ({
            id: seedId('spec_option', `${groupId}:${o.name}`),
            group_id: groupId,
            name: o.name,
            sort_order: oi,
          })),
          ['id'],
          ['sort_order'],
        );
      }
      await upsert(
        db,
        'sku',
        skusOf(p).map((s, si) => ({
          id: seedId('sku', s.code),
          brand_id: brandId,
          product_id: productId,
          code: s.code,
          spec_text: s.specText,
          option_ids: JSON.stringify(s.optionIds),
          base_price: s.price,
          cost: Math.round((p.cost * s.price) / p.price),
          packaging_fee: p.packagingFee ?? category.packagingFee,
          box_count: p.boxCount ?? category.boxCount,
          sort_order: si,
          status: 'active',
          created_at: now,
          updated_at: now,
        })),
        ['id'],
        ['spec_text', 'option_ids', 'base_price', 'cost', 'packaging_fee', 'box_count', 'sort_order', 'updated_at'],
      );
      const addonRows = (p.addons ?? []).map((code, ai) => ({
        product_id: productId,
        group_id: groupIdByCode.get(code) as string,
        sort_order: ai,
      }));
      await upsert(db, 'product_addon_group', addonRows, ['product_id', 'group_id'], ['sort_order']);
    }
  }

  await upsert(
    db,
    'channel_price_rule',
    demoChannelRules.map((r) => ({
      id: seedId('channel_price_rule', `${r.channel}:${r.target}`),
      brand_id: brandId,
      channel: r.channel,
      target: r.target,
      kind: r.kind,
      value: r.value,
      created_at: now,
      updated_at: now,
    })),
    ['id'],
    ['kind', 'value', 'updated_at'],
  );

  const productIds = demoMenu.flatMap((c) => c.products.map((p) => seedId('product', p.code)));
  for (const store of demoStores) {
    const storeId = demoIds.store(store.code);
    await upsert(
      db,
      'store_menu_settings',
      { store_id: storeId, mode: demoMenuModes[store.code] ?? 'hq', updated_at: now },
      ['store_id'],
      [],
    );
    // A re-seed lists what is missing but never un-hides what a store hid.
    await upsert(
      db,
      'store_product',
      productIds.map((productId) => ({
        store_id: storeId,
        product_id: productId,
        listed: 1,
        hidden: 0,
        updated_by: null,
        updated_at: now,
      })),
      ['store_id', 'product_id'],
      [],
    );
  }
}
